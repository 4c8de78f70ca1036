import { isConnectorError, secret, silentLogger } from '@ecmahost/sdk';
import type { ParameterValues } from '@ecmahost/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { valuesFor } from './ldap-target.js';
import { withInstance } from './with-instance.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();
const context = { log: silentLogger, signal: new AbortController().signal };

async function testError(values: ParameterValues): Promise<{ code: string; message: string }> {
  try {
    await withInstance(values, (i) => i.testConnection());
  } catch (error) {
    if (isConnectorError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('testConnection succeeded');
}

describe.skipIf(skip !== undefined)(liveTitle('connectivity against slapd', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it('connects with StartTLS and a simple bind', async () => {
    await withInstance(valuesFor(slapd), (i) => i.testConnection());
  });

  it('connects with ldaps:// checking the certificate name given as "Certificate name"', async () => {
    await withInstance(valuesFor(slapd, { security: 'LDAPS', port: String(slapd.ldapsPort), serverName: 'localhost' }), (i) => i.testConnection());
  });

  it('binds with SASL EXTERNAL using the client certificate, with the rights of the mapped identity', async () => {
    const values = valuesFor(slapd, { binding: 'SASL EXTERNAL', bindDn: '', clientCertificate: slapd.clientCertFile, clientKey: slapd.clientKeyFile });
    await withInstance(values, async (i) => {
      await i.testConnection();
      const partitions = await i.getPartitions?.();
      expect(partitions?.map((p) => p.dn)).toEqual(['dc=example,dc=com']);
    });
  });

  it('binds anonymously', async () => {
    // Anonymous may not read cn=accesslog here, which the connection test checks for accesslog deltas.
    await withInstance(valuesFor(slapd, { binding: 'Anonymous', bindDn: '', deltaMethod: 'none' }), (i) => i.testConnection());
  });

  it('refuses an unencrypted connection unless explicitly allowed', async () => {
    const refused = await connector.open(valuesFor(slapd, { security: 'None' }), context).catch((e: unknown) => e);
    expect(isConnectorError(refused) && refused.code).toBe('invalid-configuration');
    expect((refused as Error).message).toMatch(/Allow unencrypted connection/);
    await withInstance(valuesFor(slapd, { security: 'None', allowUnencrypted: true }), (i) => i.testConnection());
  });

  it('reports a wrong password as authentication-failed in admin words', async () => {
    const error = await testError({ ...valuesFor(slapd), bindPassword: secret('wrong') });
    expect(error.code).toBe('authentication-failed');
    expect(error.message).toMatch(/refused the credentials/);
  });

  it('reports a server certificate from an untrusted CA', async () => {
    const { caCertificate: _ca, ...rest } = valuesFor(slapd);
    const error = await testError(rest);
    expect(error.code).toBe('connection-failed');
    expect(error.message).toMatch(/not signed by a trusted CA/);
  });

  it('reports a certificate issued for another name', async () => {
    const error = await testError(valuesFor(slapd, { serverName: 'ldap.example.org' }));
    expect(error.code).toBe('connection-failed');
    expect(error.message).toMatch(/not issued for this name/);
  });

  it('reports a port nobody listens on', async () => {
    const error = await testError(valuesFor(slapd, { port: '1' }));
    expect(error.code).toBe('connection-failed');
    expect(error.message).toMatch(/connection refused/);
  });

  it('shows the server and the missing mandatory features on the Global page', async () => {
    const [label] = await connector.getParameters({ page: 'global', pageNumber: 1, values: valuesFor(slapd) });
    expect(label?.type).toBe('label');
    const text = label?.type === 'label' ? label.text : '';
    expect(text).toMatch(/Naming contexts: .*dc=example,dc=com/);
    expect(text).toMatch(/Password Modify operation: offered/);
    expect(text).toMatch(/^Change logs for delta import: cn=accesslog \(accesslog\)$/m);
    // What an identity that cannot read the log is told before it picks a delta method.
    const [anonymous] = await connector.getParameters({ page: 'global', pageNumber: 1, values: valuesFor(slapd, { binding: 'Anonymous', bindDn: '' }) });
    expect(anonymous?.type === 'label' ? anonymous.text : '').toMatch(/^Change logs for delta import: none readable by this identity \(choose modifyTimestamp or none\)$/m);
  });
});
