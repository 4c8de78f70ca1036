import { describe, expect, it } from 'vitest';
import { secret } from '@ecmahost/sdk';
import { readConfig } from './config.js';

describe('configuration', () => {
  const base = { host: 'ldap.example.com', bindDn: 'cn=admin,dc=example,dc=com', bindPassword: secret('x') };
  it('builds URLs per security and refuses plain text unless allowed', async () => {
    expect((await readConfig(base)).url).toBe('ldap://ldap.example.com:389');
    expect((await readConfig({ ...base, security: 'LDAPS' })).url).toBe('ldaps://ldap.example.com:636');
    expect((await readConfig({ ...base, host: '::1', security: 'StartTLS' })).url).toBe('ldap://[::1]:389');
    await expect(readConfig({ ...base, security: 'None' })).rejects.toThrow(/Allow unencrypted connection/);
    expect((await readConfig({ ...base, security: 'None', allowUnencrypted: true })).tls).toBeUndefined();
  });

  it('names the parameter at fault', async () => {
    await expect(readConfig({ ...base, security: 'None' })).rejects.toMatchObject({ parameter: 'allowUnencrypted' });
    await expect(readConfig({ ...base, binding: 'SASL EXTERNAL' })).rejects.toMatchObject({ parameter: 'clientCertificate' });
    await expect(readConfig({ ...base, caCertificate: '/nonexistent/ca.pem' })).rejects.toThrow(/caCertificate: cannot read \/nonexistent\/ca.pem \(ENOENT\)/);
    await expect(readConfig({ ...base, host: 'ldap://x' })).rejects.toMatchObject({ parameter: 'host' });
    await expect(readConfig({ ...base, port: '70000' })).rejects.toMatchObject({ parameter: 'port' });
    await expect(readConfig({ ...base, dnTemplate: 'uid=fixed,dc=x' })).rejects.toMatchObject({ parameter: 'dnTemplate' });
  });
});
