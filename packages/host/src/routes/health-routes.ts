import type { Hono } from 'hono';
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
 * `/healthz` (the process answers); `/readyz`, the whole host: 200 when every connector is
 * `ready` (its first import finished and its target answered the last import and write), else 503,
 * with each connector's state either way; `/readyz?connector=<name>`, one connector: 200 when it
 * is `ready`, 503 when not (importing, degraded, failing), 404 for an unknown name, so a load
 * balancer checking one connector's URL does not drop it for another's failure; `/metrics`
 * (Prometheus text). They sit outside the connector prefix and carry no secrets, so they need no
 * token.
 */
export function registerHealthRoutes(app: Hono<HostEnv>, readiness: () => ReadinessReport, metrics: HostMetrics): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const report = readiness();
    const name = c.req.query('connector');
    if (name === undefined) return c.json(report, report.ready ? 200 : 503);
    const connector = Object.hasOwn(report.connectors, name) ? report.connectors[name] : undefined;
    if (connector === undefined) return c.json({ ready: false, connector: name.slice(0, 200), error: 'no connector of this name is configured' }, 404);
    const ready = connector.state === 'ready';
    return c.json({ ready, connector: name, ...connector }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await metrics.text(), 200, { 'content-type': metrics.contentType }));
}
