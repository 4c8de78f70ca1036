/** What one bounded load phase did. */
export interface LoopResult {
  /** Completed operations per second over the phase. */
  perSecond: number;
  operations: number;
  failures: number;
  seconds: number;
  /** The 99th percentile of the requests' latency in ms, for HTTP phases (autocannon's histogram). */
  p99Ms?: number;
}

/**
 * Runs `clients` sequential loops side by side until `durationMs` has passed or `maxOperations`
 * are done, whichever comes first: the bare-stack limit of a write scenario. Each client gets its
 * own connection (opened before the clock starts), as the issue asks: one connection per client.
 */
export async function runClientLoops<C>(options: {
  clients: number;
  durationMs: number;
  maxOperations: number;
  open: (client: number) => Promise<C>;
  operation: (connection: C, client: number, sequence: number) => Promise<void>;
  close: (connection: C) => Promise<void>;
}): Promise<LoopResult> {
  const connections = await Promise.all(Array.from({ length: options.clients }, (_, i) => options.open(i)));
  let operations = 0;
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  try {
    await Promise.all(
      connections.map(async (connection, client) => {
        let sequence = 0;
        while (performance.now() < deadline && issued < options.maxOperations) {
          issued++;
          try {
            await options.operation(connection, client, sequence++);
            operations++;
          } catch {
            failures++;
          }
        }
      }),
    );
  } finally {
    await Promise.all(connections.map((c) => options.close(c).catch(() => undefined)));
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: operations / seconds, operations, failures, seconds };
}

/** Several phases as one: operations and seconds summed, the worst phase's p99. */
export function combine(results: LoopResult[]): LoopResult {
  const operations = results.reduce((sum, r) => sum + r.operations, 0);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const combined: LoopResult = { perSecond: operations / seconds, operations, failures: results.reduce((sum, r) => sum + r.failures, 0), seconds };
  const p99s = results.flatMap((r) => (r.p99Ms === undefined ? [] : [r.p99Ms]));
  if (p99s.length > 0) combined.p99Ms = Math.max(...p99s);
  return combined;
}
