import { defineConnector, isSecret } from '@ecmahost/sdk';
import type { ParameterDefinition } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { isOpsError } from '../store/errors.js';
import { collectParameters } from './parameter-pages.js';
import type { Prompter } from './prompter.js';

// A connector whose schema pages come as a series, whose connectivity page ignores pageNumber (the
// same page again must not be asked twice), and whose global page has a rule spanning two fields (a
// page-wide issue, naming no parameter).
const connector = defineConnector({
  name: 'series',
  displayName: 'Series',
  version: '1.0.0',
  capabilities: {},
  parameters({ page, pageNumber, values }) {
    if (page === 'connectivity') return [{ name: 'server', type: 'string', required: true }, { name: 'secret', type: 'encryptedString' }];
    if (page === 'schema' && pageNumber <= 3) return [{ name: `table${pageNumber}`, type: 'string', default: `t${pageNumber}` }];
    if (page === 'global') return [{ name: 'from', type: 'string' }, { name: 'to', type: 'string' }, ...(values.server === 'extra' ? [{ name: 'extra', type: 'checkbox' } as ParameterDefinition] : [])];
    return [];
  },
  validate({ page, values }) {
    if (page === 'global' && String(values.from) > String(values.to)) return [{ message: '"from" must come before "to".' }];
    return [];
  },
  async open() {
    throw new Error('not used');
  },
});

/** Answers each question from a script, recording what was asked and the errors shown. */
function scripted(answers: Record<string, (string | boolean)[]>): Prompter & { asked: string[]; errors: string[] } {
  const asked: string[] = [];
  const errors: string[] = [];
  return {
    asked,
    errors,
    async parameter(def) {
      asked.push(def.name);
      const next = answers[def.name]?.shift();
      if (next === undefined) throw new Error(`unexpected question ${def.name} after ${asked.join(', ')}`);
      return next;
    },
    async select() {
      throw new Error('not used');
    },
    async multiselect() {
      throw new Error('not used');
    },
    async text() {
      throw new Error('not used');
    },
    async confirm() {
      throw new Error('not used');
    },
    note() {},
    error(message) {
      errors.push(message);
    },
  };
}

describe('collectParameters', () => {
  it('walks a page series until the connector returns an empty page, filling defaults, wrapping secrets', async () => {
    const values = await collectParameters(connector, { given: { server: 'db', secret: 's3', from: 'a', to: 'b' } });
    expect(values).toMatchObject({ server: 'db', table1: 't1', table2: 't2', table3: 't3', from: 'a', to: 'b' });
    expect(isSecret(values.secret)).toBe(true);
    expect('table4' in values).toBe(false);
  });

  it('gives later pages the values of earlier ones (a field appears because of the server name)', async () => {
    const values = await collectParameters(connector, { given: { server: 'extra', from: 'a', to: 'b', extra: 'TRUE' } });
    expect(values.extra).toBe(true);
    await expect(collectParameters(connector, { given: { server: 'db', from: 'a', to: 'b', extra: 'true' } })).rejects.toThrow('series has no parameter extra');
  });

  it('without a prompter, a page-wide issue fails with the page named', async () => {
    const error = await collectParameters(connector, { given: { server: 'db', from: 'z', to: 'b' } }).catch((e: unknown) => e);
    expect(isOpsError(error) && error.code).toBe('invalid-argument');
    expect((error as Error).message).toBe('invalid values on the global page:\n  - "from" must come before "to".');
  });

  it('with a prompter, asks what is missing and the whole page again after a page-wide issue', async () => {
    const prompter = scripted({ server: ['db'], secret: ['pw'], table1: ['x'], table2: ['y'], table3: ['z'], from: ['z', 'a'], to: ['b', 'b'] });
    const values = await collectParameters(connector, { given: {}, prompter });
    expect(prompter.asked).toEqual(['server', 'secret', 'table1', 'table2', 'table3', 'from', 'to', 'from', 'to']);
    expect(prompter.errors).toEqual(['invalid values on the global page:\n  - "from" must come before "to".']);
    expect(values).toMatchObject({ server: 'db', table1: 'x', from: 'a', to: 'b' });
  });
});
