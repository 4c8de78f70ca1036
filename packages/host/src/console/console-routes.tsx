import { createHash, timingSafeEqual } from 'node:crypto';
import type { ConnectorDefinition } from '@ecmahost/sdk';
import { Hono } from 'hono';
import type { Context, Env } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { generateToken, hashToken } from '../auth/token.js';
import { findPlugins } from '../plugins/find-plugins.js';
import type { PluginReport } from '../plugins/find-plugins.js';
import { loadDefinition } from '../plugins/connector-loading.js';
import { schemaAnswersOf } from '../configure/build-config.js';
import { testAndDiscover } from '../configure/connection-test.js';
import { checkSchemaAnswers } from '../configure/schema-choices.js';
import type { Host } from '../host.js';
import type { Store } from '../store/store.js';
import { ActivityLog } from './activity-log.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { ImportTracker } from './import-tracker.js';
import { auditDir, readAuditLines } from '../audit/read-audit.js';
import { NO_AUDIT } from '../audit/audit-event.js';
import type { AuditSink } from '../audit/audit-event.js';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { field } from './console-env.js';
import { ConnectorPage, RemoveConnectorPage } from './pages/connector-page.js';
import type { ConnectorView } from './pages/connector-page.js';
import { LoginPage } from './pages/login-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { ProblemPage } from './pages/problem-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { settingsView, saveSettings, generateCertificate } from './settings-actions.js';
import { isLoopback, requestClient } from '../middleware/client-address.js';
import { SessionStore } from './sessions.js';
import { signInBackoff } from './sign-in-backoff.js';
import type { ConsoleSession } from './sessions.js';
import { handleWizardPost, renderWizard } from './wizard-routes.js';
import { formOf, pageContext, tenantUrl } from './request-helpers.js';
import { editWizard } from './wizard-state.js';

/** Options of {@link consoleRoutes} and {@link mountConsole}. */
export interface ConsoleOptions {
  host: Host;
  store: Store;
  /** The admin credential written by `ecmahost init` (the data directory's `admin-token`). */
  adminToken: string;
  /** Answer browsers on other machines too; loopback only when `false` (`adminAllowRemote` in host.yaml). */
  allowRemote: boolean;
  /** Addresses of trusted TLS proxies (`trustProxy` in host.yaml): their requests' client is the `X-Forwarded-For` one. */
  trustProxy?: readonly string[];
  /** Where the last requests and export errors are kept; a new one when absent. */
  activity?: ActivityLog;
  /** Lists the installed connector packages; default: the discovery of `ecmahost plugins list`. */
  findPlugins?: () => Promise<PluginReport[]>;
  /** Loads a connector package; default: the loader `ecmahost connector add` uses. */
  loadConnector?: (spec: string) => Promise<ConnectorDefinition>;
  /** Where connector changes, token rotations, certificates and imports started here are recorded; none when absent. */
  audit?: AuditSink;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'ecmahost_console';
// Forms are small; a larger body is not a console form.
const MAX_FORM_BYTES = 256 * 1024;
// Rows the cache browser shows: enough to find someone, few enough to read; a filter narrows it.
const CACHE_PAGE = 25;
// Audit lines the connector page shows: the recent story; `ecmahost audit tail` has the rest.
const AUDIT_LINES = 20;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The admin console's routes (mount at `/console`): sign-in with the admin credential, the
 * overview, first-run settings, the connector wizard and each connector's page. Every page but
 * the sign-in page needs a signed-in session; every POST needs the session's CSRF token (403
 * without it); requests from other machines are refused unless `allowRemote`.
 */
export function consoleRoutes(options: ConsoleOptions): Hono<ConsoleEnv> {
  const { host, store } = options;
  const sessions = new SessionStore();
  const deps: ConsoleDeps = {
    host,
    store,
    activity: options.activity ?? new ActivityLog(),
    imports: new ImportTracker(),
    findPlugins: options.findPlugins ?? (() => findPlugins(store.paths.root)),
    loadConnector: options.loadConnector ?? ((spec) => loadDefinition(spec, store.paths.root)),
    audit: options.audit ?? NO_AUDIT,
  };
  const app = new Hono<ConsoleEnv>();
  const backoff = signInBackoff();
  const clientOf = (c: Context<ConsoleEnv>): string | undefined => requestClient(c, options.trustProxy ?? []);

  // Admins type "/console/" (issue 15, finding 13); the pages' links and the session cookie's
  // path are "/console", so the slash is sent there rather than served as a second address.
  app.use('*', async (c, next) => {
    if (c.req.path !== '/console/') return next();
    const url = new URL(c.req.url);
    return c.redirect(`/console${url.search}`, c.req.method === 'GET' || c.req.method === 'HEAD' ? 301 : 308);
  });

  app.use('*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
    c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  });

  // The stylesheet and script are the same for everyone and hold nothing secret: the sign-in page needs them.
  app.get('/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/assets/console.js', (c) => c.body(CONSOLE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

  app.use('*', async (c, next) => {
    if (!options.allowRemote && !isLoopback(clientOf(c))) {
      return c.text('The console answers loopback requests only (adminAllowRemote in host.yaml).', 403);
    }
    return next();
  });

  app.use('*', bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('The form is too large.', 413) }));

  const secure = (c: Context<ConsoleEnv>): boolean => new URL(c.req.url).protocol === 'https:';
  const setSessionCookie = (c: Context<ConsoleEnv>, session: ConsoleSession): void => {
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/console' });
  };

  // Session, authentication and CSRF, in that order: an unknown caller is sent to sign in (pages)
  // or refused with 401 (forms, JSON); a signed-in POST without its session's CSRF token gets 403.
  app.use('*', async (c, next) => {
    const isLogin = c.req.path === '/console/login';
    let session = sessions.get(getCookie(c, SESSION_COOKIE));
    if (c.req.method === 'POST') {
      if (session === undefined || (!session.authenticated && !isLogin)) return c.text('Sign in first.', 401);
      const form = await formOf(c);
      const presented = field(form, '_csrf') ?? '';
      if (!sameSecret(presented, session.csrf)) return c.text('The form is missing its CSRF token or the token is stale: reload the page and try again.', 403);
      c.set('session', session);
      return next();
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method not allowed.', 405);
    if (isLogin) {
      if (session === undefined) {
        session = sessions.create();
        setSessionCookie(c, session);
      }
      c.set('session', session);
      return next();
    }
    if (session === undefined || !session.authenticated) {
      // The progress endpoint is polled by script: a redirect to an HTML page would not help it.
      if (c.req.path.endsWith('/import-status')) return c.json({ error: 'sign in first' }, 401);
      return c.redirect('/console/login', 303);
    }
    c.set('session', session);
    return next();
  });

  app.get('/login', (c) => {
    if (c.get('session').authenticated) return c.redirect('/console', 303);
    return c.html(<LoginPage ctx={pageContext(c)} adminTokenFile={store.paths.adminToken} />);
  });

  app.post('/login', async (c) => {
    // Without an address (not served over a socket) every caller shares one backoff.
    const client = clientOf(c) ?? '';
    const wait = backoff.waitSeconds(client);
    if (wait > 0) {
      c.header('retry-after', String(wait));
      return c.html(<LoginPage ctx={pageContext(c)} adminTokenFile={store.paths.adminToken} error={`Too many wrong sign-ins from your address: try again in ${wait} seconds.`} />, 429);
    }
    const credential = field(await formOf(c), 'credential') ?? '';
    if (credential === '' || !sameSecret(credential, options.adminToken)) {
      backoff.fail(client);
      return c.html(<LoginPage ctx={pageContext(c)} adminTokenFile={store.paths.adminToken} error="That is not the admin credential." />, 401);
    }
    backoff.succeed(client);
    const session = sessions.signIn(c.get('session'));
    setSessionCookie(c, session);
    return c.redirect('/console', 303);
  });

  app.post('/logout', (c) => {
    sessions.end(c.get('session').id);
    deleteCookie(c, SESSION_COOKIE, { path: '/console' });
    return c.redirect('/console/login', 303);
  });

  app.get('/', (c) => {
    const importing = new Set(host.connectorNames().filter((n) => deps.imports.get(n)?.state === 'running'));
    return c.html(<OverviewPage ctx={pageContext(c)} status={host.status()} importing={importing} />);
  });

  app.get('/settings', async (c) => c.html(<SettingsPage ctx={pageContext(c)} view={await settingsView(store, c.req.url, {})} />));
  app.post('/settings', async (c) => {
    const form = await formOf(c);
    const errors = await saveSettings(store, form);
    if (Object.keys(errors).length > 0) {
      const typed: Record<string, string> = {};
      for (const key of ['port', 'hostName', 'tlsMode', 'pemCert', 'pemKey', 'pfx']) typed[key] = field(form, key) ?? '';
      return c.html(<SettingsPage ctx={pageContext(c)} view={{ ...(await settingsView(store, c.req.url, errors)), typed }} />, 400);
    }
    deps.audit.record({ actor: 'admin', action: 'settings.change', result: 'ok', detail: { fields: Object.keys(form).filter((k) => k !== '_csrf') } });
    c.get('session').flash = 'Settings saved. Restart the host to serve a new port or certificate.';
    return c.redirect('/console/settings', 303);
  });
  app.post('/settings/generate-certificate', async (c) => {
    const error = await generateCertificate(store, field(await formOf(c), 'hostName') ?? '');
    if (error !== undefined) return c.html(<SettingsPage ctx={pageContext(c)} view={await settingsView(store, c.req.url, { generate: error })} />, 400);
    deps.audit.record({ actor: 'admin', action: 'certificate.change', result: 'ok', detail: { source: 'self-signed' } });
    c.get('session').flash = 'Generated a self-signed certificate. Restart the host to serve it; Entra\'s agent machine must trust it.';
    return c.redirect('/console/settings', 303);
  });

  app.get('/wizard', (c) => {
    // "New connector" leaves an edit that was abandoned half-way; a new connector in progress resumes.
    if (c.req.query('new') === '1' && c.get('session').wizard?.editing !== undefined) delete c.get('session').wizard;
    return renderWizard(c, deps);
  });
  app.post('/wizard', (c) => handleWizardPost(c, deps));

  const connectorView = async (c: Context<ConsoleEnv>, name: string, extra: Partial<ConnectorView> = {}): Promise<Response> => {
    const status = host.connectorStatus(name);
    if (status === undefined) return c.html(<OverviewPage ctx={{ ...pageContext(c), flash: `No connector named ${name} is running.` }} status={host.status()} importing={new Set()} />, 404);
    const filter = c.req.method === 'GET' ? (c.req.query('filter') ?? '') : '';
    const cache: ConnectorView['cache'] = { filter, resources: [], total: 0 };
    try {
      const result = host.queryCache(name, filter.trim() === '' ? undefined : filter, { count: CACHE_PAGE });
      cache.resources = result.resources;
      cache.total = result.totalResults;
    } catch (error) {
      cache.error = (error as Error).message;
    }
    const config = await store.readConnector(name).catch(() => undefined);
    const view: ConnectorView = {
      status,
      tenantUrl: await tenantUrl(c, store, name),
      connectorLabel: config?.package ?? '(not in the data directory)',
      requests: deps.activity.requests(name),
      exportErrors: deps.activity.exportErrors(name),
      // Lines wait up to AUDIT_BATCH_MS for their append: the page shows the ones recorded just before it.
      audit: await Promise.resolve(deps.audit.flush?.())
        .then(() => readAuditLines(auditDir(store.paths.root), { limit: AUDIT_LINES, connector: name }))
        .then(
        (lines) => ({ lines: lines.reverse() }),
        (error: unknown) => ({ lines: [], error: (error as Error).message }),
      ),
      cache,
      ...extra,
    };
    const tracked = deps.imports.get(name);
    if (tracked !== undefined) view.importState = tracked;
    return c.html(<ConnectorPage ctx={pageContext(c)} view={view} />);
  };

  app.get('/connectors/:name', (c) => connectorView(c, c.req.param('name')));

  app.get('/connectors/:name/import-status', (c) => {
    const t = deps.imports.get(c.req.param('name'));
    if (t === undefined) return c.json({ state: 'idle', objects: 0, pages: 0, detail: '' });
    const detail =
      t.state === 'completed' && t.summary
        ? `${t.summary.type} import completed: ${t.summary.objects} objects in ${t.summary.durationMs} ms; cache ${t.summary.cacheSize}.`
        : t.state === 'failed'
          ? `import failed: ${t.error ?? ''}`
          : `${t.type} import running since ${t.startedAt}`;
    return c.json({ state: t.state, objects: t.summary?.objects ?? t.progress?.objects ?? 0, pages: t.progress?.pages ?? 0, detail });
  });

  app.post('/connectors/:name/import', async (c) => {
    const name = c.req.param('name');
    if (!host.connectorNames().includes(name)) return connectorView(c, name);
    deps.imports.start(host, name, field(await formOf(c), 'delta') === 'true', deps.audit);
    return c.redirect(`/console/connectors/${encodeURIComponent(name)}`, 303);
  });

  app.post('/connectors/:name/token', async (c) => {
    const name = c.req.param('name');
    if (!host.connectorNames().includes(name)) return connectorView(c, name);
    const config = await store.readConnector(name);
    const token = generateToken();
    const tokenHash = hashToken(token);
    // Saved first, as "ecmahost token rotate" does, so a restart keeps the new token.
    await store.writeConnector({ ...config, tokenHash });
    host.rotateToken(name, tokenHash);
    deps.audit.record({ actor: 'admin', action: 'token.rotate', connector: name, result: 'ok' });
    return connectorView(c, name, { newToken: token });
  });

  app.post('/connectors/:name/test', async (c) => {
    const name = c.req.param('name');
    if (!host.connectorNames().includes(name)) return connectorView(c, name);
    let test: ConnectorView['test'];
    try {
      const config = await store.readConnector(name);
      const definition = await deps.loadConnector(config.package);
      // What `ecmahost connector test` checks: the connector's own test, then that discovery still
      // finds what the configuration serves.
      const issues = checkSchemaAnswers(await testAndDiscover(definition, config.parameters), schemaAnswersOf(config));
      test = issues.length === 0 ? { ok: true, message: `Connection succeeded (${definition.displayName}).` } : { ok: false, message: `Connected, but the schema no longer fits: ${issues.map((i) => i.message).join(' ')}` };
    } catch (error) {
      test = { ok: false, message: `Connection failed: ${(error as Error).message}` };
    }
    return connectorView(c, name, { test });
  });

  // Edit: the wizard again, every page pre-filled from the stored configuration.
  app.get('/connectors/:name/edit', async (c) => {
    const name = c.req.param('name');
    if (!(await store.hasConnector(name))) return c.html(<ProblemPage ctx={pageContext(c)} title="Not found" message={`No connector named ${name} is configured.`} />, 404);
    const config = await store.readConnector(name);
    c.get('session').wizard = editWizard(config, await deps.loadConnector(config.package));
    return c.redirect('/console/wizard', 303);
  });

  app.get('/connectors/:name/remove', async (c) => {
    const name = c.req.param('name');
    if (!(await store.hasConnector(name)) && !host.connectorNames().includes(name)) return c.html(<ProblemPage ctx={pageContext(c)} title="Not found" message={`No connector named ${name} is configured.`} />, 404);
    return c.html(<RemoveConnectorPage ctx={pageContext(c)} name={name} tenantUrl={await tenantUrl(c, store, name)} />);
  });

  app.post('/connectors/:name/remove', async (c) => {
    const name = c.req.param('name');
    const configured = await store.hasConnector(name);
    const running = host.connectorNames().includes(name);
    if (!configured && !running) return c.html(<ProblemPage ctx={pageContext(c)} title="Not found" message={`No connector named ${name} is configured.`} />, 404);
    // As "ecmahost connector remove" and a reload do: the file first, so a restart does not bring it back.
    if (configured) await store.removeConnector(name);
    if (running) await host.removeConnector(name);
    deps.audit.record({ actor: 'admin', action: 'connector.remove', connector: name, result: 'ok' });
    c.get('session').flash = `Removed connector ${name}: its SCIM URL answers 404 now.`;
    return c.redirect('/console', 303);
  });

  app.all('*', (c) => c.html(<ProblemPage ctx={pageContext(c)} title="Not found" message={`Nothing at ${c.req.path.slice(0, 200)}.`} />, 404));
  // One place for unexpected failures (an unreadable data directory, a connector throwing): a page
  // with the message instead of the SCIM error body the host's own handler writes.
  app.onError((error, c) => {
    const session = c.var.session as ConsoleSession | undefined;
    const ctx = session === undefined ? { csrf: '', signedIn: false } : pageContext(c);
    return c.html(<ProblemPage ctx={ctx} title="Something went wrong" message={error.message} />, 500);
  });

  return app;
}

/** What {@link mountConsole} returns. */
export interface MountedConsole {
  activity: ActivityLog;
  /** Wraps the server's fetch handler so the console sees every SCIM request and failed export. */
  wrapFetch: ActivityLog['wrapFetch'];
}

/** Mounts the console at `/console` on the host's app. */
export function mountConsole<E extends Env>(app: Hono<E>, options: ConsoleOptions): MountedConsole {
  const activity = options.activity ?? new ActivityLog();
  app.route('/console', consoleRoutes({ ...options, activity }));
  return { activity, wrapFetch: (fetch) => activity.wrapFetch(fetch) };
}
