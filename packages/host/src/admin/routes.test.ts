import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureConfig, TOKEN_A } from '../../test/fixtures/fixture-host.js';
import { createHost } from '../host.js';
import { initStore } from '../store/store.js';
import type { Store } from '../store/store.js';
import { createAdminRoutes } from './routes.js';

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('/admin routes', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-admin-'));
    ({ store } = await initStore(dir, { env: {} }));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const app = (allowRemote: boolean) => {
    const host = createHost({ connectors: [], logger: pino({ level: 'silent' }) });
    return createAdminRoutes({ host, store, adminToken: 'the-admin-credential', allowRemote, loaded: [] });
  };

  it('answers loopback callers holding the admin credential', async () => {
    const res = await app(false).request('/status', { headers: { authorization: 'Bearer the-admin-credential' } }, from('127.0.0.1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, connectors: [] });
    expect((await app(false).request('/status', { headers: { authorization: 'Bearer the-admin-credential' } }, from('::ffff:127.0.0.1'))).status).toBe(200);
  });

  it('refuses other machines unless allowed, whatever credential they hold', async () => {
    const res = await app(false).request('/status', { headers: { authorization: 'Bearer the-admin-credential' } }, from('10.1.2.3'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'the admin API answers loopback requests only (adminAllowRemote in host.yaml).' });
    expect((await app(true).request('/status', { headers: { authorization: 'Bearer the-admin-credential' } }, from('10.1.2.3'))).status).toBe(200);
  });

  it('refuses a missing or wrong credential', async () => {
    expect((await app(false).request('/status', {}, from('127.0.0.1'))).status).toBe(401);
    expect((await app(false).request('/status', { headers: { authorization: 'Bearer the-admin-credentiaL' } }, from('127.0.0.1'))).status).toBe(401);
    expect((await app(false).request('/status', { headers: { authorization: 'Basic dGhlLWFkbWluLWNyZWRlbnRpYWw=' } }, from('127.0.0.1'))).status).toBe(401);
  });

  it('answers 404 for an import or cache query of an unknown connector', async () => {
    const headers = { authorization: 'Bearer the-admin-credential' };
    expect((await app(false).request('/connectors/Nope/import', { method: 'POST', headers }, from('127.0.0.1'))).status).toBe(404);
    expect((await app(false).request('/connectors/Nope/cache', { headers }, from('127.0.0.1'))).status).toBe(404);
  });

  it('reloads a connector that was added to the running host outside the admin routes', async () => {
    const config = fixtureConfig('Console', TOKEN_A, path.join(dir, 'console.json'));
    await store.writeConnector(config);
    const host = createHost({ connectors: [], logger: pino({ level: 'silent' }) });
    // What the console's wizard does on Finish: save the file and add the connector itself.
    await host.addConnector(config);
    const routes = createAdminRoutes({ host, store, adminToken: 'the-admin-credential', allowRemote: false, loaded: [] });
    const res = await routes.request('/reload', { method: 'POST', headers: { authorization: 'Bearer the-admin-credential' } }, from('127.0.0.1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reloaded: ['Console'], failed: [] });
    expect(host.connectorNames()).toEqual(['Console']);
    await host.stop();
  });
});
