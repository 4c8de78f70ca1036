// A first import that fails for a configuration reason (the Generic LDAP connector's default
// accesslog delta method on a slapd without the overlay, configured before the check existed or
// with the overlay removed since): the host keeps answering 503, as it cannot vouch for an empty
// cache, but Entra's 503 body and the admin status carry the connector's own message and code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshContainer } from '../../../../plugins/generic-ldap/test/ldap-target.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../../plugins/generic-ldap/test/slapd.js';
import { createAdminRoutes } from '../../src/admin/routes.js';
import { createHost, type Host } from '../../src/host.js';
import { initStore } from '../../src/store/store.js';
import { ldapInstanceConfig } from '../fixtures/ldap-instance.js';

const TOKEN = 'ldap-failing-import-token-0123456789';
const HOST_DIR = fileURLToPath(new URL('../..', import.meta.url));
const skip = slapdSkipReason();

describe.skipIf(skip !== undefined)(liveTitle('a first import failing on configuration says why (Generic LDAP on slapd without accesslog)', skip), () => {
  let slapd: Slapd;
  let host: Host;
  let dir: string;
  let adminToken: string;
  const logs: string[] = [];

  beforeAll(async () => {
    slapd = await startSlapd({ accesslog: false });
    const ou = await freshContainer(slapd, 'nolog');
    const config = ldapInstanceConfig(slapd, ou, { name: 'NoLog', token: TOKEN, deltaMethod: 'accesslog', scimMapping: { userName: 'uid' } });
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-failing-import-'));
    const { store } = await initStore(path.join(dir, 'data'));
    adminToken = await store.readAdminToken();
    host = createHost({ connectors: [config], logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }), resolveFrom: HOST_DIR });
    host.app.route('/admin', createAdminRoutes({ host, store, adminToken, allowRemote: true, loaded: [config] }));
    await host.start();
    await expect(host.runImport('NoLog')).rejects.toThrow(/cn=accesslog/);
  });
  afterAll(async () => {
    await host?.stop();
    await slapd?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('answers SCIM with 503 and Retry-After, naming the connector message and its code', async () => {
    const res = await host.app.request('/ecma2host_NoLog/scim/Users', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain('Connector NoLog is not available (failing)');
    expect(body.detail).toContain('The accesslog database cn=accesslog is not readable');
    expect(body.detail).toContain('[invalid-configuration]');
  });

  it('reports the message and code in /admin/status and logs them with the code, not internal', async () => {
    const res = await host.app.request('/admin/status', { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    const status = (await res.json()) as { connectors: { name: string; state: string; lastError?: string; lastErrorCode?: string }[] };
    const connector = status.connectors.find((c) => c.name === 'NoLog');
    expect(connector).toMatchObject({ state: 'failing', lastErrorCode: 'invalid-configuration' });
    expect(connector?.lastError).toContain("Enable OpenLDAP's accesslog overlay");
    const failed = logs.map((line) => JSON.parse(line) as { msg: string; err?: { code?: string; message?: string } }).filter((line) => line.msg === 'full import failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((line) => line.err?.code)).toEqual(failed.map(() => 'invalid-configuration'));
  });
});
