// Health that tells the truth: two Generic LDAP connectors served by `runHost` over HTTP, each on
// its own private slapd. The target of one is killed by its PID; after its next import fails, that
// connector is degraded in /readyz?connector=, /admin/status and its console page, while the other
// stays ready; plain /readyz (the whole host) says not ready. When the target is back, it recovers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectorError } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshContainer, rootClient } from '../../../plugins/generic-ldap/test/ldap-target.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../plugins/generic-ldap/test/slapd.js';
import { createHost } from '../src/host.js';
import { runHost, type RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';
import { generatedConnector } from './fixtures/generated-connector.js';
import { ldapInstanceConfig } from './fixtures/ldap-instance.js';

const TOKEN = 'ops-degraded-token-0123456789-abcdef';
const LDAP_CONNECTOR = fileURLToPath(new URL('../../../plugins/generic-ldap/dist/index.js', import.meta.url));
const skip = slapdSkipReason();

describe.skipIf(skip !== undefined)(liveTitle('a connector whose target is down is degraded, alone', skip), () => {
  const slapds: Record<'X' | 'Y', Slapd | undefined> = { X: undefined, Y: undefined };
  let dir: string;
  let running: RunningHost;
  let adminToken: string;
  let base: string;
  let started: number;

  const get = (pathname: string, headers: Record<string, string> = {}) => fetch(`${base}${pathname}`, { headers, redirect: 'manual' });
  const readyz = async (query = '') => {
    // With the admin credential: anonymous callers of a served host learn only ready or not.
    const res = await get(`/readyz${query}`, { authorization: `Bearer ${adminToken}` });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const adminStatus = async () => (await (await get('/admin/status', { authorization: `Bearer ${adminToken}` })).json()) as { ready: boolean; connectors: { name: string; state: string }[] };
  const consolePage = async (name: string): Promise<string> => {
    const login = await get('/console/login');
    const cookieOf = (res: Response) => /ecmahost_console=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
    const signIn = await fetch(`${base}/console/login`, {
      method: 'POST',
      headers: { cookie: cookieOf(login), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, credential: adminToken }).toString(),
      redirect: 'manual',
    });
    expect(signIn.status).toBe(303);
    return (await get(`/console/connectors/${name}`, { cookie: cookieOf(signIn) || cookieOf(login) })).text();
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-ops-degraded-'));
    const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
    adminToken = await store.readAdminToken();
    for (const name of ['X', 'Y'] as const) {
      const slapd = await startSlapd();
      slapds[name] = slapd;
      const ou = await freshContainer(slapd, 'degraded');
      const client = await rootClient(slapd);
      await client.add(`uid=alice,${ou}`, { objectClass: ['inetOrgPerson'], uid: 'alice', cn: 'Alice', sn: 'Test' });
      await client.unbind();
      await store.writeConnector(ldapInstanceConfig(slapd, ou, { name, token: TOKEN, package: LDAP_CONNECTOR, deltaMethod: 'modifyTimestamp', parameters: { connectTimeout: '2', operationTimeout: '3' } }));
    }
    started = Date.now();
    running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
    base = running.baseUrl.replace('localhost', '127.0.0.1');
    for (const name of ['X', 'Y']) await running.host.runImport(name);
  });
  afterAll(async () => {
    await running?.server.close();
    await running?.host.stop();
    for (const slapd of Object.values(slapds)) await slapd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows X degraded in /readyz?connector=X, /admin/status and the console while Y stays ready', async () => {
    expect(await readyz('?connector=X')).toMatchObject({ status: 200, body: { ready: true, connector: 'X', state: 'ready', cacheSize: 1 } });
    expect((await readyz()).status).toBe(200);

    const x = slapds.X!;
    process.kill(x.pid, 'SIGKILL');
    await x.stop({ hard: true, keepFiles: true });
    await expect(running.host.runImport('X', { delta: true })).rejects.toThrow();

    expect(await readyz('?connector=X')).toMatchObject({ status: 503, body: { ready: false, connector: 'X', state: 'degraded', cacheSize: 1 } });
    expect(await readyz('?connector=Y')).toMatchObject({ status: 200, body: { ready: true, connector: 'Y', state: 'ready' } });
    const whole = await readyz();
    expect(whole.status).toBe(503);
    expect(whole.body).toMatchObject({ ready: false, connectors: { X: { state: 'degraded' }, Y: { state: 'ready' } } });
    // No error text on the unauthenticated endpoint.
    expect(JSON.stringify(whole.body)).not.toContain('ECONNREFUSED');
    expect(await adminStatus()).toMatchObject({ ready: false, connectors: [{ name: 'X', state: 'degraded' }, { name: 'Y', state: 'ready' }] });

    const page = await consolePage('X');
    expect(page).toContain('<dd class="state-degraded" id="connector-state">degraded</dd>');
    expect(page).toContain('id="connector-degraded"');
    expect(page).not.toContain('class="state-ready"');
    // The schedule: no autosync, the default daily full import, 24 hours after the host started.
    const next = /id="next-imports">full at ([^<]+)</.exec(page)?.[1];
    expect(Date.parse(next ?? '') - started).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(Date.parse(next ?? '') - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(await consolePage('Y')).toContain('<dd class="state-ready" id="connector-state">ready</dd>');

    // The cache still answers reads for X.
    const alice = await get(`/ecma2host_X/scim/Users?filter=${encodeURIComponent('userName eq "alice"')}`, { authorization: `Bearer ${TOKEN}` });
    expect(alice.status).toBe(200);
    expect(await alice.json()).toMatchObject({ totalResults: 1 });

    expect(await readyz('?connector=Z')).toMatchObject({ status: 404, body: { ready: false, connector: 'Z' } });

    await x.start();
    await running.host.runImport('X');
    expect(await readyz('?connector=X')).toMatchObject({ status: 200, body: { state: 'ready' } });
    expect((await readyz()).status).toBe(200);
  });
});

describe('a write that cannot reach the target', () => {
  it('makes the connector degraded until a write reaches the target again', async () => {
    let down = false;
    const connector = generatedConnector({
      count: 3,
      beforeExport: async () => {
        if (down) throw new ConnectorError('connection-failed', 'connect ECONNREFUSED 127.0.0.1:1');
      },
    });
    const host = createHost({
      connectors: [fixtureConfig('W', TOKEN_A, 'unused', { attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }], scimMapping: { userName: 'login' }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } } })],
      loadConnector: async () => connector,
      logger: pino({ level: 'silent' }),
    });
    await host.start();
    await host.runImport('W');
    const post = (userName: string) =>
      host.app.request('/ecma2host_W/scim/Users', { method: 'POST', headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' }, body: JSON.stringify({ userName }) });
    try {
      down = true;
      expect((await post('bob')).status).toBe(503);
      const degraded = await host.app.request('/readyz?connector=W');
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({ state: 'degraded', cacheSize: 3 });
      down = false;
      expect((await post('carol')).status).toBe(201);
      expect(await (await host.app.request('/readyz?connector=W')).json()).toMatchObject({ ready: true, state: 'ready' });
    } finally {
      await host.stop();
    }
  });
});
