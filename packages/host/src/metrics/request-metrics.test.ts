import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestMetrics } from './request-metrics.js';

// The metrics as they were defined before the counts moved out of prom-client: what a scrape
// showed then is what it must show now.
function promClientReference(): { registry: Registry; record: (connector: string, method: string, status: number, seconds: number) => void } {
  const registry = new Registry();
  const requests = new Counter({ name: 'ecmahost_scim_requests_total', help: 'SCIM requests answered, by connector, method and status', labelNames: ['connector', 'method', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'ecmahost_scim_request_duration_seconds',
    help: 'Time to answer a SCIM request',
    labelNames: ['connector', 'method'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    record: (connector, method, status, seconds) => {
      requests.inc({ connector, method, status: String(status) });
      latency.observe({ connector, method }, seconds);
    },
  };
}

const REQUESTS: [string, string, number, number][] = [
  ['HR', 'GET', 200, 0.0012],
  ['Directory', 'GET', 200, 0.005],
  ['HR', 'POST', 201, 0.051],
  ['HR', 'GET', 404, 0.01],
  ['HR', 'GET', 200, 12.5],
  ['Directory', 'PATCH', 500, 2.5],
  ['HR', 'GET', 200, 0.3],
  ['Back\\slash "quoted"\nname', 'DELETE', 204, 0],
];

describe('RequestMetrics', () => {
  it("scrapes to the same exposition text and JSON as prom-client's own Counter and Histogram fed the same requests", async () => {
    const reference = promClientReference();
    const registry = new Registry();
    const metrics = new RequestMetrics(registry);
    expect(await registry.metrics()).toBe(await reference.registry.metrics());

    for (const [connector, method, status, seconds] of REQUESTS) {
      reference.record(connector, method, status, seconds);
      metrics.record(connector, method, status, seconds);
    }
    const text = await registry.metrics();
    expect(text).toBe(await reference.registry.metrics());
    expect(text).toContain('ecmahost_scim_requests_total{connector="HR",method="GET",status="200"} 3');
    expect(text).toContain('ecmahost_scim_request_duration_seconds_bucket{le="10",connector="HR",method="GET"} 3');
    expect(text).toContain('ecmahost_scim_request_duration_seconds_count{connector="HR",method="GET"} 4');
    expect(await registry.getMetricsAsJSON()).toEqual(await reference.registry.getMetricsAsJSON());

    // Scraping does not consume the counts: a second scrape after more requests adds up.
    reference.record('HR', 'GET', 200, 0.002);
    metrics.record('HR', 'GET', 200, 0.002);
    expect(await registry.metrics()).toBe(await reference.registry.metrics());
  });
});
