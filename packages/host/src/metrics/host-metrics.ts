import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics.js';

/**
 * The host's Prometheus metrics, in a registry of its own (never prom-client's global one), so
 * two hosts in one process (tests, an embedding app) do not share counters.
 */
export class HostMetrics {
  readonly registry = new Registry();
  /** SCIM request counts and latencies, recorded per request and read by prom-client at scrape time. */
  readonly requests = new RequestMetrics(this.registry);
  #cacheSizes: () => Record<string, number> = () => ({});
  readonly cacheObjects: Gauge<'connector'>;

  constructor() {
    const sizes = () => this.#cacheSizes();
    this.cacheObjects = new Gauge({
      name: 'ecmahost_cache_objects',
      help: 'Objects in the connector-space cache',
      labelNames: ['connector'] as const,
      registers: [this.registry],
      // Read at scrape time, so exports and delta imports are counted without bookkeeping.
      collect() {
        this.reset();
        for (const [connector, size] of Object.entries(sizes())) this.set({ connector }, size);
      },
    });
  }

  /**
   * Counts audit lines lost (`reason`: `dropped` when the queue was full, `failed` on a write
   * error), read from the audit log at scrape time.
   */
  trackAudit(read: () => { dropped: number; failed: number }): void {
    new Counter({
      name: 'ecmahost_audit_lines_lost_total',
      help: 'Audit lines not written: dropped (queue full) or failed (write error)',
      labelNames: ['reason'] as const,
      registers: [this.registry],
      collect() {
        const { dropped, failed } = read();
        this.reset();
        this.inc({ reason: 'dropped' }, dropped);
        this.inc({ reason: 'failed' }, failed);
      },
    });
  }

  /** Tells the metrics where to read cache sizes from (by connector name). */
  trackCacheSizes(read: () => Record<string, number>): void {
    this.#cacheSizes = read;
  }
  readonly importDuration = new Histogram({
    name: 'ecmahost_import_duration_seconds',
    help: 'Duration of imports',
    labelNames: ['connector', 'type'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });
  readonly imports = new Counter({
    name: 'ecmahost_imports_total',
    help: 'Imports run, by connector, type and result',
    labelNames: ['connector', 'type', 'result'] as const,
    registers: [this.registry],
  });
  readonly importedObjects = new Counter({
    name: 'ecmahost_imported_objects_total',
    help: 'Objects read by imports',
    labelNames: ['connector', 'type'] as const,
    registers: [this.registry],
  });
  readonly exportErrors = new Counter({
    name: 'ecmahost_export_errors_total',
    help: 'Export entries the connector rejected, by export error code',
    labelNames: ['connector', 'code'] as const,
    registers: [this.registry],
  });

  /** Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
