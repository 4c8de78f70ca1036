// Finding 11 of the hostile review (issue 15): /readyz and /metrics of a served host named the
// connectors and their cache sizes to anyone who reached the port. Now an anonymous caller learns
// only ready or not (with the status a load balancer needs); the admin credential, or
// `publicHealthDetails: true` in host.yaml, shows the details.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHost } from '../src/server/run-host.js';
import type { RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import type { Store } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

let dir: string;
let store: Store;
let running: RunningHost;
let base: string;
let adminToken: string;

async function serve(): Promise<void> {
  running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
  base = `http://127.0.0.1:${running.server.port}`;
  await running.host.runImport('HR');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-hardening-health-'));
  ({ store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} }));
  await store.writeConnector(fixtureConfig('HR', TOKEN_A, path.join(dir, 'hr.json')));
  adminToken = await store.readAdminToken();
  await serve();
});
afterAll(async () => {
  await running?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('/readyz and /metrics of a served host', () => {
  it('tell an anonymous caller only whether the host and a connector are ready', async () => {
    const whole = await fetch(`${base}/readyz`);
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe('{"ready":true}');
    const one = await fetch(`${base}/readyz?connector=HR`);
    expect(one.status).toBe(200);
    expect(await one.text()).toBe('{"ready":true}');
    // An unknown name is not ready, like a failing one: names cannot be probed.
    const unknown = await fetch(`${base}/readyz?connector=Payroll`);
    expect(unknown.status).toBe(503);
    expect(await unknown.text()).toBe('{"ready":false}');
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(401);
    expect(await metrics.text()).not.toContain('HR');
  });

  it('show the details to the admin credential, and not to a connector token', async () => {
    const auth = { authorization: `Bearer ${adminToken}` };
    const whole = await fetch(`${base}/readyz`, { headers: auth });
    expect(await whole.json()).toMatchObject({ ready: true, connectors: { HR: { state: 'ready', cacheSize: 0 } } });
    expect((await fetch(`${base}/readyz?connector=Payroll`, { headers: auth })).status).toBe(404);
    const metrics = await fetch(`${base}/metrics`, { headers: auth });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('connector="HR"');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN_A}` } })).status).toBe(401);
  });

  it('show them to everyone with publicHealthDetails: true in host.yaml', async () => {
    await running.stop();
    await writeFile(store.paths.hostSettings, `${await readFile(store.paths.hostSettings, 'utf8')}publicHealthDetails: true\n`);
    await serve();
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ connectors: { HR: { state: 'ready' } } });
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });
});
