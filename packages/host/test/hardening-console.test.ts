// Findings 7 and 13 of the hostile review (issue 15), on a real `runHost` over HTTP: the console
// shows control and bidi characters from the target visibly instead of letting them spoof a name,
// and "/console/" with the slash admins type leads to the console.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHost } from '../src/server/run-host.js';
import type { RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

let dir: string;
let running: RunningHost;
let base: string;
let cookie = '';

/** A console request with the signed-in session's cookie; redirects are returned, not followed. */
function consoleFetch(pathname: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (cookie !== '') headers.set('cookie', cookie);
  return fetch(`${base}${pathname}`, { ...init, headers, redirect: 'manual' });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-hardening-console-'));
  const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
  await store.writeConnector(fixtureConfig('HR', TOKEN_A, path.join(dir, 'hr.json')));
  running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
  base = `http://127.0.0.1:${running.server.port}`;
  const login = await consoleFetch('/console/login');
  cookie = /ecmahost_console=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const signIn = await consoleFetch('/console/login', { method: 'POST', body: new URLSearchParams({ _csrf: csrf, credential: await store.readAdminToken() }) });
  expect(signIn.status).toBe(303);
  // Signing in starts a new session (a new cookie), as a browser would keep it.
  cookie = /ecmahost_console=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
});
afterAll(async () => {
  await running?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('finding 13: /console/', () => {
  it('redirects /console/ to the console, keeping the query', async () => {
    const res = await consoleFetch('/console/?from=bookmark');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console?from=bookmark');
    const overview = await consoleFetch('/console');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('<h1>Overview</h1>');
  });
});

describe('finding 7: control and bidi characters in the console', () => {
  const SPOOF = 'rtl\u202Egnp.exe';
  const NUL = 'nul\u0000byte';

  it('shows a user named with a right-to-left override and a NUL escaped in the cache browser', async () => {
    const created = await fetch(`${base}/ecma2host_HR/scim/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'spoof', displayName: SPOOF, name: { givenName: NUL } }),
    });
    expect(created.status).toBe(201);
    const page = await consoleFetch('/console/connectors/HR');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<td>rtl<span class="ctl" title="a control or bidirectional character">⟨U+202E⟩</span>gnp.exe</td>');
    expect(html).toContain('<td>nul<span class="ctl" title="a control or bidirectional character">⟨U+0000⟩</span>byte</td>');
    expect(html).not.toMatch(/[\u0000\u202E]/);
  });

  it('shows them escaped in a message that repeats what the request named', async () => {
    const res = await consoleFetch('/console/connectors/rtl%E2%80%AEgnp%00.exe');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('No connector named rtl<span class="ctl" title="a control or bidirectional character">⟨U+202E⟩</span>gnp<span class="ctl" title="a control or bidirectional character">⟨U+0000⟩</span>.exe is running.');
    expect(html).not.toMatch(/[\u0000\u202E]/);
  });
});
