// Finding 11 of the hostile review (issue 15), on a real `runHost` over HTTP: wrong console
// sign-ins from one address are answered 429 with a growing Retry-After, and with `trustProxy`
// set, a request relayed by a proxy on loopback is judged by the client address it forwards, so
// the console and /admin stay closed to other machines behind a TLS proxy on the same machine.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIGN_IN_FREE_FAILURES } from '../src/console/sign-in-backoff.js';
import { TOKEN_FREE_FAILURES } from '../src/middleware/bearer-auth.js';
import { runHost } from '../src/server/run-host.js';
import type { RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';

let dir: string;
let running: RunningHost;
let base: string;
let adminToken: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-hardening-sign-in-'));
  const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
  // As an admin documents a TLS proxy on the same machine: by hand in host.yaml.
  await writeFile(store.paths.hostSettings, `${await readFile(store.paths.hostSettings, 'utf8')}trustProxy:\n  - 127.0.0.1\n  - ::1\n`);
  adminToken = await store.readAdminToken();
  running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
  base = `http://127.0.0.1:${running.server.port}`;
});
afterAll(async () => {
  await running?.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A sign-in form posted as a browser would: the sign-in page's cookie and CSRF token first. */
async function signIn(credential: string, headers: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(`${base}/console/login`, { headers });
  const cookie = /ecmahost_console=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return fetch(`${base}/console/login`, { method: 'POST', headers: { ...headers, cookie }, body: new URLSearchParams({ _csrf: csrf, credential }), redirect: 'manual' });
}

describe('backoff on wrong console sign-ins', () => {
  it(`answers 429 with a doubling Retry-After after ${SIGN_IN_FREE_FAILURES} wrong credentials from one address`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Straight from loopback (the trusted proxy's own address, no X-Forwarded-For): the client is 127.0.0.1.
    const attacker = {};
    for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++) expect((await signIn('wrong-credential', attacker)).status).toBe(401);
    // One more wrong one is checked, and from then on the address waits 1, 2, 4 … seconds.
    expect((await signIn('wrong-credential', attacker)).status).toBe(401);
    let refused = await signIn(adminToken, attacker);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toContain('Too many wrong sign-ins from your address: try again in 1 seconds.');
    vi.setSystemTime(Date.now() + 1000);
    expect((await signIn('wrong-credential', attacker)).status).toBe(401);
    refused = await signIn(adminToken, attacker);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    vi.setSystemTime(Date.now() + 2000);
    expect((await signIn('wrong-credential', attacker)).status).toBe(401);
    expect((await signIn(adminToken, attacker)).headers.get('retry-after')).toBe('4');
    // Another address is not held back by the first one's failures: a local client relayed by the proxy.
    expect((await signIn(adminToken, { 'x-forwarded-for': '::ffff:127.0.0.1' })).status).toBe(303);
    // Once the wait is over, the right credential signs in and clears the address.
    vi.setSystemTime(Date.now() + 4000);
    expect((await signIn(adminToken, attacker)).status).toBe(303);
    expect((await signIn('wrong-credential', attacker)).status).toBe(401);
    expect((await signIn('wrong-credential', attacker)).status).toBe(401);
  });
});

describe('backoff on refused bearer tokens', () => {
  /** A SCIM request with a wrong token, relayed by the proxy on loopback for `client`. */
  const wrongToken = (client: string) =>
    fetch(`${base}/ecma2host_HR/scim/Users`, { headers: { authorization: 'Bearer not-the-token-of-any-connector-0123', 'x-forwarded-for': client } });

  it(`answers 429 with a doubling Retry-After after ${TOKEN_FREE_FAILURES} refused tokens from one address, and not to others`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i <= TOKEN_FREE_FAILURES; i++) expect((await wrongToken('198.51.100.7')).status).toBe(401);
    let refused = await wrongToken('198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ status: '429', detail: 'Too many refused bearer tokens from your address; retry in 1 seconds.' });
    // Another client behind the same proxy is still checked.
    expect((await wrongToken('198.51.100.8')).status).toBe(401);
    vi.setSystemTime(Date.now() + 1000);
    expect((await wrongToken('198.51.100.7')).status).toBe(401);
    refused = await wrongToken('198.51.100.7');
    expect(refused.headers.get('retry-after')).toBe('2');
  });

  it('does not count requests that present no token', async () => {
    for (let i = 0; i <= TOKEN_FREE_FAILURES + 5; i++) expect((await fetch(`${base}/ecma2host_HR/scim/Users`, { headers: { 'x-forwarded-for': '198.51.100.9' } })).status).toBe(401);
  });
});

describe('trustProxy', () => {
  const relayed = { 'x-forwarded-for': '203.0.113.9' };

  it('refuses the console to a client a proxy on loopback relays from another machine', async () => {
    const res = await fetch(`${base}/console/login`, { headers: relayed });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('The console answers loopback requests only (adminAllowRemote in host.yaml).');
    expect((await fetch(`${base}/console/login`)).status).toBe(200);
  });

  it('refuses /admin to it too, even with the admin credential', async () => {
    const res = await fetch(`${base}/admin/status`, { headers: { ...relayed, authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(403);
    expect((await fetch(`${base}/admin/status`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
  });

  it('believes only the hop the trusted proxy added, not addresses the client wrote before it', async () => {
    // The client claims to be loopback; the proxy appends the address it really came from.
    const res = await fetch(`${base}/console/login`, { headers: { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' } });
    expect(res.status).toBe(403);
  });
});
