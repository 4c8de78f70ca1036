import { createHook } from 'node:async_hooks';

// Resource types that mean a connection, a file, a child process or a timer left behind.
const TRACKED_TYPES = new Set(['TCPWRAP', 'TCPSERVERWRAP', 'PIPEWRAP', 'PIPESERVERWRAP', 'TLSWRAP', 'UDPWRAP', 'Timeout', 'Immediate', 'FILEHANDLE', 'PROCESSWRAP', 'ZLIB']);
// The same, as `process.getActiveResourcesInfo()` names them.
const TRACKED_NAMES = /TCP|Pipe|TLS|UDP|Timeout|Immediate|FileHandle|Process|Zlib/i;

/** Counts of the tracked active resources by name, from `process.getActiveResourcesInfo()`. */
function activeCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (TRACKED_NAMES.test(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Whether a resource still holds the event loop open (an unref'd timer or socket does not). */
function holdsLoop(resource: object): boolean {
  // A FileHandle's destroy hook fires only when it is garbage-collected, long after close(); a
  // closed one has a negative fd, so fs/promises reads that completed do not count as leaks.
  const fd = (resource as { fd?: unknown }).fd;
  if (typeof fd === 'number' && fd < 0) return false;
  const hasRef = (resource as { hasRef?: () => boolean }).hasRef;
  return typeof hasRef === 'function' ? hasRef.call(resource) : true;
}

// How long a watch looks before it believes nothing is left.
const MIN_SETTLE_MS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Frames of Node itself, of the test runner and of this kit (built or not, its own tests aside) say
// nothing about where the connector opened a handle.
const FOREIGN_FRAME = /\(node:|at node:|node_modules[/\\](?:vitest|@vitest|tinypool)[/\\]|[/\\]sdk[/\\]dist[/\\]testing[/\\]/;
const KIT_SOURCE = /[/\\]sdk[/\\]src[/\\]testing[/\\][\w-]+\.ts:/;
const ownFrame = (line: string) => FOREIGN_FRAME.test(line) || (KIT_SOURCE.test(line) && !line.includes('.test.ts:'));

/** The first frame of the current stack outside Node and the kit: where the connector opened the handle. */
function creationSite(): string | undefined {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  const frame = stack.find((line) => !ownFrame(line));
  return frame?.trim().replace(/^at /, '');
}

/**
 * Watches the handles a connector opens between `start` and `leaks`. Two views agree on a leak:
 * resources created while watching that were never destroyed (async hooks: precise, immune to
 * unrelated handles that come and go) and the growth of `process.getActiveResourcesInfo()` counts
 * against the baseline taken at `start`.
 */
export class HandleWatch {
  readonly #baseline: Map<string, number>;
  readonly #alive = new Map<number, { type: string; resource: object; site: string | undefined }>();
  // Where each resource created while watching came from, with the resource that triggered it: a
  // socket opened in a DNS lookup's callback has only Node's frames, its lookup has the connector's.
  readonly #origins = new Map<number, { site: string | undefined; trigger: number }>();
  #recording = true;
  readonly #hook = createHook({
    init: (asyncId, type, trigger, resource) => {
      if (!this.#recording) return;
      // The stack is captured now because nothing later still knows who opened the handle.
      this.#origins.set(asyncId, { site: creationSite(), trigger });
      if (TRACKED_TYPES.has(type)) this.#alive.set(asyncId, { type, resource, site: this.#siteOf(asyncId) });
    },
    destroy: (asyncId) => {
      this.#alive.delete(asyncId);
    },
  });

  private constructor() {
    this.#baseline = activeCounts();
    this.#hook.enable();
  }

  /** Takes the baseline and starts watching; call before `connector.open`. */
  static start(): HandleWatch {
    return new HandleWatch();
  }

  /** The nearest creation site with a frame of the connector, following the resources that triggered this one. */
  #siteOf(asyncId: number): string | undefined {
    let id = asyncId;
    for (let depth = 0; depth < 20; depth += 1) {
      const origin = this.#origins.get(id);
      if (!origin) return undefined;
      if (origin.site !== undefined) return origin.site;
      id = origin.trigger;
    }
    return undefined;
  }

  #current(): string[] {
    const leaks: string[] = [];
    const byType = new Map<string, { count: number; sites: Set<string> }>();
    for (const { type, resource, site } of this.#alive.values()) {
      if (!holdsLoop(resource)) continue;
      const seen = byType.get(type) ?? { count: 0, sites: new Set<string>() };
      seen.count += 1;
      if (site !== undefined) seen.sites.add(site);
      byType.set(type, seen);
    }
    for (const [type, { count, sites }] of byType) {
      const where = sites.size === 0 ? '' : `, created at ${[...sites].join('; ')}`;
      leaks.push(`${type} +${String(count)} (opened by the connector${where})`);
    }
    for (const [name, count] of activeCounts()) {
      const before = this.#baseline.get(name) ?? 0;
      if (count > before) leaks.push(`${name} +${String(count - before)} (process.getActiveResourcesInfo)`);
    }
    return leaks;
  }

  /**
   * Waits up to `waitMs` for the connector's resources to go (sockets close a tick or two after
   * `end()` resolves) and returns the leaks still there; empty when none. Recording goes on while
   * waiting: work the connector started before close (a DNS lookup, then a socket) lands late.
   */
  async leaks(waitMs = 2_000): Promise<string[]> {
    const start = Date.now();
    const deadline = start + waitMs;
    try {
      for (;;) {
        // The watch's own timer is not the connector's: created with recording paused.
        this.#recording = false;
        const pause = sleep(50);
        this.#recording = true;
        await pause;
        const leaks = this.#current();
        // A clean look only counts once work queued before close (a lookup, then a socket) had time to land.
        if ((leaks.length === 0 && Date.now() - start >= MIN_SETTLE_MS) || Date.now() >= deadline) return leaks;
      }
    } finally {
      this.stop();
    }
  }

  /** Stops watching without a verdict (the check failed before close). */
  stop(): void {
    this.#recording = false;
    this.#hook.disable();
    this.#origins.clear();
  }
}
