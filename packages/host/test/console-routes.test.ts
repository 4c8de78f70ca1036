// The console in-process: auth and CSRF refusal on every page and form, settings, the wizard over
// every SDK parameter type, secrets never rendered, and the connector page fed by real SCIM traffic.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConnector, isSecret } from '@ecmahost/sdk';
import type { ConnectorDefinition } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateToken } from '../src/auth/token.js';
import { mountConsole } from '../src/console/console-routes.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { initStore } from '../src/store/store.js';
import { generateSelfSignedCertificate, writePemPair } from '../src/tls/self-signed.js';
import type { Store } from '../src/store/store.js';
import fileStore from './fixtures/file-store-connector.js';

/** A console on a real store and host, driven in-process through the host app's fetch handler (no port). */
interface ConsoleFixture {
  host: Host;
  store: Store;
  adminToken: string;
  /** Sends a request as from `remote` (loopback by default), with the cookie jar's session. */
  request(pathname: string, init?: RequestInit & { form?: Record<string, string | string[]>; remote?: string; https?: boolean }): Promise<Response>;
  /** The jar's session cookie (undefined before the first visit). */
  cookie: string | undefined;
  /** Signs in and returns the CSRF token of the signed-in session. */
  signIn(): Promise<string>;
  cleanup(): Promise<void>;
}

/** The CSRF token rendered in a page's forms. */
function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field in the page');
  return match[1];
}

async function startConsoleFixture(options: { loadConnector?: (spec: string) => Promise<ConnectorDefinition>; plugins?: string[] } = {}): Promise<ConsoleFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-console-'));
  const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
  const adminToken = await store.readAdminToken();
  const host = createHost({ connectors: [], logger: pino({ level: 'silent' }), stateDir: store.paths.state, ...(options.loadConnector ? { loadConnector: options.loadConnector } : {}) });
  await host.start();
  const mounted = mountConsole(host.app, {
    host,
    store,
    adminToken,
    allowRemote: false,
    ...(options.loadConnector ? { loadConnector: options.loadConnector } : {}),
    ...(options.plugins ? { findPlugins: async () => (options.plugins ?? []).map((name) => ({ name, version: '1.0.0', directory: dir, apiVersion: 1 })) } : {}),
  });
  // As runHost serves it: the console sees every request through the wrapped fetch handler.
  const fetch = mounted.wrapFetch(host.app.fetch);
  const fixture: ConsoleFixture = {
    host,
    store,
    adminToken,
    cookie: undefined,
    async request(pathname, init = {}) {
      const { form, remote, https, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (fixture.cookie !== undefined) headers.set('cookie', fixture.cookie);
      let body = rest.body;
      if (form !== undefined) {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
        body = params.toString();
        headers.set('content-type', 'application/x-www-form-urlencoded');
      }
      const url = `${https ? 'https' : 'http'}://127.0.0.1:8585${pathname}`;
      const res = await fetch(new Request(url, { ...rest, headers, ...(body === undefined ? {} : { body }) }), { incoming: { socket: { remoteAddress: remote ?? '127.0.0.1' } } });
      const set = res.headers.get('set-cookie');
      const value = set === null ? undefined : /ecmahost_console=([^;]*)/.exec(set)?.[1];
      if (value !== undefined) fixture.cookie = value === '' ? undefined : `ecmahost_console=${value}`;
      return res;
    },
    async signIn() {
      const login = await fixture.request('/console/login');
      const res = await fixture.request('/console/login', { method: 'POST', form: { _csrf: csrfOf(await login.text()), credential: adminToken } });
      if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
      return csrfOf(await (await fixture.request('/console')).text());
    },
    async cleanup() {
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}


const PAGES = ['/console', '/console/settings', '/console/wizard', '/console/connectors/HR', '/console/connectors/HR/edit', '/console/connectors/HR/remove'];
const FORMS = [
  '/console/settings',
  '/console/settings/generate-certificate',
  '/console/wizard',
  '/console/connectors/HR/import',
  '/console/connectors/HR/token',
  '/console/connectors/HR/test',
  '/console/connectors/HR/remove',
  '/console/logout',
];

let f: ConsoleFixture;
beforeEach(async () => {
  f = await startConsoleFixture();
});
afterEach(async () => {
  await f.cleanup();
});

describe('console authentication', () => {
  it('sends an unauthenticated visit of every page to the sign-in page, and shows nothing of it', async () => {
    for (const page of PAGES) {
      const res = await f.request(page);
      expect(res.status, page).toBe(303);
      expect(res.headers.get('location'), page).toBe('/console/login');
      expect(await res.text(), page).toBe('');
    }
    const status = await f.request('/console/connectors/HR/import-status');
    expect(status.status).toBe(401);
  });

  it('refuses every form posted without a signed-in session with 401 and changes nothing', async () => {
    const settingsBefore = readFileSync(f.store.paths.hostSettings, 'utf8');
    for (const form of FORMS) {
      const res = await f.request(form, { method: 'POST', form: { port: '9999', hostName: 'evil.example', tlsMode: 'self-signed' } });
      expect(res.status, form).toBe(401);
    }
    // Even with the CSRF token of a session that is not signed in.
    const login = await f.request('/console/login');
    const csrf = csrfOf(await login.text());
    const res = await f.request('/console/settings', { method: 'POST', form: { _csrf: csrf, port: '9999', hostName: 'evil.example', tlsMode: 'self-signed' } });
    expect(res.status).toBe(401);
    expect(readFileSync(f.store.paths.hostSettings, 'utf8')).toBe(settingsBefore);
  });

  it('refuses the wrong credential and a connector SCIM token; accepts the admin credential from ecmahost init', async () => {
    const login = await f.request('/console/login');
    const csrf = csrfOf(await login.text());
    const wrong = await f.request('/console/login', { method: 'POST', form: { _csrf: csrf, credential: generateToken() } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That is not the admin credential.');
    const empty = await f.request('/console/login', { method: 'POST', form: { _csrf: csrf, credential: '' } });
    expect(empty.status).toBe(401);
    const right = await f.request('/console/login', { method: 'POST', form: { _csrf: csrf, credential: f.adminToken } });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/console');
    const overview = await f.request('/console');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('<h1>Overview</h1>');
  });

  it('issues a new session id at sign-in, HttpOnly and SameSite=Strict, Secure under HTTPS', async () => {
    const login = await f.request('/console/login', { https: true });
    const before = f.cookie;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    expect(login.headers.get('set-cookie')).toMatch(/Secure/);
    const res = await f.request('/console/login', { method: 'POST', https: true, form: { _csrf: csrfOf(await login.text()), credential: f.adminToken } });
    expect(res.headers.get('set-cookie')).toMatch(/Path=\/console; HttpOnly; Secure; SameSite=Strict/);
    expect(f.cookie).not.toBe(before);
    // The pre-sign-in session id no longer opens anything.
    f.cookie = before;
    expect((await f.request('/console')).status).toBe(303);
  });

  it('answers loopback only unless allowed', async () => {
    await f.signIn();
    const res = await f.request('/console', { remote: '192.0.2.10' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('loopback');
    expect((await f.request('/console/login', { remote: '192.0.2.10' })).status).toBe(403);
  });

  it('signs out: the session stops working', async () => {
    const csrf = await f.signIn();
    const cookie = f.cookie;
    expect((await f.request('/console/logout', { method: 'POST', form: { _csrf: csrf } })).status).toBe(303);
    f.cookie = cookie;
    expect((await f.request('/console')).status).toBe(303);
  });
});

describe('console CSRF', () => {
  it('refuses every form of a signed-in session posted without its CSRF token, or with another one, with 403', async () => {
    const csrf = await f.signIn();
    const settingsBefore = readFileSync(f.store.paths.hostSettings, 'utf8');
    for (const form of FORMS) {
      const missing = await f.request(form, { method: 'POST', form: { port: '9999', hostName: 'evil.example', tlsMode: 'self-signed' } });
      expect(missing.status, form).toBe(403);
      expect(await missing.text(), form).toContain('CSRF');
      const other = await f.request(form, { method: 'POST', form: { _csrf: `${csrf}x`, port: '9999', hostName: 'evil.example', tlsMode: 'self-signed' } });
      expect(other.status, form).toBe(403);
    }
    expect(readFileSync(f.store.paths.hostSettings, 'utf8')).toBe(settingsBefore);
    // The same session signs out with its token: it was the token that was missing.
    expect((await f.request('/console/logout', { method: 'POST', form: { _csrf: csrf } })).status).toBe(303);
  });

  it('refuses the sign-in form without its CSRF token', async () => {
    await f.request('/console/login');
    const res = await f.request('/console/login', { method: 'POST', form: { credential: f.adminToken } });
    expect(res.status).toBe(403);
  });

  it('saves settings with the token, through the store', async () => {
    const csrf = await f.signIn();
    const res = await f.request('/console/settings', { method: 'POST', form: { _csrf: csrf, port: '9443', hostName: 'ecma.example.test', tlsMode: 'self-signed' } });
    expect(res.status).toBe(303);
    expect(await f.store.readSettings()).toMatchObject({ port: 9443, hostName: 'ecma.example.test', tls: { mode: 'self-signed' }, adminAllowRemote: false });
    const page = await (await f.request('/console/settings')).text();
    expect(page).toContain('Settings saved');
    const bad = await f.request('/console/settings', { method: 'POST', form: { _csrf: csrf, port: '70000', hostName: 'x', tlsMode: 'pem', pemCert: '/nonexistent.pem', pemKey: '' } });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('A port number between 1 and 65535.');
    expect(text).toContain('A PEM certificate needs both the certificate file and the key file.');
    expect((await f.store.readSettings()).port).toBe(9443);
  });

  it('answers unknown console paths with a page, after sign-in only', async () => {
    expect((await f.request('/console/nothing')).status).toBe(303);
    await f.signIn();
    const res = await f.request('/console/nothing');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Nothing at /console/nothing.');
    const missing = await f.request('/console/connectors/Nobody');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No connector named Nobody is running.');
    const hostile = await (await f.request('/console/connectors/%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    expect(hostile).toContain('No connector named &lt;script&gt;alert(1)&lt;/script&gt; is running.');
    expect(hostile).not.toContain('<script>alert');
  });

  it('uses a PEM pair chosen in Settings after opening it, shows what it says, and never renders the passphrase', async () => {
    const csrf = await f.signIn();
    const pair = await generateSelfSignedCertificate({ hostName: 'pem.example.test' });
    const certFile = path.join(f.store.paths.root, 'admin.crt');
    const keyFile = path.join(f.store.paths.root, 'admin.key');
    await writePemPair(pair, certFile, keyFile);
    const mismatched = await generateSelfSignedCertificate({ hostName: 'other.example.test' });
    const otherKey = path.join(f.store.paths.root, 'other.key');
    await writePemPair(mismatched, path.join(f.store.paths.root, 'other.crt'), otherKey);
    const refused = await f.request('/console/settings', { method: 'POST', form: { _csrf: csrf, port: '8585', hostName: 'pem.example.test', tlsMode: 'pem', pemCert: certFile, pemKey: otherKey } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(`cannot use ${certFile} with ${otherKey}`);
    expect((await f.store.readSettings()).tls).toEqual({ mode: 'self-signed' });
    const saved = await f.request('/console/settings', { method: 'POST', form: { _csrf: csrf, port: '8585', hostName: 'pem.example.test', tlsMode: 'pem', pemCert: certFile, pemKey: keyFile, passphrase: 'not-needed-but-kept-secret' } });
    expect(saved.status).toBe(303);
    expect((await f.store.readSettings()).tls).toMatchObject({ mode: 'pem', cert: certFile, key: keyFile });
    const page = await (await f.request('/console/settings')).text();
    expect(page).toContain('<dd id="cert-subject">CN=pem.example.test</dd>');
    expect(page).toContain('DNS:pem.example.test, DNS:localhost');
    expect(page).not.toContain('not-needed-but-kept-secret');
    expect(page).toMatch(/id="passphrase" name="passphrase" value=""[^>]*placeholder="unchanged"/);
  });

  it('sets security headers on console pages', async () => {
    const res = await f.request('/console/login');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

// A connector showing every SDK parameter type, a page series that depends on an earlier answer
// (Schema 2 only in "advanced" mode), and its own validation; it opens the file-store fixture.
const ALL_TYPES = defineConnector({
  name: 'all-types',
  displayName: 'All parameter types',
  version: '1.0.0',
  capabilities: { import: true, deltaImport: false, export: true, dnStyle: 'generic' },
  parameters(request) {
    if (request.page === 'connectivity' && request.pageNumber === 1) {
      return [
        { name: 'intro', type: 'label', text: 'Where the store lives.' },
        { name: 'file', type: 'file', label: 'Store file', required: true },
        { name: 'server', type: 'string', label: 'Server', default: 'store.example.test', pattern: '^[a-z.]+$', patternMessage: 'lower-case letters and dots only' },
        { name: 'password', type: 'encryptedString', label: 'Password' },
        { name: 'sep', type: 'divider' },
        { name: 'notes', type: 'text', label: 'Notes', default: 'line one' },
        { name: 'verbose', type: 'checkbox', label: 'Verbose', default: true },
        { name: 'mode', type: 'dropdown', options: ['simple', 'advanced'], default: 'simple' },
        { name: 'flavor', type: 'dropdown', options: ['vanilla', 'chocolate'], extensible: true },
      ];
    }
    if (request.page === 'schema' && request.pageNumber === 1) return [{ name: 'extra', type: 'string', label: 'Extra' }];
    if (request.page === 'schema' && request.pageNumber === 2 && request.values.mode === 'advanced') return [{ name: 'advancedOption', type: 'string', label: 'Advanced option', required: true }];
    return [];
  },
  validate(request) {
    if (request.page === 'connectivity' && request.values.server === 'unreachable.example') return [{ parameter: 'server', message: 'cannot reach unreachable.example' }];
    return [];
  },
  open: (values, context) => fileStore.open({ file: values.file ?? '' }, context),
});

async function pageOf(f: ConsoleFixture): Promise<string> {
  const res = await f.request('/console/wizard');
  return res.text();
}

function headingOf(html: string): string {
  return /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
}

describe('console wizard', () => {
  let w: ConsoleFixture;
  let csrf: string;
  let storeFile: string;
  beforeEach(async () => {
    w = await startConsoleFixture({ loadConnector: async () => ALL_TYPES, plugins: ['all-types'] });
    csrf = await w.signIn();
    storeFile = path.join(w.store.paths.root, 'people.json');
  });
  afterEach(async () => {
    await w.cleanup();
  });

  const post = (form: Record<string, string | string[]>) => w.request('/console/wizard', { method: 'POST', form: { _csrf: csrf, ...form } });

  it('renders every parameter type from the definitions, keeps typed values on Back, never renders the secret, and saves what the CLI saves', async () => {
    expect(headingOf(await pageOf(w))).toBe('New connector: Properties');
    const badProps = await post({ nav: 'next', name: 'bad name!', package: '', autosync: 'x', token: 'short' });
    expect(badProps.status).toBe(400);
    const badText = await badProps.text();
    expect(badText).toContain('use 1 to 64 letters');
    expect(badText).toContain('Choose the connector package.');
    expect(badText).toContain('A whole number of minutes');
    expect(badText).toContain('at least 32 characters');
    // A module path posted instead of a listed package is never loaded.
    const modulePath = await post({ nav: 'next', name: 'People', package: '/tmp/evil-module.js', autosync: '0', token: '' });
    expect(modulePath.status).toBe(400);
    expect(await modulePath.text()).toContain('/tmp/evil-module.js is not an installed connector package.');
    expect((await post({ nav: 'next', name: 'People', package: 'all-types', autosync: '0', token: '' })).status).toBe(303);

    let html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Connectivity');
    expect(html).toContain('Where the store lives.');
    expect(html).toContain('<hr/>');
    expect(html).toMatch(/<input type="text" id="param-server" name="p.server" value="store.example.test"/);
    expect(html).toMatch(/<input type="password" id="param-password" name="p.password" value=""/);
    expect(html).toMatch(/<textarea id="param-notes" name="p.notes">line one<\/textarea>/);
    expect(html).toMatch(/<input type="checkbox" id="param-verbose" name="p.verbose" value="true" checked=""/);
    expect(html).toMatch(/<select id="param-mode" name="p.mode">/);
    expect(html).toMatch(/<datalist id="param-flavor-options"><option value="vanilla"><\/option><option value="chocolate"><\/option><\/datalist>/);

    // The SDK's rules and the connector's validate, each message next to its field.
    const typed = { 'p.file': '', 'p.server': 'Upper.Case', 'p.password': 'pw-s3cret-value', 'p.notes': 'two\nlines', 'present.verbose': '1', 'p.mode': 'advanced', 'p.flavor': 'pistachio' };
    const invalid = await post({ nav: 'next', ...typed });
    expect(invalid.status).toBe(400);
    html = await invalid.text();
    expect(html).toMatch(/id="error-file"[^>]*>Store file is required\./);
    expect(html).toMatch(/id="error-server"[^>]*>lower-case letters and dots only/);
    expect(html).not.toContain('pw-s3cret-value');
    expect(html).toMatch(/id="param-password" name="p.password" value=""[^>]*placeholder="unchanged"/);
    expect(html).not.toMatch(/id="param-verbose"[^>]*checked/);
    expect(html).toMatch(/<option value="advanced" selected="">/);
    expect(html).toContain('value="pistachio"');
    const refused = await post({ nav: 'next', 'p.file': storeFile, 'p.server': 'unreachable.example', 'present.verbose': '1', 'p.mode': 'advanced', 'p.flavor': 'pistachio' });
    expect(await refused.text()).toMatch(/id="error-server"[^>]*>cannot reach unreachable.example/);
    expect((await post({ nav: 'next', 'p.file': storeFile, 'p.server': 'store.example.test', 'present.verbose': '1', 'p.mode': 'advanced', 'p.flavor': 'pistachio' })).status).toBe(303);

    // Schema 1, then Schema 2 because mode is advanced; Back keeps what was typed.
    expect(headingOf(await pageOf(w))).toBe('New connector: Schema 1');
    await post({ nav: 'next', 'p.extra': 'kept-value' });
    expect(headingOf(await pageOf(w))).toBe('New connector: Schema 2');
    await post({ nav: 'back', 'p.advancedOption': 'typed-before-back' });
    html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Schema 1');
    expect(html).toContain('value="kept-value"');
    await post({ nav: 'next', 'p.extra': 'kept-value' });
    html = await pageOf(w);
    expect(html).toContain('value="typed-before-back"');
    await post({ nav: 'next', 'p.advancedOption': 'typed-before-back' });

    // Object Types and Select Attributes from the connector's schema.
    html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Object Types');
    expect(html).toContain('<option value="person" selected="">person</option>');
    expect(html).toMatch(/id="anchor-login" checked=""/);
    await post({ nav: 'next', objectType: 'person', anchor: 'login', dnMode: 'autogenerate' });
    html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Select Attributes');
    expect(html).toContain('aria-label="treat objectClass as single value"');
    await post({ nav: 'next', attr: ['login', 'firstName', 'mail', 'objectClass', 'accountDisabled'], single: ['objectClass'] });
    html = await pageOf(w);
    // The SCIM mapping, proposed from what is served: the anchor for userName, firstName and mail.
    expect(headingOf(html)).toBe('New connector: SCIM Mapping');
    expect(html).toMatch(/<select id="scim-0" name="scim-0" data-scim-path="userName">.*<option value="login" selected="">login<\/option>/s);
    expect(html).toMatch(/data-scim-path="emails\[type eq &quot;work&quot;\]\.value">.*?<option value="mail" selected="">mail<\/option>/s);
    // A mapping onto an attribute that is not served (a forged form) is refused on the page.
    const forged = await post({ nav: 'next', 'scim-0': 'login', 'scim-1': 'shoeSize' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('externalId is mapped to shoeSize, which is not a served attribute of person.');
    await post({ nav: 'next', 'scim-0': 'login', 'scim-3': 'firstName', 'scim-5': 'mail', 'scim-2': 'objectClass' });
    html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Deprovisioning');
    expect(html).toContain('<option value="attribute:accountDisabled">Set attribute value: accountDisabled</option>');
    await post({ nav: 'next', disable: 'attribute:accountDisabled', disableInverted: 'true', deleteFlow: 'none' });
    html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Run Profiles');
    expect(html).toContain('This connector offers no delta import');
    expect(html).not.toContain('batch');
    expect((await post({ nav: 'next', importPageSize: '0' })).status).toBe(400);
    await post({ nav: 'next', importPageSize: '10' });
    html = await pageOf(w);
    expect(headingOf(html)).toBe('New connector: Finish');
    expect(html).not.toContain('pw-s3cret-value');

    const done = await post({ nav: 'finish' });
    expect(done.status).toBe(200);
    html = await done.text();
    expect(html).toContain('value="http://localhost:8585/ecma2host_People/scim"');
    const token = /id="new-token" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const saved = await w.store.readConnector('People');
    expect(saved).toMatchObject({
      package: 'all-types',
      autosyncMinutes: 0,
      objectType: 'person',
      anchor: ['login'],
      dn: { autogenerate: true },
      attributes: [{ name: 'login' }, { name: 'firstName' }, { name: 'mail' }, { name: 'objectClass', singleValue: true }, { name: 'accountDisabled' }],
      deprovisioning: { disable: { action: 'attribute', attribute: 'accountDisabled', activeValue: false }, delete: { action: 'none' } },
      runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10 } },
      scimMapping: { userName: 'login', displayName: 'objectClass', 'name.givenName': 'firstName', 'emails[type eq "work"].value': 'mail' },
      parameters: { file: storeFile, server: 'store.example.test', notes: 'two\nlines', verbose: false, mode: 'advanced', flavor: 'pistachio', extra: 'kept-value', advancedOption: 'typed-before-back' },
    });
    expect(isSecret(saved.parameters.password) && saved.parameters.password.reveal()).toBe('pw-s3cret-value');
    expect(readFileSync(path.join(w.store.paths.connectors, 'People.yaml'), 'utf8')).not.toContain('pw-s3cret-value');
    // The running host serves it with the token shown once.
    await expect.poll(() => w.host.connectorStatus('People')?.state).toBe('ready');
    const scim = await w.request('/ecma2host_People/scim/Users', { headers: { authorization: `Bearer ${token}` } });
    expect(scim.status).toBe(200);

    // Edit and remove name a configured connector; any other name is a 404 page.
    expect((await w.request('/console/connectors/Nobody/edit')).status).toBe(404);
    expect((await w.request('/console/connectors/Nobody/remove', { method: 'POST', form: { _csrf: csrf } })).status).toBe(404);
    const removed = await w.request('/console/connectors/People/remove', { method: 'POST', form: { _csrf: csrf } });
    expect(removed.status).toBe(303);
    expect(await w.store.hasConnector('People')).toBe(false);
    expect((await w.request('/ecma2host_People/scim/Users', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('lists connector export errors with the directory message and the last requests', async () => {
    await post({ nav: 'next', name: 'People', package: 'all-types', autosync: '0', token: 'a-typed-token-0123456789-abcdefghij' });
    await post({ nav: 'next', 'p.file': storeFile, 'present.verbose': '1', 'p.mode': 'simple' });
    await post({ nav: 'next', 'p.extra': '' });
    await post({ nav: 'next', objectType: 'person', anchor: 'login', dnMode: 'autogenerate' });
    await post({ nav: 'next', attr: ['login', 'firstName', 'mail'] });
    await post({ nav: 'next', 'scim-0': 'login' });
    await post({ nav: 'next', disable: 'none', deleteFlow: 'delete' });
    await post({ nav: 'next', importPageSize: '10' });
    const done = await (await post({ nav: 'finish' })).text();
    expect(done).toContain('The secret token is the one you typed.');
    await expect.poll(() => w.host.connectorStatus('People')?.state).toBe('ready');
    const bearer = { authorization: 'Bearer a-typed-token-0123456789-abcdefghij', 'content-type': 'application/scim+json' };
    const ext = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
    const noFirst = await w.request('/ecma2host_People/scim/Users', { method: 'POST', headers: bearer, body: JSON.stringify({ schemas: [ext], [ext]: { login: 'nofirst' } }) });
    expect(noFirst.status).toBeGreaterThanOrEqual(400);
    const ok = await w.request('/ecma2host_People/scim/Users', { method: 'POST', headers: bearer, body: JSON.stringify({ schemas: [ext], [ext]: { login: 'ann', firstName: 'Ann' } }) });
    expect(ok.status).toBe(201);
    const page = await (await w.request('/console/connectors/People')).text();
    const errors = /<table id="export-errors">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
    expect(errors).toContain('POST /ecma2host_People/scim/Users');
    expect(errors).toContain('Cannot insert the value NULL into column &#39;firstName&#39;.');
    const requests = /<table id="requests">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
    expect(requests).toContain('<td>201</td>');
    expect(requests).not.toContain('a-typed-token-0123456789-abcdefghij');
    // The cache browser finds the created user and refuses a malformed filter with its message.
    const found = await (await w.request(`/console/connectors/People?filter=${encodeURIComponent(`${ext}:login eq "ann"`)}`)).text();
    expect(found).toContain('1 matching objects');
    expect(/<table id="cache-table">([\s\S]*?)<\/table>/.exec(found)?.[1]).toContain('<td>Ann</td>');
    const malformed = await (await w.request(`/console/connectors/People?filter=${encodeURIComponent('login eq')}`)).text();
    expect(malformed).toMatch(/id="cache-error">[^<]+/);

    // An import started from the page, followed through the status endpoint the page polls.
    const started = await w.request('/console/connectors/People/import', { method: 'POST', form: { _csrf: csrf, delta: 'false' } });
    expect(started.status).toBe(303);
    await expect.poll(async () => ((await (await w.request('/console/connectors/People/import-status')).json()) as { state: string }).state).toBe('completed');
    const status = (await (await w.request('/console/connectors/People/import-status')).json()) as { objects: number; detail: string };
    expect(status.objects).toBe(1);
    expect(status.detail).toMatch(/^full import completed: 1 objects in \d+ ms; cache 1\.$/);
  });
});
