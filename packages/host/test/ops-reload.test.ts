import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuilt, eventually, httpsRequest, tempDir } from './cli-harness.js';
import type { GatedHost } from './ops-shutdown-harness.js';
import { createUser, releaseWrites, startGatedHost, writesStarted } from './ops-shutdown-harness.js';

/** The SHA-256 fingerprint of the certificate a new TLS connection to `port` is served. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(new X509Certificate(socket.getPeerCertificate(true).raw).fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

describe('ecmahost serve reloads connectors and the certificate without dropping anything (built binary)', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  let host: GatedHost;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('ecmahost-reload-'));
    host = await startGatedHost(dir, { label: 'Sales' });
  }, 120_000);
  afterAll(async () => {
    await host?.serve.stop();
    await cleanup?.();
  });

  const user = async (login: string, ca: string) => {
    const found = await httpsRequest(`${host.scim}/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`, { ca, token: host.token });
    // While the replaced connector runs its first import the host answers 503 (importing): not yet.
    if (found.status !== 200) return undefined;
    return (found.json() as { Resources: { userName: string; title?: string }[] }).Resources[0];
  };

  it('SIGHUP with a changed parameter and a new certificate: the next request uses both, one started before completes', async () => {
    const oldCa = host.ca;
    expect(await servedFingerprint(host.serve.port)).toBe(fingerprintOf(oldCa));
    // A create waits in the connector while the host reloads.
    const before = createUser(host, 'carol');
    await eventually(async () => ((await writesStarted(host.targetDir)).includes('carol') ? true : undefined), 'the write at the connector');

    const connectorFile = path.join(host.dataDir, 'connectors', 'People.yaml');
    const yaml = await readFile(connectorFile, 'utf8');
    expect(yaml).toContain('label: Sales');
    await writeFile(connectorFile, yaml.replace('label: Sales', 'label: Marketing'));
    const generated = await host.run('cert', 'generate', '--host-name', 'localhost');
    expect(generated.code, generated.stderr).toBe(0);
    const newCa = await readFile(path.join(host.dataDir, 'tls', 'self-signed.crt'), 'utf8');
    expect(fingerprintOf(newCa)).not.toBe(fingerprintOf(oldCa));

    host.serve.child.kill('SIGHUP');
    await eventually(async () => ((await servedFingerprint(host.serve.port)) === fingerprintOf(newCa) ? true : undefined), 'the new certificate served');
    await releaseWrites(host.targetDir);
    const created = await before;
    expect(created.status, created.body).toBe(201);
    expect(JSON.parse(await readFile(path.join(host.targetDir, 'people', 'carol.json'), 'utf8'))).toMatchObject({ login: 'carol', firstName: 'CAROL' });

    // The replaced connector imported again with the new label; the client now trusts the new certificate only.
    const carol = await eventually(async () => {
      const found = await user('carol', newCa);
      return found?.title === 'Marketing' ? found : undefined;
    }, 'carol imported with the new department');
    expect(carol).toMatchObject({ userName: 'carol', title: 'Marketing' });
    await expect(httpsRequest(`${host.scim}/Users`, { ca: oldCa, token: host.token })).rejects.toThrow(/self[- ]signed|unable to verify/i);
    expect(host.serve.output()).toContain('SIGHUP: reloaded connectors: People; serving certificate ' + fingerprintOf(newCa));
    expect(host.serve.child.exitCode).toBeNull();
    // The audit trail holds the CLI's setup and certificate change, the create and the signal's reload, in that order.
    const audit = await eventually(async () => {
      const lines = (await readFile(path.join(host.dataDir, 'audit', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      return lines.some((l) => l.actor === 'signal') ? lines.filter((l) => l.actor !== 'scheduler') : undefined;
    }, 'the reload in the audit trail');
    expect(audit.map((l) => [l.actor, l.action])).toEqual([
      ['cli', 'connector.add'],
      ['cli', 'certificate.change'],
      ['scim-token:People', 'scim.create'],
      ['signal', 'reload'],
    ]);
    expect(audit[3]?.detail).toEqual({ reloaded: ['People'], failed: [], certificate: fingerprintOf(newCa) });
  }, 120_000);

  it('ecmahost reload re-reads the same way and says what it served', async () => {
    const ca = await readFile(path.join(host.dataDir, 'tls', 'self-signed.crt'), 'utf8');
    const connectorFile = path.join(host.dataDir, 'connectors', 'People.yaml');
    await writeFile(connectorFile, (await readFile(connectorFile, 'utf8')).replace('label: Marketing', 'label: Legal'));
    const reloaded = await host.run('reload');
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(reloaded.stdout).toContain('Reloaded connectors: People.');
    expect(reloaded.stdout).toContain(`Certificate: SHA-256 ${fingerprintOf(ca)}, 729 days left.`);
    const carol = await eventually(async () => {
      const found = await user('carol', ca);
      return found?.title === 'Legal' ? found : undefined;
    }, 'carol imported with the new department');
    expect(carol.userName).toBe('carol');
    const again = await host.run('reload');
    expect(again.stdout).toContain('Reloaded connectors: none changed.');
  }, 120_000);

  it('/metrics carries the seconds the served certificate has left', async () => {
    const ca = await readFile(path.join(host.dataDir, 'tls', 'self-signed.crt'), 'utf8');
    // /metrics answers the admin credential only (publicHealthDetails is off by default).
    const adminToken = (await readFile(path.join(host.dataDir, 'admin-token'), 'utf8')).trim();
    const metrics = await httpsRequest(`https://127.0.0.1:${host.serve.port}/metrics`, { ca, token: adminToken });
    expect(metrics.status).toBe(200);
    const seconds = Number(/^ecmahost_certificate_expiry_seconds (-?\d+)$/m.exec(metrics.body)?.[1]);
    const left = (new Date(new X509Certificate(ca).validTo).getTime() - Date.now()) / 1000;
    expect(Math.abs(seconds - left)).toBeLessThan(120);
  });

  it('ecmahost reload without a running host says so and fails', async () => {
    expect(await host.serve.stop()).toBe(0);
    const reloaded = await host.run('reload');
    expect(reloaded.code).toBe(1);
    expect(reloaded.stderr).toContain(`no host is serving ${host.dataDir}: start it with "ecmahost serve".`);
  }, 60_000);
});
