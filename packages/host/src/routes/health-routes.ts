import type { Hono } from 'hono';
import type { HostMetrics } from '../metrics/host-metrics.js';
import type { HostEnv } from './host-env.js';

/** What `/readyz` reports. */
export interface ReadinessReport {
  ready: boolean;
  connectors: Record<string, { state: string; cacheSize: number; lastImport?: unknown }>;
  certificate?: { notAfter: string; daysLeft: number };
}

/**
 * `/healthz` (the process answers), `/readyz` (every connector's first import has finished:
 * 200, else 503, with per-connector state either way) and `/metrics` (Prometheus text). They sit
 * outside the connector prefix and carry no secrets, so they need no token.
 */
export function registerHealthRoutes(app: Hono<HostEnv>, readiness: () => ReadinessReport, metrics: HostMetrics): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const report = readiness();
    return c.json(report, report.ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await metrics.text(), 200, { 'content-type': metrics.contentType }));
}
