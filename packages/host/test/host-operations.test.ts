import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CSEntryChange } from '@ecmahost/sdk';
import { pino } from 'pino';
import { hashToken } from '../src/auth/token.js';
import { EXPORT_CONCURRENCY } from '../src/connectors/export-gateway.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { generatedConnector } from './fixtures/generated-connector.js';
import type { GeneratedOptions } from './fixtures/generated-connector.js';
import { EXT, TOKEN_A, fixtureConfig, startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

let f: FixtureHost;

/** A host over a generated target that accepts duplicates, so only the host's own check can refuse them. */
function laxHost(options: GeneratedOptions): Host {
  return createHost({
    connectors: [
      fixtureConfig('Lax', TOKEN_A, 'unused', {
        attributes: [{ name: 'login' }, { name: 'firstName' }],
        scimMapping: { userName: 'login' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      }),
    ],
    loadConnector: async () => generatedConnector(options),
    logger: pino({ level: 'silent' }),
  });
}

async function laxPost(host: Host, body: unknown): Promise<Response> {
  return host.app.request('/ecma2host_Lax/scim/Users', { method: 'POST', headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
}
beforeEach(async () => {
  f = await startFixtureHost();
});
afterEach(async () => {
  await f.cleanup();
});

const BASE = '/ecma2host_A/scim';

async function create(login: string): Promise<string> {
  const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: login, name: { givenName: 'G' } }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('host operations', () => {
  it('serves /healthz, /readyz and Prometheus /metrics without a token', async () => {
    expect(await (await f.request('/healthz', { token: null })).json()).toEqual({ status: 'ok' });
    const ready = await f.request('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, connectors: { A: { state: 'ready', cacheSize: 0 } } });
    await create('metrics-user');
    await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'metrics-user', name: { givenName: 'G' } }) });
    const metrics = await (await f.request('/metrics', { token: null })).text();
    expect(metrics).toMatch(/ecmahost_scim_requests_total\{connector="A",method="POST",status="201"\} 1/);
    expect(metrics).toMatch(/ecmahost_scim_requests_total\{connector="A",method="POST",status="409"\} 1/);
    expect(metrics).toMatch(/ecmahost_imports_total\{connector="A",type="full",result="success"\} 1/);
    expect(metrics).toContain('ecmahost_scim_request_duration_seconds_bucket');
    expect(metrics).toContain('ecmahost_cache_objects{connector="A"}');
  });

  it('counts export errors by code', async () => {
    await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'no-first-name' }) });
    const metrics = await (await f.request('/metrics', { token: null })).text();
    expect(metrics).toMatch(/ecmahost_export_errors_total\{connector="A",code="syntax-violation"\} 1/);
    expect(f.host.connectorStatus('A')?.exportErrors).toBe(1);
  });

  it('answers unknown paths outside the connector prefix with a SCIM 404 and leaves /admin free', async () => {
    // Admin routes are mounted before the first request (Hono builds its router then).
    f.host.app.get('/admin/ping', (c) => c.text('pong'));
    f.host.app.get('/admin/scim/x', (c) => c.text('admin scim'));
    const res = await f.request('/nothing-here', { token: null });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: '404' });
    expect(await (await f.request('/admin/ping', { token: null })).text()).toBe('pong');
    expect(await (await f.request('/admin/scim/x', { token: null })).text()).toBe('admin scim');
  });

  it('picks up a delta import: changes made in the target after the full import', async () => {
    const id = await create('delta-user');
    // Another writer changes the target directly (a second host, an admin tool).
    const store = f.store('A');
    store.objects['delta-user']!.attributes.displayName = ['Changed Elsewhere'];
    store.objects['outside'] = { attributes: { login: ['outside'], firstName: ['O'] } };
    store.seq += 2;
    store.log.push({ seq: store.seq - 1, login: 'delta-user' }, { seq: store.seq, login: 'outside' });
    writeFileSync(f.file('A'), JSON.stringify(store));
    const summary = await f.host.runImport('A', { delta: true });
    expect(summary).toMatchObject({ type: 'delta', objects: 2 });
    expect(await (await f.request(`${BASE}/Users/${id}`)).json()).toMatchObject({ displayName: 'Changed Elsewhere' });
    expect(await (await f.request(`${BASE}/Users?filter=userName+eq+"outside"`)).json()).toMatchObject({ totalResults: 1 });
  });

  it('rotates a token: the old one is refused at once', async () => {
    f.host.rotateToken('A', hashToken('a-brand-new-token-123'));
    expect((await f.request(`${BASE}/Users`)).status).toBe(401);
    expect((await f.request(`${BASE}/Users`, { token: 'a-brand-new-token-123' })).status).toBe(200);
  });

  it('adds and removes connectors at run time', async () => {
    await f.host.addConnector(fixtureConfig('C', TOKEN_A, f.file('C')));
    await f.host.runImport('C');
    expect((await f.request('/ecma2host_C/scim/Users')).status).toBe(200);
    await f.host.removeConnector('C');
    expect((await f.request('/ecma2host_C/scim/Users')).status).toBe(401);
    expect(f.host.connectorNames()).toEqual(['A']);
  });

  it('pages with startIndex and count and projects attributes', async () => {
    for (const login of ['p1', 'p2', 'p3', 'p4', 'p5']) await create(login);
    const page = (await (await f.request(`${BASE}/Users?startIndex=2&count=2&attributes=userName`)).json()) as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: Record<string, unknown>[] };
    expect(page).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.Resources.map((r) => r.userName)).toEqual(['p2', 'p3']);
    expect(Object.keys(page.Resources[0]!).sort()).toEqual(['id', 'schemas', 'userName']);
    const excluded = (await (await f.request(`${BASE}/Users?filter=userName+eq+"p1"&excludedAttributes=${EXT},meta`)).json()) as { Resources: Record<string, unknown>[] };
    expect(excluded.Resources[0]).not.toHaveProperty(EXT);
    expect(excluded.Resources[0]).not.toHaveProperty('meta');
    expect(excluded.Resources[0]).toHaveProperty('userName', 'p1');
  });

  it('replaces a user with PUT', async () => {
    const id = await create('put-user');
    const res = await f.request(`${BASE}/Users/${id}`, { method: 'PUT', body: JSON.stringify({ userName: 'put-user', name: { givenName: 'New' }, displayName: 'Put' }) });
    expect(res.status).toBe(200);
    expect(f.store('A').objects['put-user']!.attributes).toMatchObject({ firstName: ['New'], displayName: ['Put'] });
  });

  it('refuses a password the target rejects with its own message', async () => {
    const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'weak', name: { givenName: 'W' }, [EXT]: { export_password: 'short' } }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('password policy');
    expect(f.store('A').passwords).toEqual({});
  });

  it('keeps the delta watermark in the state directory', async () => {
    await create('watermark-user');
    await f.host.runImport('A', { delta: true });
    const kept = JSON.parse(readFileSync(path.join(f.dir, 'state', 'A.watermark.json'), 'utf8')) as { watermark: string };
    expect(kept.watermark).toBe(String(f.store('A').seq));
  });

  it('runs the autosync import on its timer (delta when the connector and profile allow it)', async () => {
    await f.host.addConnector(fixtureConfig('Auto', TOKEN_A, f.file('Auto'), { autosyncMinutes: 1 }));
    await f.host.runImport('Auto');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      // The autosync timer was armed before faking: re-arm it by restarting the connector.
      await f.host.replaceConnector(fixtureConfig('Auto', TOKEN_A, f.file('Auto'), { autosyncMinutes: 1 }));
      await f.host.runImport('Auto');
      writeFileSync(f.file('Auto'), JSON.stringify({ seq: 1, objects: { timed: { attributes: { login: ['timed'], firstName: ['T'] } } }, passwords: {}, log: [{ seq: 1, login: 'timed' }] }));
      vi.advanceTimersByTime(60_000);
      const summary = await f.host.runImport('Auto');
      expect(summary.type).toBe('delta');
      expect(await (await f.request('/ecma2host_Auto/scim/Users?filter=userName+eq+"timed"')).json()).toMatchObject({ totalResults: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers 503 with Retry-After when the connector throws during an export, without leaking the driver message', async () => {
    // The "target" becomes unreadable: the fixture's file read throws a raw Node error.
    rmSync(f.file('A'), { force: true });
    mkdirSync(f.file('A'));
    const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'x', name: { givenName: 'X' } }) });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain('see the host log');
    expect(body.detail).not.toContain(f.dir);
    expect((await f.request(`${BASE}/Users?filter=userName+eq+"x"`)).status).toBe(200);
    expect(await (await f.request(`${BASE}/Users?filter=userName+eq+"x"`)).json()).toMatchObject({ totalResults: 0 });
    rmSync(f.file('A'), { recursive: true });
  });

  it('sends value changes for multi-valued attributes, or the whole object to an objectReplace connector', async () => {
    const id = await create('shape-user');
    await f.request(`${BASE}/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ Operations: [{ op: 'add', path: `${EXT}:objectClass`, value: ['a', 'b'] }] }) });
    expect(f.store('A').log.at(-1)).toMatchObject({ login: 'shape-user', modification: 'update' });

    await f.host.addConnector(fixtureConfig('R', TOKEN_A, f.file('R'), { parameters: { file: f.file('R'), exportType: 'objectReplace' } }));
    await f.host.runImport('R');
    const created = await f.request('/ecma2host_R/scim/Users', { method: 'POST', body: JSON.stringify({ userName: 'replaced', name: { givenName: 'G' }, displayName: 'Before' }) });
    const rid = ((await created.json()) as { id: string }).id;
    const res = await f.request(`/ecma2host_R/scim/Users/${rid}`, { method: 'PATCH', body: JSON.stringify({ Operations: [{ op: 'Replace', path: 'displayName', value: 'After' }] }) });
    expect(res.status).toBe(200);
    const store = f.store('R');
    expect(store.log.at(-1)).toMatchObject({ login: 'replaced', modification: 'replace' });
    // A replace carries the whole object: the attributes the PATCH did not name are still there.
    expect(store.objects.replaced!.attributes).toMatchObject({ login: ['replaced'], firstName: ['G'], displayName: ['After'], accountDisabled: [false] });
  });

  it('follows the deprovisioning settings: disable by delete, delete by nothing', async () => {
    await f.host.addConnector(
      fixtureConfig('D', TOKEN_A, f.file('D'), { deprovisioning: { disable: { action: 'delete' }, delete: { action: 'none' } } }),
    );
    await f.host.runImport('D');
    const post = async (login: string) =>
      ((await (await f.request('/ecma2host_D/scim/Users', { method: 'POST', body: JSON.stringify({ userName: login, name: { givenName: 'G' } }) })).json()) as { id: string }).id;
    const disabled = await post('disabled');
    const res = await f.request(`/ecma2host_D/scim/Users/${disabled}`, { method: 'PATCH', body: JSON.stringify({ Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: false });
    expect(f.store('D').objects.disabled).toBeUndefined();
    expect(f.store('D').log.at(-1)).toMatchObject({ login: 'disabled', modification: 'delete' });

    const kept = await post('kept');
    expect((await f.request(`/ecma2host_D/scim/Users/${kept}`, { method: 'DELETE' })).status).toBe(204);
    // The delete flow is "none": the target keeps the row, the host forgets it until the next import.
    expect(f.store('D').objects.kept).toBeDefined();
    expect((await f.request(`/ecma2host_D/scim/Users/${kept}`)).status).toBe(404);
  });

  it('serialises concurrent writes: the same user posted three times at once is exported once', async () => {
    const exported: CSEntryChange[] = [];
    const host = laxHost({ count: 0, exported });
    await host.start();
    await host.runImport('Lax');
    const post = () => laxPost(host, { userName: 'racer' });
    const statuses = await Promise.all([post(), post(), post()]).then((responses) => responses.map((r) => r.status));
    expect(statuses.sort()).toEqual([201, 409, 409]);
    expect(exported.map((c) => c.modification)).toEqual(['add']);
    await host.stop();
  });

  it.each([
    { declared: undefined, bound: EXPORT_CONCURRENCY },
    { declared: 2, bound: 2 },
    { declared: 6, bound: 6 },
  ])('exports different users side by side, at most $bound at once (maxConcurrentOperations $declared), and one user one request at a time', async ({ declared, bound }) => {
    const exported: CSEntryChange[] = [];
    let inFlight = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const host = laxHost({
      count: 0,
      exported,
      ...(declared === undefined ? {} : { maxConcurrentOperations: declared }),
      beforeExport: async () => {
        most = Math.max(most, ++inFlight);
        // Held until the lock has let in all it will, then everything goes.
        if (inFlight === bound) release();
        await gate;
        inFlight--;
      },
    });
    await host.start();
    await host.runImport('Lax');
    const logins = [...Array.from({ length: 12 }, (_, i) => `parallel${String(i)}`), 'parallel0'];
    const statuses = await Promise.all(logins.map((login) => laxPost(host, { userName: login }))).then((responses) => responses.map((r) => r.status));
    expect(most).toBe(bound);
    expect(statuses).toEqual([...Array.from({ length: 12 }, () => 201), 409]);
    expect(exported.map((c) => c.anchor.login).sort()).toEqual(logins.slice(0, 12).sort());
    await host.stop();
  });

  it('finishes an add on the retry of a POST whose password call failed: 201, the password set, no second add', async () => {
    const exported: CSEntryChange[] = [];
    const passwords = { set: [] as string[], failures: 1 };
    const host = laxHost({ count: 0, exported, passwords });
    await host.start();
    await host.runImport('Lax');
    const body = { userName: 'unlucky', [EXT]: { export_password: 'Initial-Passw0rd!' } };
    const failed = await laxPost(host, body);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).not.toBeNull();
    expect(((await failed.json()) as { detail: string }).detail).toContain('could not set the password: Connection closed');

    const retried = await laxPost(host, body);
    expect(retried.status).toBe(201);
    expect(await retried.json()).toMatchObject({ userName: 'unlucky' });
    expect(passwords.set).toEqual(['unlucky:Initial-Passw0rd!']);
    expect(exported.map((c) => c.modification)).toEqual(['add']);
    // Once the password is set the object is an ordinary existing one again.
    expect((await laxPost(host, body)).status).toBe(409);
    await host.stop();
  });

  it('finishes an add whose outcome was lost (committed, then the connection dropped) on the retry of its POST', async () => {
    writeFileSync(f.file('A'), JSON.stringify({ ...f.store('A'), dropAfterCommit: 1 }));
    const body = { userName: 'lost-reply', name: { givenName: 'Lost' }, [EXT]: { export_password: 'Initial-Passw0rd!' } };
    const failed = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(body) });
    expect(failed.status).toBe(503);
    expect(f.store('A').objects['lost-reply']).toBeDefined();
    expect(f.store('A').passwords['lost-reply']).toBeUndefined();

    const retried = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(body) });
    expect(retried.status).toBe(201);
    expect(await retried.json()).toMatchObject({ userName: 'lost-reply', name: { givenName: 'Lost' } });
    expect(f.store('A').passwords['lost-reply']).toBe('Initial-Passw0rd!');
    expect(f.store('A').log.filter((l) => l.login === 'lost-reply').map((l) => l.modification)).toEqual(['add']);

    // A POST for the same login with other values is still a conflict.
    writeFileSync(f.file('A'), JSON.stringify({ ...f.store('A'), dropAfterCommit: 1 }));
    expect((await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'lost-other', name: { givenName: 'A' } }) })).status).toBe(503);
    expect((await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'lost-other', name: { givenName: 'B' } }) })).status).toBe(409);
  });

  it('answers 409 to a POST for an object whose password call failed when the POST asks for different values', async () => {
    const passwords = { set: [] as string[], failures: 1 };
    const host = laxHost({ count: 0, passwords });
    await host.start();
    await host.runImport('Lax');
    expect((await laxPost(host, { userName: 'unlucky', [EXT]: { export_password: 'Initial-Passw0rd!' } })).status).toBe(503);
    const other = await laxPost(host, { userName: 'unlucky', [EXT]: { firstName: 'Someone else', export_password: 'Initial-Passw0rd!' } });
    expect(other.status).toBe(409);
    expect(passwords.set).toEqual([]);
    await host.stop();
  });

  it('keeps meta.created and meta.lastModified across full imports that find the object unchanged', async () => {
    const id = await create('stable-meta');
    const meta = async () => ((await (await f.request(`${BASE}/Users/${id}`)).json()) as { meta: { created: string; lastModified: string } }).meta;
    const created = (await meta()).created;
    // The first import also brings the target's own values (createdAt), so the object changed.
    await f.host.runImport('A');
    const imported = await meta();
    expect(imported.created).toBe(created);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await f.host.runImport('A');
    expect(await meta()).toEqual(imported);
  });
});
