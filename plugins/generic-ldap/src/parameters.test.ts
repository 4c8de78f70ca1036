import type { ParameterIssue, ParameterPage } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
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
