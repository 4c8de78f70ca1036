import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Secret } from '@ecmahost/sdk';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHost } from '../src/server/run-host.js';
import { startServer } from '../src/server/start-server.js';
import { dataDirPaths } from '../src/store/data-dir.js';
import { defaultHostSettings } from '../src/store/host-settings.js';
import type { HostSettings } from '../src/store/host-settings.js';
import { initStore } from '../src/store/store.js';
import { describeCertificate } from '../src/tls/certificate-info.js';
import { loadTlsMaterial } from '../src/tls/load-tls.js';
import { generateSelfSignedCertificate, writePemPair } from '../src/tls/self-signed.js';
import { httpsRequest } from './cli-harness.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('certificates and HTTPS', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-tls-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('generates a self-signed certificate for the host name and localhost, valid two years', async () => {
    const now = new Date();
    const pair = await generateSelfSignedCertificate({ hostName: 'ecma.contoso.test', now });
    const info = describeCertificate(pair.cert, now);
    expect(info.subject).toBe('CN=ecma.contoso.test');
    expect(info.subjectAltNames).toEqual(['DNS:ecma.contoso.test', 'DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']);
    expect(info.selfSigned).toBe(true);
    expect(info.daysLeft).toBeGreaterThanOrEqual(729);
    expect(info.daysLeft).toBeLessThanOrEqual(730);
  });

  it('serves HTTPS that a client pinning the certificate accepts, refusing TLS 1.1', async () => {
    const paths = dataDirPaths(path.join(dir, 'serve'));
    const material = await loadTlsMaterial({ ...defaultHostSettings(), hostName: 'localhost' }, paths);
    expect(material.generated).toBe(true);
    expect(material.serverOptions.minVersion).toBe('TLSv1.2');
    const app = new Hono().get('/hello', (c) => c.text('hello over TLS'));
    const server = await startServer({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', tls: material.serverOptions });
    try {
      const ca = material.serverOptions.cert as string;
      const ok = await httpsRequest(`https://localhost:${server.port}/hello`, { ca });
      expect(ok).toMatchObject({ status: 200, body: 'hello over TLS' });
      // Without the certificate pinned, a client refuses the self-signed certificate.
      await expect(httpsRequest(`https://localhost:${server.port}/hello`, { ca: '' })).rejects.toThrow(/self[- ]signed/i);
      await expect(httpsRequest(`https://localhost:${server.port}/hello`, { ca, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' })).rejects.toThrow(/protocol version|unsupported protocol|no protocols available/i);
    } finally {
      await server.close();
    }
  });

  it('loads the admin\'s PEM pair and says which file is wrong when the key does not match', async () => {
    const a = await generateSelfSignedCertificate({ hostName: 'a.contoso.test' });
    const b = await generateSelfSignedCertificate({ hostName: 'b.contoso.test' });
    const cert = path.join(dir, 'a.crt');
    const key = path.join(dir, 'a.key');
    await writePemPair(a, cert, key);
    const settings: HostSettings = { ...defaultHostSettings(), tls: { mode: 'pem', cert, key } };
    const material = await loadTlsMaterial(settings, dataDirPaths(dir));
    expect(material.certificate.subject).toBe('CN=a.contoso.test');
    expect(material.source).toBe(`PEM ${cert}`);
    const otherKey = path.join(dir, 'b.key');
    await writeFile(otherKey, b.key);
    await expect(loadTlsMaterial({ ...settings, tls: { mode: 'pem', cert, key: otherKey } }, dataDirPaths(dir))).rejects.toThrow(`cannot use ${cert} with ${otherKey}`);
    await expect(loadTlsMaterial({ ...settings, tls: { mode: 'pem', cert: path.join(dir, 'missing.crt'), key } }, dataDirPaths(dir))).rejects.toThrow(/cannot read the certificate .*missing\.crt/);
  });

  it.skipIf(!hasOpenssl())('loads a PFX with its passphrase, reads its certificate, and names a wrong passphrase (skipped without the openssl CLI to build the PFX)', async () => {
    const pair = await generateSelfSignedCertificate({ hostName: 'pfx.contoso.test' });
    const cert = path.join(dir, 'p.crt');
    const key = path.join(dir, 'p.key');
    const pfx = path.join(dir, 'p.pfx');
    await writePemPair(pair, cert, key);
    execFileSync('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', pfx, '-passout', 'pass:pfx-pass']);
    const settings: HostSettings = { ...defaultHostSettings(), tls: { mode: 'pfx', pfx, passphrase: new Secret('pfx-pass') } };
    const material = await loadTlsMaterial(settings, dataDirPaths(dir));
    expect(material.certificate.subject).toBe('CN=pfx.contoso.test');
    const app = new Hono().get('/', (c) => c.text('pfx'));
    const server = await startServer({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', tls: material.serverOptions });
    try {
      expect(await httpsRequest(`https://localhost:${server.port}/`, { ca: pair.cert })).toMatchObject({ status: 200, body: 'pfx' });
    } finally {
      await server.close();
    }
    await expect(loadTlsMaterial({ ...settings, tls: { mode: 'pfx', pfx, passphrase: new Secret('wrong') } }, dataDirPaths(dir))).rejects.toThrow(/cannot open the PFX file .*wrong passphrase/);
  });

  it('warns in the log when the certificate expires within 30 days', async () => {
    const root = path.join(dir, 'expiring');
    const { store } = await initStore(root, { settings: { hostName: 'localhost' }, env: {} });
    await writePemPair(await generateSelfSignedCertificate({ hostName: 'localhost', days: 10 }), store.paths.selfSignedCert, store.paths.selfSignedKey);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const running = await runHost({ dataDir: root, env: {}, port: 0, bind: '127.0.0.1', logger: pino({ level: 'info' }, sink) });
    try {
      const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string; daysLeft?: number }).find((l) => l.level === 40 && l.msg.includes('expires soon'));
      expect(warning?.daysLeft).toBe(9);
      expect(running.host.status().certificate?.daysLeft).toBe(9);
    } finally {
      await running.stop();
    }
  });
});
