import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashToken, verifyToken } from '../auth/token.js';
import { isScimError } from '../scim/errors.js';
import { MAX_SLOW_TOKEN_CHECKS_PER_SECOND, authenticateConnector, requireBearer } from './bearer-auth.js';

const TOKEN = 'a-connector-token-of-43-characters-xxxxxxxx';

function refusal(check: () => unknown): string {
  try {
    check();
    return 'accepted';
  } catch (error) {
    if (!isScimError(error)) throw error;
    return `${error.status} ${error.detail}`;
  }
}

describe('requireBearer', () => {
  it('answers a name that is not a connector exactly as a wrong token, so names cannot be listed', () => {
    const known = { runtime: { config: { tokenHash: hashToken(TOKEN) } } };
    expect(refusal(() => authenticateConnector(undefined, undefined, 'Nope'))).toBe(refusal(() => authenticateConnector(undefined, known, 'Nope')));
    expect(refusal(() => authenticateConnector(`Bearer ${TOKEN}`, undefined, 'Nope'))).toBe('401 The bearer token is not valid for connector Nope.');
    expect(refusal(() => authenticateConnector('Bearer wrong', known, 'Nope'))).toBe('401 The bearer token is not valid for connector Nope.');
    expect(authenticateConnector(`Bearer ${TOKEN}`, known, 'HR')).toBe(known);
  });

  it('hands a new scrypt hash for a token stored under an earlier SHA-256 hash, and none for a current one', () => {
    const salt = randomBytes(16);
    const legacy = `sha256:${salt.toString('base64url')}:${createHash('sha256').update(salt).update(TOKEN).digest('base64url')}`;
    const upgrades: string[] = [];
    requireBearer(`Bearer ${TOKEN}`, legacy, 'HR', (hash) => upgrades.push(hash));
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]).toMatch(/^scrypt:/);
    expect(verifyToken(TOKEN, upgrades[0]!)).toBe(true);
    requireBearer(`Bearer ${TOKEN}`, upgrades[0]!, 'HR', (hash) => upgrades.push(hash));
    expect(upgrades).toHaveLength(1);
    // A wrong token upgrades nothing.
    expect(refusal(() => requireBearer('Bearer wrong-token', legacy, 'HR', (hash) => upgrades.push(hash)))).toMatch(/^401/);
    expect(upgrades).toHaveLength(1);
  });

  it(`answers a flood of made-up tokens with 503 past ${MAX_SLOW_TOKEN_CHECKS_PER_SECOND} scrypt checks a second, and still knows a checked token`, () => {
    const stored = hashToken(TOKEN);
    const outcomes = Array.from({ length: 20 }, (_, i) => refusal(() => requireBearer(`Bearer made-up-token-${i}`, stored, 'HR')).slice(0, 3));
    expect(outcomes.filter((o) => o === '503').length).toBeGreaterThanOrEqual(20 - 2 * MAX_SLOW_TOKEN_CHECKS_PER_SECOND);
    expect(outcomes.every((o) => o === '401' || o === '503')).toBe(true);
    expect(refusal(() => requireBearer(`Bearer ${TOKEN}`, stored, 'HR'))).toBe('accepted');
  });
});
