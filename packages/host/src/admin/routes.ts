import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { NO_AUDIT } from '../audit/audit-event.js';
import type { AuditSink } from '../audit/audit-event.js';
import { auditImport } from '../audit/import-audit.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import type { Host } from '../host.js';
import { isLoopback, requestClient } from '../middleware/client-address.js';
import type { Store } from '../store/store.js';
import { CLIENT_HEADER, adminActor, adminAudit, requestIdOf } from './admin-audit.js';
import { reloadConnectors } from './connector-reload.js';
import type { ConnectorReloadResult } from './connector-reload.js';
import { createConnectorRoutes } from './connector-routes.js';

/** Options of {@link createAdminRoutes}. */
export interface AdminRoutesOptions {
  host: Host;
  store: Store;
  /** The admin credential (the `admin-token` file of the data directory). */
  adminToken: string;
  /** Answer requests from other machines too; loopback only when `false`. */
  allowRemote: boolean;
  /** Addresses of trusted TLS proxies (`trustProxy` in host.yaml): their requests' client is the `X-Forwarded-For` one. */
  trustProxy?: readonly string[];
  /**
   * The configurations the host was started with, to tell what a reload changes. A map is used as
   * it is, so a caller reloading by other means (SIGHUP) shares the routes' record.
   */
  loaded: readonly ConnectorInstanceConfig[] | Map<string, ConnectorInstanceConfig>;
  /** Replaces what `POST /reload` does (the served host also reloads its certificate); default {@link reloadConnectors}. */
  reload?: () => Promise<ConnectorReloadResult>;
  /** Where connector changes, reloads and imports are recorded; none when absent. */
  audit?: AuditSink;
}

type AdminEnv = { Bindings: Partial<HttpBindings> };

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function problem(c: Context, status: 400 | 401 | 403 | 404 | 500 | 503, error: string): Response {
  return c.json({ error }, status);
}

/**
 * The `/admin` routes the CLI talks to on a running host: status, an import with streamed
 * progress, a cache query, a reload of the connectors from the data directory (a connector
 * whose new configuration does not open keeps running as it was and is listed as failed), and
 * creating, changing and removing a connector (see `connector-routes.ts`). Every request
 * needs the admin credential (never a connector's SCIM token) and, unless allowed, comes from
 * loopback.
 */
export function createAdminRoutes(options: AdminRoutesOptions): Hono<AdminEnv> {
  const { host, store } = options;
  const expected = digest(options.adminToken);
  const loaded = options.loaded instanceof Map ? options.loaded : new Map(options.loaded.map((c) => [c.name, c]));
  const admin = new Hono<AdminEnv>();

  admin.use('*', async (c, next) => {
    const client = requestClient(c, options.trustProxy ?? []);
    if (!options.allowRemote && !isLoopback(client)) {
      return problem(c, 403, 'the admin API answers loopback requests only (adminAllowRemote in host.yaml).');
    }
    const header = c.req.header('authorization') ?? '';
    const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), expected)) return problem(c, 401, 'the admin credential is missing or wrong (see the admin-token file of the data directory).');
    return next();
  });
  const audit = options.audit ?? NO_AUDIT;
  admin.use('*', adminAudit(audit));

  admin.get('/status', (c) => c.json(host.status()));

  admin.route('/', createConnectorRoutes({ host, store, loaded }));

  admin.post('/connectors/:name/import', (c) => {
    const name = c.req.param('name');
    if (!host.connectorNames().includes(name)) return problem(c, 404, `no connector named ${name} is running.`);
    const delta = c.req.query('delta') === 'true';
    c.header('content-type', 'application/x-ndjson');
    return stream(c, async (out) => {
      try {
        const run = host.runImport(name, {
          delta,
          onProgress: (progress) => {
            void out.write(`${JSON.stringify({ progress })}\n`);
          },
        });
        const summary = await auditImport(audit, adminActor(c.req.header(CLIENT_HEADER)), name, delta ? 'delta' : 'full', run, requestIdOf(c.var));
        await out.write(`${JSON.stringify({ summary })}\n`);
      } catch (error) {
        await out.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
      }
    });
  });

  admin.get('/connectors/:name/cache', (c) => {
    const name = c.req.param('name');
    if (!host.connectorNames().includes(name)) return problem(c, 404, `no connector named ${name} is running.`);
    const count = c.req.query('count');
    const startIndex = c.req.query('startIndex');
    const paging: { startIndex?: number; count?: number } = {};
    if (count !== undefined) paging.count = Number(count);
    if (startIndex !== undefined) paging.startIndex = Number(startIndex);
    try {
      return c.json(host.queryCache(name, c.req.query('filter'), paging));
    } catch (error) {
      // The statuses SCIM answers for the same query: a bad filter, or a connector that cannot answer yet.
      const status = (error as { status?: number }).status;
      return problem(c, status === 400 || status === 503 ? status : 500, (error as Error).message);
    }
  });

  admin.post('/reload', async (c) => c.json(await (options.reload ?? (() => reloadConnectors(host, store, loaded)))()));

  return admin;
}
