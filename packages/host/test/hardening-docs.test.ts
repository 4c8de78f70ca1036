import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_TOKEN_LENGTH, TOKEN_SCRYPT } from '../src/auth/token.js';
import { ACTIVITY_LIMIT, ACTIVITY_MAX_CONNECTORS } from '../src/console/activity-log.js';
import { MAX_UNFINISHED_ADDS, UNFINISHED_ADD_TTL_MS } from '../src/connectors/unfinished-adds.js';
import { SIGN_IN_BACKOFF_MAX_ADDRESSES, SIGN_IN_FREE_FAILURES, SIGN_IN_MAX_BACKOFF_SECONDS } from '../src/console/sign-in-backoff.js';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MAX_VALUE_LENGTH } from '../src/host.js';
import { MAX_SLOW_TOKEN_CHECKS_PER_SECOND, TOKEN_BACKOFF_MAX_ADDRESSES, TOKEN_FREE_FAILURES, TOKEN_MAX_BACKOFF_SECONDS } from '../src/middleware/bearer-auth.js';
import { MAX_JSON_DEPTH } from '../src/middleware/json-body.js';
import { MAX_FILTER_EVALUATIONS } from '../src/scim/filter-evaluate.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_TERMS, MAX_PATH_LENGTH } from '../src/scim/filter-parser.js';
import { MAX_PAGE_SIZE } from '../src/scim/list-response.js';
import { MAX_PATCH_OPERATIONS } from '../src/scim/patch.js';

// docs/admin/security.md lists every limit with its value: each row naming a constant must state
// the value the code has, and every constant must have its row.

const doc = readFileSync(new URL('../../../docs/admin/security.md', import.meta.url), 'utf8');

/** The "Limit" cell of the limits table row whose last cell names `constant`. */
function limitCell(constant: string): string | undefined {
  for (const line of doc.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    // | What | Limit | Answer | Constant |  → ['', what, limit, answer, constant, '']
    if (cells.length === 6 && cells[4] === `\`${constant}\``) return cells[2];
  }
  return undefined;
}

const NUMBERS: Record<string, number> = {
  DEFAULT_BODY_LIMIT_BYTES,
  MAX_JSON_DEPTH,
  DEFAULT_MAX_VALUE_LENGTH,
  MAX_FILTER_LENGTH,
  MAX_PATH_LENGTH,
  MAX_FILTER_TERMS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_EVALUATIONS,
  MAX_PATCH_OPERATIONS,
  MAX_PAGE_SIZE,
  MIN_TOKEN_LENGTH,
  MAX_SLOW_TOKEN_CHECKS_PER_SECOND,
  ACTIVITY_LIMIT,
  ACTIVITY_MAX_CONNECTORS,
  MAX_UNFINISHED_ADDS,
  UNFINISHED_ADD_TTL_MS,
  SIGN_IN_FREE_FAILURES,
  SIGN_IN_MAX_BACKOFF_SECONDS,
  SIGN_IN_BACKOFF_MAX_ADDRESSES,
  TOKEN_FREE_FAILURES,
  TOKEN_MAX_BACKOFF_SECONDS,
  TOKEN_BACKOFF_MAX_ADDRESSES,
};

describe('docs/admin/security.md', () => {
  for (const [constant, value] of Object.entries(NUMBERS)) {
    it(`states ${constant} = ${value}`, () => {
      const cell = limitCell(constant);
      expect(cell, `no row names ${constant}`).toBeDefined();
      // The first number in the cell, written with thousands separators as the doc does.
      expect(cell!.match(/\d[\d,]*/)?.[0]).toBe(value.toLocaleString('en-US'));
    });
  }

  it('states the scrypt parameters of token hashes', () => {
    expect(limitCell('TOKEN_SCRYPT')).toBe(`scrypt, N = 2^${TOKEN_SCRYPT.log2N}, r = ${TOKEN_SCRYPT.r}, p = ${TOKEN_SCRYPT.p}`);
  });

  it('names no constant the code does not have', () => {
    const named = [...doc.matchAll(/\| `([A-Z][A-Z0-9_]+)` \|$/gm)].map((m) => m[1]);
    expect(named.sort()).toEqual([...Object.keys(NUMBERS), 'TOKEN_SCRYPT'].sort());
  });
});
