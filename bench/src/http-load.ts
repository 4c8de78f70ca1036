import autocannon from 'autocannon';
import type { LoopResult } from './bare-loop.js';

/** One bounded HTTP load phase. */
export interface HttpLoad {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Stops earlier once this many requests were sent. */
  maxRequests: number;
  method: 'GET' | 'POST' | 'PATCH';
  headers: Record<string, string>;
  /** The path and body of the n-th request (n counts across all connections). */
  request: (n: number) => { path: string; body?: string };
  /** The status every request must get; any other counts as a failure. */
  expectStatus: number;
}

/**
 * Drives a server with autocannon (one pipelined request per connection at a time) and returns
 * the rate of requests answered with the expected status, and the 99th percentile of the latency.
 */
export async function runHttpLoad(load: HttpLoad): Promise<LoopResult> {
  let n = 0;
  let expected = 0;
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    pipelining: 1,
    duration: load.durationSeconds,
    maxOverallRequests: load.maxRequests,
    timeout: 30,
    requests: [
      {
        method: load.method,
        headers: load.headers,
        setupRequest: (request) => {
          const next = load.request(n++);
          return { ...request, path: next.path, ...(next.body === undefined ? {} : { body: next.body }) };
        },
        onResponse: (status, body) => {
          if (status === load.expectStatus) expected++;
          else {
            unexpected++;
            firstUnexpected ??= `${String(status)} ${String(body).slice(0, 300)}`;
          }
        },
      },
    ],
  });
  const seconds = result.duration;
  if (unexpected > 0 || result.errors > 0 || result.timeouts > 0) {
    console.warn(`  ${load.method} ${load.url}: ${String(unexpected)} unexpected answers, ${String(result.errors)} errors, ${String(result.timeouts)} timeouts; first: ${firstUnexpected ?? '-'}`);
  }
  return { perSecond: expected / seconds, operations: expected, failures: unexpected + result.errors, seconds, p99Ms: result.latency.p99 };
}
