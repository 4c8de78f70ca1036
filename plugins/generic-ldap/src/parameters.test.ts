import type { ParameterIssue, ParameterPage } from '@ecmahost/sdk';
import { checkParameterValues, normalizeParameterValues, secret } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';
import { genericLdap } from './connector.js';

const base = { host: 'ldap.example.com', bindDn: 'cn=admin,dc=example,dc=com' };
const validate = (page: ParameterPage, values: Record<string, string | boolean>) => genericLdap.validate({ page, pageNumber: 1, values });
const named = (issues: readonly ParameterIssue[]) => issues.map((i) => i.parameter);

/** The parameter names of a page, as a front-end sees them (no Server label: no host is asked here). */
async function namesOf(page: ParameterPage): Promise<string[]> {
  return (await genericLdap.getParameters({ page, pageNumber: 1, values: {} })).map((d) => d.name);
}

describe('validation of the parameter pages', () => {
  it('names "Allow unencrypted connection" and the security choice for security None, so either can be answered', async () => {
    const issues = await validate('connectivity', { ...base, security: 'None' });
    expect(named(issues)).toEqual(['allowUnencrypted', 'security']);
    expect(issues[0]?.message).toBe('Connection security None needs "Allow unencrypted connection" ticked: passwords then cross the network in clear text.');
    expect(issues[1]?.message).toBe('None is not encrypted: choose StartTLS or LDAPS, or tick "Allow unencrypted connection".');
  });

  it('accepts security None once allowed, as a front-end sends the checkbox (boolean or text), and StartTLS without it', async () => {
    expect(await validate('connectivity', { ...base, security: 'None', allowUnencrypted: true })).toEqual([]);
    expect(await validate('connectivity', { ...base, security: 'None', allowUnencrypted: 'true' })).toEqual([]);
    expect(await validate('connectivity', { ...base, security: 'StartTLS', allowUnencrypted: false })).toEqual([]);
  });

  it('names the binding and the security for SASL EXTERNAL without TLS', async () => {
    const issues = await validate('connectivity', { ...base, security: 'None', allowUnencrypted: true, binding: 'SASL EXTERNAL', clientCertificate: '/c.pem', clientKey: '/k.pem' });
    expect(named(issues)).toEqual(['binding', 'security']);
  });

  it('names, in every issue, a parameter of the page the issue is raised on', async () => {
    const cases: [ParameterPage, Record<string, string | boolean>][] = [
      ['connectivity', { host: 'h', security: 'None', binding: 'SASL EXTERNAL' }],
      ['connectivity', { host: 'h', binding: 'Simple' }],
      ['global', { dnTemplate: 'uid=fixed,dc=example,dc=com' }],
    ];
    for (const [page, values] of cases) {
      const issues = await validate(page, values);
      expect(issues.length).toBeGreaterThan(0);
      const names = await namesOf(page);
      for (const issue of issues) expect(names, `${page}: ${issue.message}`).toContain(issue.parameter);
    }
  });
});

describe('the AD LDS preset, page by page as a wizard walks it', () => {
  it('offers the directory type on Connectivity and AD LDS defaults on Global, which validate and open', async () => {
    const connectivityDefs = await genericLdap.getParameters({ page: 'connectivity', pageNumber: 1, values: {} });
    expect(connectivityDefs.find((d) => d.name === 'directoryType')).toMatchObject({ type: 'dropdown', options: ['generic', 'adlds'], default: 'generic' });
    const connectivity = normalizeParameterValues(connectivityDefs, { ...base, directoryType: 'adlds', security: 'LDAPS', bindPassword: 'pw' });
    expect(checkParameterValues(connectivityDefs, connectivity)).toEqual([]);
    expect(await validate('connectivity', connectivity as Record<string, string | boolean>)).toEqual([]);

    const globalDefs = await genericLdap.getParameters({ page: 'global', pageNumber: 1, values: connectivity });
    const global = normalizeParameterValues(globalDefs, { containers: 'CN=Users,CN=Contoso,DC=lab' });
    expect(global).toMatchObject({ objectClasses: 'user', anchor: 'objectGUID', deltaMethod: 'usnChanged', passwordAttribute: 'unicodePwd', passwordMethod: 'attribute' });
    expect(checkParameterValues(globalDefs, global)).toEqual([]);
    expect(await genericLdap.validate({ page: 'global', pageNumber: 1, values: { ...connectivity, ...global } })).toEqual([]);

    const config = await readConfig({ ...connectivity, ...global });
    expect(config).toMatchObject({ url: 'ldaps://ldap.example.com:636', anchor: 'objectGUID', deltaMethod: 'usnChanged', passwordAttribute: 'unicodePwd', objectClasses: ['user'] });
  });

  it('fills the preset in where flags left the Global values out, and keeps what was given', async () => {
    const values = { ...base, directoryType: 'adlds', bindPassword: secret('pw') };
    expect(await readConfig(values)).toMatchObject({ anchor: 'objectGUID', deltaMethod: 'usnChanged', passwordAttribute: 'unicodePwd', passwordMethod: 'attribute', objectClasses: ['user'] });
    expect(genericLdap.capabilities(values)).toMatchObject({ dnAsAnchor: false, deltaImport: true });
    expect(await readConfig({ ...values, anchor: '-dn-', deltaMethod: 'modifyTimestamp' })).toMatchObject({ anchor: '-dn-', deltaMethod: 'modifyTimestamp' });
    expect(await readConfig({ ...base, bindPassword: secret('pw') })).toMatchObject({ anchor: '-dn-', deltaMethod: 'accesslog', passwordAttribute: 'userPassword' });
  });

  it('refuses a directory type it does not know, naming the parameter', async () => {
    const defs = await genericLdap.getParameters({ page: 'connectivity', pageNumber: 1, values: {} });
    expect(checkParameterValues(defs, { ...base, directoryType: 'activeDirectory' }).map((i) => i.parameter)).toEqual(['directoryType']);
  });
});
