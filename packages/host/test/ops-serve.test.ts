import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Secret } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/auth/token.js';
import { runHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import type { Store } from '../src/store/store.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, httpsRequest, tempDir, writeFixture } from './cli-harness.js';

describe('runHost with a broken connector file', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  const token = 'good-token-0123456789';

  beforeAll(async () => {
    // The fixture connector imports the built SDK.
    await ensureBuilt();
    ({ dir, cleanup } = await tempDir('ecmahost-serve-'));
    ({ store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} }));
    const fixture = await writeFixture(dir, { alice: { login: 'alice', firstName: 'Alice' } });
    await store.writeConnector({
      name: 'Good',
      package: fixture.connector,
      autosyncMinutes: 0,
      tokenHash: hashToken(token),
      parameters: { file: fixture.dataFile, apiKey: new Secret('key-abc') },
      objectType: 'person',
      anchor: ['login'],
      dn: { autogenerate: true },
      attributes: [{ name: 'login' }, { name: 'firstName' }],
      deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      runProfiles: { export: { batchSize: 10 }, fullImport: { pageSize: 100 } },
      scimMapping: { userName: 'login' },
    });
    await mkdir(store.paths.connectors, { recursive: true });
    await writeFile(path.join(store.paths.connectors, 'Broken.yaml'), 'name: Broken\npackage: [unclosed\n');
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => cleanup());

  it('serves the other connectors and logs why the broken one is not served', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', logger: pino({ level: 'info' }, sink) });
    try {
      expect(running.host.connectorNames()).toEqual(['Good']);
      const logged = lines.map((l) => JSON.parse(l) as { level: number; connector?: string; msg: string; err?: { message: string } }).find((l) => l.connector === 'Broken');
      expect(logged).toMatchObject({ level: 50, msg: 'cannot read the connector configuration; it is not served' });
      expect(logged?.err?.message).toContain('Broken.yaml');
      await running.host.runImport('Good');
      const ca = await readFile(store.paths.selfSignedCert, 'utf8');
      const res = await httpsRequest(`https://localhost:${running.server.port}/ecma2host_Good/scim/Users?filter=${encodeURIComponent('userName eq "alice"')}`, { ca, token });
      expect(res.json()).toMatchObject({ totalResults: 1 });
    } finally {
      await running.stop();
    }
  });

  it('stops cleanly when a stop comes the moment the server listens, before the run record is written', async () => {
    // The bin installs its SIGTERM handler in onListening; a signal there used to kill the host
    // ungracefully because the handler went in only after the run record was written.
    let early: Promise<void> | undefined;
    let port = 0;
    const running = await runHost({
      dataDir: store.paths.root,
      env: {},
      port: 0,
      bind: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      onListening: (listening) => {
        port = listening.server.port;
        early = listening.stop();
      },
    });
    expect(early).toBeDefined();
    await early;
    expect(running.stop()).toBe(early);
    expect(port).toBeGreaterThan(0);
    // The record written while the stop ran is removed by it, not left behind for `ecmahost reload` to find.
    expect(await store.readRunRecord()).toBeUndefined();
    const ca = await readFile(store.paths.selfSignedCert, 'utf8');
    await expect(httpsRequest(`https://localhost:${port}/ecma2host_Good/scim/Users`, { ca, token })).rejects.toThrow(/ECONNREFUSED/);
  });
});
