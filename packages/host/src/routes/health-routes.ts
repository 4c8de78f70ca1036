import type { Context, Hono } from 'hono';
import type { HostMetrics } from '../metrics/host-metrics.js';
import type { HostEnv } from './host-env.js';

/** One connector's line in `/readyz`: no error text, since `/readyz` needs no token. */
export interface ConnectorReadiness {
  state: string;
  cacheSize: number;
  lastImport?: unknown;
  nextImports?: unknown;
}

/** What `/readyz` reports. */
export interface ReadinessReport {
  ready: boolean;
  connectors: Record<string, ConnectorReadiness>;
  certificate?: { notAfter: string; daysLeft: number };
}

/**
 * Decides from a request's `Authorization` header whether it may see what `/readyz` and
 * `/metrics` tell beyond ready or not: connector names, states, cache sizes, imports, the
 * certificate, request counts.
 */
export type HealthDetailsCheck = (authorization: string | undefined) => boolean;

/**
 * `/healthz` (the process answers); `/readyz`, the whole host: 200 when every connector is
 * `ready` (its first import finished and its target answered the last import and write), else 503;
 * `/readyz?connector=<name>`, one connector: 200 when it is `ready`, 503 when not (importing,
 * degraded, failing), so a load balancer checking one connector's URL does not drop it for
 * another's failure; `/metrics` (Prometheus text). They sit outside the connector prefix and
 * carry no secrets. A caller `showDetails` admits also gets each connector's state in `/readyz`
 * (404 for an unknown name) and `/metrics`; any other caller gets only `{ "ready": … }` with the
 * same status (an unknown name is not ready, so names cannot be probed) and a 401 from `/metrics`,
 * whose labels name the connectors (issue 15, finding 11).
 */
export function registerHealthRoutes(app: Hono<HostEnv>, readiness: () => ReadinessReport, metrics: HostMetrics, showDetails: HealthDetailsCheck = () => true): void {
  const detailed = (c: Context<HostEnv>): boolean => showDetails(c.req.header('authorization'));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const report = readiness();
    const name = c.req.query('connector');
    const connector = name === undefined || !Object.hasOwn(report.connectors, name) ? undefined : report.connectors[name];
    if (!detailed(c)) {
      const ready = name === undefined ? report.ready : connector?.state === 'ready';
      return c.json({ ready }, ready ? 200 : 503);
    }
    if (name === undefined) return c.json(report, report.ready ? 200 : 503);
    if (connector === undefined) return c.json({ ready: false, connector: name.slice(0, 200), error: 'no connector of this name is configured' }, 404);
    const ready = connector.state === 'ready';
    return c.json({ ready, connector: name, ...connector }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    if (!detailed(c)) return c.text('/metrics needs the admin credential or the metrics token: "Authorization: Bearer <token>" (docs/admin/security.md).', 401);
    return c.body(await metrics.text(), 200, { 'content-type': metrics.contentType });
  });
}
