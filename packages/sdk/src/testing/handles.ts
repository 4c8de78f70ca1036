// Handle types that mean a connection, a file or a timer left behind. Others (the TTY, worker
// message ports) belong to the test runner and stay constant.
const TRACKED = /TCP|Pipe|Socket|TLS|UDP|Timeout|Timer|Immediate|FileHandle|Process|Zlib/i;

/** Counts of the tracked active resources by type, from `process.getActiveResourcesInfo()`. */
export function activeHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (TRACKED.test(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The handle types with more entries now than in `baseline`, e.g. `TCPSocketWrap +1`. */
export function leakedHandles(baseline: ReadonlyMap<string, number>, now: ReadonlyMap<string, number> = activeHandles()): string[] {
  const leaks: string[] = [];
  for (const [name, count] of now) {
    const before = baseline.get(name) ?? 0;
    if (count > before) leaks.push(`${name} +${String(count - before)}`);
  }
  return leaks;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits up to `waitMs` for the handles above `baseline` to go (sockets close a tick or two after
 * `end()` resolves) and returns those still there.
 */
export async function settleHandles(baseline: ReadonlyMap<string, number>, waitMs = 2_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const leaks = leakedHandles(baseline);
    if (leaks.length === 0 || Date.now() >= deadline) return leaks;
    await sleep(50);
  }
}
