import { defineConnector } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { checkParameterPage, nextParameterPage, pageValues } from './parameter-pages.js';

// The LDAP connector's shape: security "None" needs a box ticked, and the rule names only "security".
const connector = defineConnector({
  name: 'rules',
  displayName: 'Rules',
  version: '1.0.0',
  capabilities: {},
  parameters({ page, pageNumber }) {
    if (page === 'connectivity') {
      return [
        { name: 'security', type: 'dropdown', options: ['None', 'LDAPS'], default: 'LDAPS' },
        { name: 'allowUnencrypted', type: 'checkbox', default: false },
        { name: 'port', type: 'string', pattern: '^\\d+$', patternMessage: 'a number' },
      ];
    }
    // A connector that ignores pageNumber: the same schema page for ever.
    if (page === 'schema') return [{ name: 'table', type: 'string', default: `t${pageNumber}` }];
    return [];
  },
  validate({ page, values }) {
    if (page === 'connectivity' && values.security === 'None' && values.allowUnencrypted !== true) return [{ parameter: 'security', message: 'tick "allow unencrypted"' }];
    return [];
  },
  async open() {
    throw new Error('not used');
  },
});

describe('parameter pages', () => {
  it('asks the whole page again when the connector refuses it, and only the faulty field for a declarative rule', async () => {
    const page = await nextParameterPage(connector, undefined, {}, new Set());
    if (page === undefined) throw new Error('no first page');
    expect(page.step).toEqual({ page: 'connectivity', pageNumber: 1 });
    const refused = await checkParameterPage(connector, page, { security: 'None', port: '389' }, {});
    expect(refused.issues).toEqual([{ parameter: 'security', message: 'tick "allow unencrypted"' }]);
    expect(refused.reask).toEqual(['security', 'allowUnencrypted', 'port']);
    const badPort = await checkParameterPage(connector, page, { security: 'None', port: 'x' }, {});
    expect(badPort.reask).toEqual(['port']);
    expect((await checkParameterPage(connector, page, { security: 'None', allowUnencrypted: true, port: '389' }, {})).issues).toEqual([]);
  });

  it('ends a series at a page that repeats only names asked before', async () => {
    const asked = new Set(['security', 'allowUnencrypted', 'port', 'table']);
    const next = await nextParameterPage(connector, { page: 'schema', pageNumber: 1 }, {}, asked);
    expect(next).toBeUndefined();
  });
});

describe('pageValues', () => {
  it('stores a blank answer of a parameter without a default as an omitted flag would: not at all', () => {
    const defs = [
      { name: 'serverName', type: 'string', label: 'TLS server name' },
      { name: 'port', type: 'string', label: 'Port', default: '389' },
      { name: 'bindPassword', type: 'encryptedString', label: 'Password' },
    ] as const;
    expect(pageValues(defs, { serverName: '', port: '', bindPassword: '' })).toEqual({ port: '', bindPassword: expect.anything() });
    expect(pageValues(defs, { serverName: 'ldap.example', port: '636' })).toEqual({ serverName: 'ldap.example', port: '636' });
    expect(pageValues(defs, {})).toEqual({ port: '389' });
  });
});
