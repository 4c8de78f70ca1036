import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';

/** Latency bucket upper bounds, in seconds. */
const BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface CountSeries {
  readonly labels: { connector: string; method: string; status: string };
  count: number;
}

interface LatencySeries {
  readonly labels: { connector: string; method: string };
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** The value layout prom-client's Registry formats (what its own Histogram hands it). */
interface MetricValue {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  exemplar?: null;
}

/**
 * The per-request SCIM metrics: a request count by connector, method and status, and a latency
 * histogram by connector and method. A request only bumps numbers in maps keyed by the label
 * values; prom-client sees them at scrape time. Its own `inc`/`observe` validate and hash the
 * label set on every call, which the lookup profile put at ~4 % of a request (docs/performance.md).
 */
export class RequestMetrics {
  // Series are looked up through nested maps and listed in the order they first occurred, which
  // is the order prom-client itself lists label sets in.
  /** connector → method → status → series */
  readonly #counts = new Map<string, Map<string, Map<number, CountSeries>>>();
  readonly #countSeries: CountSeries[] = [];
  /** connector → method → series */
  readonly #latency = new Map<string, Map<string, LatencySeries>>();
  readonly #latencySeries: LatencySeries[] = [];

  constructor(registry: Registry) {
    const counts = this.#countSeries;
    new Counter({
      name: 'ecmahost_scim_requests_total',
      help: 'SCIM requests answered, by connector, method and status',
      labelNames: ['connector', 'method', 'status'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const { labels, count } of counts) this.inc(labels, count);
      },
    });
    // prom-client's Histogram offers no way to load counted buckets, so the registry is handed a
    // metric of our own whose values have the layout of a Histogram's: the same exposition text.
    const latency = this.#latencySeries;
    const name = 'ecmahost_scim_request_duration_seconds';
    const values = (): MetricValue[] => {
      const out: MetricValue[] = [];
      for (const series of latency) {
        let cumulative = 0;
        BUCKETS.forEach((le, i) => {
          cumulative += series.buckets[i] ?? 0;
          out.push({ metricName: `${name}_bucket`, labels: { le }, sharedLabels: series.labels, value: cumulative, exemplar: null });
        });
        out.push({ metricName: `${name}_bucket`, labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, exemplar: null });
        out.push({ metricName: `${name}_sum`, labels: {}, sharedLabels: series.labels, value: series.sum });
        out.push({ metricName: `${name}_count`, labels: {}, sharedLabels: series.labels, value: series.count });
      }
      return out;
    };
    const help = 'Time to answer a SCIM request';
    const base = { name, help, type: 'histogram', aggregator: 'sum' } as const;
    registry.registerMetric({
      ...base,
      getForPromString: () => Promise.resolve({ ...base, values: values() }),
      // The JSON form carries the series labels on each value, as prom-client's Histogram does.
      get: () => Promise.resolve({ ...base, values: values().map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) }),
      // Registry.resetMetrics calls every metric's reset.
      reset: () => this.#resetLatency(),
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** Counts one answered SCIM request and its latency. */
  record(connector: string, method: string, status: number, seconds: number): void {
    let methods = this.#counts.get(connector);
    if (methods === undefined) this.#counts.set(connector, (methods = new Map()));
    let statuses = methods.get(method);
    if (statuses === undefined) methods.set(method, (statuses = new Map()));
    let counted = statuses.get(status);
    if (counted === undefined) {
      statuses.set(status, (counted = { labels: { connector, method, status: String(status) }, count: 0 }));
      this.#countSeries.push(counted);
    }
    counted.count++;

    let byMethod = this.#latency.get(connector);
    if (byMethod === undefined) this.#latency.set(connector, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined) {
      byMethod.set(method, (series = { labels: { connector, method }, buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
      this.#latencySeries.push(series);
    }
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
    series.buckets[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  #resetLatency(): void {
    this.#latency.clear();
    this.#latencySeries.length = 0;
  }
}
