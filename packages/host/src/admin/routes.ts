import { createHash, timingSafeEqual } from 'node:crypto';
import { isSecret } from '@ecmahost/sdk';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import type { Host } from '../host.js';
import { isLoopback, requestClient } from '../middleware/client-address.js';
import type { Store } from '../store/store.js';
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
  /** The configurations the host was started with, to tell what a reload changes. */
  loaded: readonly ConnectorInstanceConfig[];
}

type AdminEnv = { Bindings: Partial<HttpBindings> };

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// A comparable form of a configuration: secrets revealed (they are compared, never sent).
function fingerprint(config: ConnectorInstanceConfig): string {
  const parameters = Object.fromEntries(Object.entries(config.parameters).map(([k, v]) => [k, isSecret(v) ? { secret: v.reveal() } : v]));
  return JSON.stringify({ ...config, tokenHash: '', parameters });
}

function problem(c: Context, status: 400 | 401 | 403 | 404 | 500, error: string): Response {
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
  const loaded = new Map(options.loaded.map((c) => [c.name, c]));
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

  admin.get('/status', (c) => c.json(host.status()));

  admin.route('/', createConnectorRoutes({ host, store, loaded }));

  admin.post('/connectors/:name/import', (c) => {
    const name = c.req.param('name');
    if (!host.connectorNames().includes(name)) return problem(c, 404, `no connector named ${name} is running.`);
    const delta = c.req.query('delta') === 'true';
    c.header('content-type', 'application/x-ndjson');
    return stream(c, async (out) => {
      try {
        const summary = await host.runImport(name, {
          delta,
          onProgress: (progress) => {
            void out.write(`${JSON.stringify({ progress })}\n`);
          },
        });
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
      const status = (error as { status?: number }).status;
      return problem(c, status === 400 ? 400 : 500, (error as Error).message);
    }
  });

  admin.post('/reload', async (c) => {
    const names = await store.listConnectorNames();
    const wanted = new Map<string, ConnectorInstanceConfig>();
    const failed: { name: string; error: string }[] = [];
    for (const name of names) {
      try {
        wanted.set(name, await store.readConnector(name));
      } catch (error) {
        // An unreadable file leaves the running instance as it is.
        failed.push({ name, error: (error as Error).message });
      }
    }
    const reloaded: string[] = [];
    for (const name of host.connectorNames()) {
      if (!names.includes(name)) {
        await host.removeConnector(name);
        loaded.delete(name);
        reloaded.push(name);
      }
    }
    for (const [name, config] of wanted) {
      const before = loaded.get(name);
      // A connector may be running without being in `loaded` (the console adds connectors to the
      // running host itself): replace it rather than add it a second time.
      try {
        if (!host.connectorNames().includes(name)) await host.addConnector(config);
        else if (before === undefined || fingerprint(before) !== fingerprint(config)) await host.replaceConnector(config);
        else if (before.tokenHash !== config.tokenHash) host.rotateToken(name, config.tokenHash);
        else continue;
      } catch (error) {
        // The host opens a changed configuration before it stops the old instance: a refusal
        // leaves the old one serving, and the caller hears the connector's message.
        failed.push({ name, error: (error as Error).message });
        continue;
      }
      loaded.set(name, config);
      reloaded.push(name);
    }
    return c.json({ reloaded, failed });
  });

  return admin;
}
