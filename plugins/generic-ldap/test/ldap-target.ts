import type { ParameterValues } from '@ecmahost/sdk';
import { secret } from '@ecmahost/sdk';
import { Client } from 'ldapts';
import type { Slapd } from './slapd.js';

/** Connector values for a test slapd: StartTLS, simple bind as root, the run's CA. */
export function valuesFor(slapd: Slapd, overrides: Record<string, string | boolean> = {}): ParameterValues {
  return {
    host: '127.0.0.1',
    port: String(slapd.port),
    security: 'StartTLS',
    binding: 'Simple',
    bindDn: slapd.bindDn,
    bindPassword: secret(slapd.bindPassword),
    caCertificate: slapd.caFile,
    connectTimeout: '5',
    operationTimeout: '10',
    ...overrides,
  };
}

let counter = 0;
/** Creates a fresh, empty `ou=<prefix>-<n>` under the suffix (for per-test isolation) and returns its DN. */
export async function freshContainer(slapd: Slapd, prefix: string): Promise<string> {
  counter += 1;
  const dn = `ou=${prefix}-${String(process.pid)}-${String(counter)},ou=people,${slapd.baseDn}`;
  const client = new Client({ url: slapd.url });
  try {
    await client.startTLS({ ca: slapd.caPem, host: '127.0.0.1' });
    await client.bind(slapd.bindDn, slapd.bindPassword);
    await client.add(dn, { objectClass: ['organizationalUnit'], ou: dn.split(',')[0]?.slice(3) ?? '' });
  } finally {
    await client.unbind();
  }
  return dn;
}

/** A root-bound ldapts client over StartTLS, for tests that change the directory behind the connector's back. */
export async function rootClient(slapd: Slapd): Promise<Client> {
  const client = new Client({ url: slapd.url });
  await client.startTLS({ ca: slapd.caPem, host: '127.0.0.1' });
  await client.bind(slapd.bindDn, slapd.bindPassword);
  return client;
}
