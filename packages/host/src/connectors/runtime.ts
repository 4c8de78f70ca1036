import type { ConnectorDefinition, ImportPage, ImportRunStep } from '@ecmahost/sdk';
import { isConnectorError } from '@ecmahost/sdk';
import type { Logger } from 'pino';
import { ImportApplier } from '../cache/import-applier.js';
import type { AuditSink } from '../audit/audit-event.js';
import { auditImport } from '../audit/import-audit.js';
import type { ImportCounts } from '../cache/import-applier.js';
import type { Generation, SpaceView } from '../cache/generation.js';
import type { CachedObject } from '../cache/cached-object.js';
import type { ConnectorCache } from '../cache/connector-cache.js';
import { SnapshotFile, spaceConfigHash } from '../cache/snapshot-file.js';
import { WatermarkFile } from '../cache/watermark-file.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { fullImportHoursOf } from '../configure/build-config.js';
import type { HostMetrics } from '../metrics/host-metrics.js';
import { describeError, errorCode } from './describe-error.js';
import { ExportGateway } from './export-gateway.js';
import { openConnector } from './open-connector.js';
import type { OpenConnector } from './open-connector.js';

/** First delay before retrying a failed start-up import; it doubles up to the maximum. */
const FIRST_IMPORT_RETRY_MS = 5_000;
const MAX_FIRST_IMPORT_RETRY_MS = 10 * 60_000;

/** How long `stop()` waits for a running import to end. */
const STOP_GRACE_MS = 2000;
/** How long `stop()` lets running SCIM writes finish before it closes the instance under a hung one. */
const STOP_WRITES_GRACE_MS = 30_000;

/** Waits for `work`, at most `ms`. */
async function withinGrace(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([work, grace]);
  clearTimeout(timer);
}

/**
 * Where a connector instance is in its life. `degraded`: it answers from its cache, but its last
 * import or write could not reach the target (see {@link isUnreachable}).
 */
export type ConnectorState = 'loading' | 'importing' | 'ready' | 'degraded' | 'failing' | 'stopped';

/** A run the schedules will start: the autosync timer's (a delta when possible) or the full import's. */
export interface ScheduledImport {
  type: 'full' | 'delta';
  /** ISO time. */
  at: string;
}

/** The least time between two progress reports of an import (the first and last pages are always reported). */
const PROGRESS_EVERY_MS = 1000;

/** Progress of a running import. */
export interface ImportProgress {
  type: 'full' | 'delta';
  objects: number;
  pages: number;
}

/** What an import did. */
export interface ImportSummary extends ImportCounts {
  connector: string;
  type: 'full' | 'delta';
  durationMs: number;
  cacheSize: number;
}

/** Options of an import. */
export interface ImportOptions {
  /**
   * `true`: a delta import (falls back to full when not supported or the watermark is refused).
   * `false`: a full import, even when a delta is running (it waits for it). Absent: a full import,
   * or the import running, whichever it is.
   */
  delta?: boolean;
  /** Called after the first page, then at most once a second, and after the last page. */
  onProgress?: (progress: ImportProgress) => void;
}

/** A connector instance's status, for `/readyz`, the CLI and the admin console. */
export interface ConnectorStatus {
  name: string;
  state: ConnectorState;
  cacheSize: number;
  lastImport?: { type: 'full' | 'delta'; at: string; durationMs: number; objects: number };
  lastError?: string;
  /** The `ConnectorError` code of {@link lastError} when the connector threw one: its message is then written for admins. */
  lastErrorCode?: string;
  exportErrors: number;
  /** The connector space this start restored from disk (decision 021); absent when it began empty. */
  restored?: { objects: number; writtenAt: string; durationMs: number };
  /** The last snapshot of the connector space this process wrote (decision 021). */
  snapshot?: { objects: number; bytes: number; writtenAt: string; durationMs: number };
  /** The next scheduled imports, soonest first; absent when nothing is scheduled. */
  nextImports?: ScheduledImport[];
}

/** What a runtime needs from the host. */
export interface RuntimeDependencies {
  load: (spec: string) => Promise<ConnectorDefinition>;
  logger: Logger;
  metrics: HostMetrics;
  stateDir: string | undefined;
  maxValueLength: number;
  /** Hears the imports the schedule starts. */
  audit: AuditSink;
}

/** An open connector with the gateway its writes go through. */
export interface ServingConnector {
  readonly open: OpenConnector;
  readonly gateway: ExportGateway;
}

/** What the runtime holds once the connector is open. */
interface Opened {
  readonly serving: ServingConnector;
  /** The import applier of each served object type, by object type name. */
  readonly appliers: ReadonlyMap<string, ImportApplier>;
}

/**
 * The life of one configured connector instance: opens it (see {@link openConnector}), fills its
 * cache by import (full at start, retried until one succeeds; delta on the autosync timer when
 * possible; full on the full import schedule), tells whether its target answers (`degraded` when
 * not) and closes it. What it serves is the immutable {@link ServingConnector}.
 */
export class ConnectorRuntime {
  #state: ConnectorState = 'loading';
  #config: ConnectorInstanceConfig;
  readonly #deps: RuntimeDependencies;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  /** Set while `stop()` waits for running writes; no new request reaches a stopping instance. */
  #draining = false;
  readonly #watermarkFile: WatermarkFile;
  #opened: Opened | undefined;
  #watermark: string | undefined;
  readonly #schedules = new Map<'autosync' | 'full', { timer: NodeJS.Timeout | undefined; at: number }>();
  #retry: NodeJS.Timeout | undefined;
  #running: { run: Promise<ImportSummary>; full: boolean } | undefined;
  #unreachable = false;
  #lastImport: ConnectorStatus['lastImport'];
  #lastError: string | undefined;
  #lastErrorCode: string | undefined;
  /** Where each served type's connector space is kept across restarts; undefined when it is not (decision 021). */
  #snapshots: Map<string, SnapshotFile> | undefined;
  #restored: ConnectorStatus['restored'];
  /** The space to write next (only the newest waits) and the write running, if any. */
  #snapshotNext: { spaces: [objectType: string, view: SpaceView][]; watermark: string | undefined } | undefined;
  #snapshotWriter: Promise<void> | undefined;
  #snapshotWritten: ConnectorStatus['snapshot'];

  constructor(config: ConnectorInstanceConfig, deps: RuntimeDependencies) {
    this.#config = config;
    this.#deps = deps;
    this.#log = deps.logger.child({ connector: config.name });
    this.#watermarkFile = new WatermarkFile(deps.stateDir, config.name);
  }

  /** The instance name (the URL segment after `ecma2host_`). */
  get name(): string {
    return this.#config.name;
  }

  /** The instance configuration, with the current token hash. */
  get config(): ConnectorInstanceConfig {
    return this.#config;
  }

  /** Where the instance is in its life; see {@link ConnectorState}. */
  get state(): ConnectorState {
    return this.#state;
  }

  /** The open connector once it is open (its schema is known even while the first import runs). */
  get opened(): ServingConnector | undefined {
    return this.#opened?.serving;
  }

  /** The open connector while it can answer from its cache: ready, with a complete first import. */
  get ready(): ServingConnector | undefined {
    const serving = this.#opened?.serving;
    // A degraded connector still answers reads from its cache; its writes fail as the target does.
    // While a stop lets running writes finish, they still record their outcome in the cache.
    return (this.#state === 'ready' || this.#state === 'degraded' || this.#draining) && serving?.open.cache.state === 'ready' ? serving : undefined;
  }

  /** Replaces the token hash without touching the running connector. */
  setTokenHash(tokenHash: string): void {
    this.#config = { ...this.#config, tokenHash };
  }

  /**
   * Loads, opens and checks the connector and reads its watermark. Rejects with the reason (the
   * connector's message) and leaves the instance `failing`; nothing runs until {@link begin}.
   */
  async open(): Promise<void> {
    try {
      const open = await openConnector(this.#config, { load: this.#deps.load, log: this.#log, signal: this.#abort.signal, maxValueLength: this.#deps.maxValueLength });
      if (this.#state === 'stopped') {
        await open.instance.close().catch(() => undefined);
        throw new Error(`connector ${this.name} was stopped while it opened`);
      }
      this.#opened = { serving: Object.freeze({ open, gateway: new ExportGateway(open, this.name, this.#log, this.#deps.metrics, (error) => this.#recordWrite(error)) }), appliers: new Map([...open.schemas].map(([name, schema]) => [name, new ImportApplier(schema, this.#log)])) };
      this.#watermark = await this.#watermarkFile.read();
      // Without a state directory there is nowhere to keep the space: no snapshot is read or
      // written (a host embedded without one logged "snapshot written" for 0 objects at every import).
      if (open.capabilities.import && this.#config.serveBeforeRefresh !== false && this.#deps.stateDir !== undefined) {
        const hash = spaceConfigHash(this.#config, open.package);
        this.#snapshots = new Map([...open.caches.keys()].map((type) => [type, new SnapshotFile(this.#deps.stateDir, this.name, type, hash)]));
        await this.#restore(open.caches, this.#snapshots);
      }
      this.#state = 'importing';
      this.#log.info({ package: open.package.name, version: open.package.version }, 'connector opened');
    } catch (error) {
      this.#fail(error, 'connector failed to start');
      throw error;
    }
  }

  /**
   * Starts serving the open connector: the first full import with its retries, the autosync timer
   * (a delta import when possible) and the full import schedule.
   */
  begin(): void {
    const opened = this.#opened;
    if (opened === undefined || this.#state === 'stopped') return;
    const { capabilities, caches } = opened.serving.open;
    if (capabilities.import) {
      // A restored space answers at once; the first import then only refreshes it.
      if (this.#restored !== undefined) this.#state = 'ready';
      this.#firstImport(FIRST_IMPORT_RETRY_MS);
      this.#schedule('autosync', this.#config.autosyncMinutes * 60_000);
      this.#schedule('full', fullImportHoursOf(this.#config.runProfiles) * 3_600_000);
    } else {
      // Without import the host cannot know what exists; it starts from an empty space, as
      // Microsoft's host does for export-only connectors (and warns, since duplicates may follow).
      for (const cache of caches.values()) cache.commitFull(cache.beginFull());
      this.#state = 'ready';
      this.#log.warn('connector has no import: lookups cannot see existing objects');
    }
  }

  /**
   * {@link open}, then {@link begin}. Never throws: a connector that fails to load or open is
   * `failing`, with the reason in its status and the log, and the other connectors go on.
   */
  async start(): Promise<void> {
    try {
      await this.open();
    } catch {
      return;
    }
    this.begin();
  }

  /**
   * Runs `kind` every `intervalMs` (0: never). Scheduled runs never overlap another import: an
   * autosync tick that finds one running is skipped (the next tick catches up), and a scheduled
   * full import waits for a running delta and then runs, since only a full import sees deletions;
   * one that finds a full import running is that run.
   */
  #schedule(kind: 'autosync' | 'full', intervalMs: number): void {
    if (intervalMs <= 0 || this.#state === 'stopped') return;
    const schedule = { timer: undefined as NodeJS.Timeout | undefined, at: Date.now() + intervalMs };
    schedule.timer = setInterval(() => {
      schedule.at = Date.now() + intervalMs;
      if (kind === 'autosync' && this.#running !== undefined) {
        this.#log.info('autosync skipped: an import is running');
        return;
      }
      auditImport(this.#deps.audit, 'scheduler', this.name, kind === 'autosync' ? 'delta' : 'full', this.runImport({ delta: kind === 'autosync' })).catch(() => undefined);
    }, intervalMs);
    schedule.timer.unref();
    this.#schedules.set(kind, schedule);
  }

  /** The type the autosync timer's next run will have. */
  #autosyncType(): 'full' | 'delta' {
    const open = this.#opened?.serving.open;
    return open?.capabilities.deltaImport === true && this.#config.runProfiles.deltaImport !== undefined ? 'delta' : 'full';
  }

  /**
   * The start-up full import. Until one succeeds the connector cannot answer, so a failure (the
   * target down while the host starts) is retried with a doubling delay rather than left for an
   * autosync that may be hours away or off.
   */
  #firstImport(delayMs: number): void {
    // After a restore, a delta from the snapshot's watermark when the connector has one (a full
    // import otherwise, or when the watermark is refused): it brings in what changed while the
    // host was down, deletions included.
    const delta = this.#restored !== undefined;
    auditImport(this.#deps.audit, 'scheduler', this.name, delta ? 'delta' : 'full', this.runImport(delta ? { delta: true } : {})).catch(() => {
      if (this.#state === 'stopped' || this.#opened?.serving.open.cache.state === 'ready') return;
      this.#log.warn({ retryInSeconds: delayMs / 1000 }, 'first import failed; retrying');
      this.#retry = setTimeout(() => this.#firstImport(Math.min(delayMs * 2, MAX_FIRST_IMPORT_RETRY_MS)), delayMs);
      this.#retry.unref();
    });
  }

  #fail(error: unknown, message: string): void {
    this.#unreachable = isUnreachable(error);
    if (this.#state !== 'stopped') this.#state = this.#opened?.serving.open.cache.state !== 'ready' ? 'failing' : this.#unreachable ? 'degraded' : 'ready';
    this.#lastError = describeError(error);
    this.#lastErrorCode = errorCode(error);
    this.#log.error({ err: { message: this.#lastError, code: this.#lastErrorCode } }, message);
  }

  /** Closes timers, sessions and the instance. */
  async stop(): Promise<void> {
    for (const { timer } of this.#schedules.values()) clearInterval(timer);
    this.#schedules.clear();
    if (this.#retry) clearTimeout(this.#retry);
    this.#abort.abort();
    this.#state = 'stopped';
    // Give a running import a moment to see the abort; a connector stuck in a page must not hang shutdown.
    if (this.#running) await withinGrace(this.#running.run.catch(() => undefined), STOP_GRACE_MS);
    // A reload replaces an instance while SCIM writes run on it: they finish before it closes. A
    // shutdown reaches this only after its requests ended or were cut at its deadline.
    const gateway = this.#opened?.serving.gateway;
    if (gateway) {
      this.#draining = true;
      await withinGrace(gateway.idle(), STOP_WRITES_GRACE_MS);
      this.#draining = false;
    }
    // A planned stop keeps the space with what the writes since the last import changed (the
    // watermark stays the import's: a delta from it reads those writes again), and lets the write
    // finish, so that the next start serves the newest space.
    const caches = this.#opened?.serving.open.caches;
    if (caches !== undefined && [...caches.values()].every((cache) => cache.state === 'ready')) this.#keepSnapshot(caches, this.#watermark);
    if (this.#snapshotWriter) await withinGrace(this.#snapshotWriter, STOP_WRITES_GRACE_MS);
    await this.#opened?.serving.open.instance.close().catch((error: unknown) => this.#log.warn({ err: { message: describeError(error) } }, 'close failed'));
  }

  /** The instance's state, cache size, last import and error counts. */
  status(): ConnectorStatus {
    const serving = this.#opened?.serving;
    const status: ConnectorStatus = { name: this.name, state: this.#state, cacheSize: cacheSizeOf(serving), exportErrors: serving?.gateway.errors ?? 0 };
    if (this.#lastImport) status.lastImport = this.#lastImport;
    if (this.#lastError !== undefined) status.lastError = this.#lastError;
    if (this.#lastErrorCode !== undefined) status.lastErrorCode = this.#lastErrorCode;
    if (this.#restored !== undefined) status.restored = this.#restored;
    if (this.#snapshotWritten !== undefined) status.snapshot = this.#snapshotWritten;
    const next = [...this.#schedules].map(([kind, { at }]): ScheduledImport => ({ type: kind === 'full' ? 'full' : this.#autosyncType(), at: new Date(at).toISOString() }));
    if (next.length > 0) status.nextImports = next.sort((a, b) => a.at.localeCompare(b.at));
    return status;
  }

  /**
   * Records whether a write reached the target (the export gateway calls it): a connection failure
   * makes a connector with a cache `degraded`; a write that reached it clears that.
   */
  #recordWrite(error: unknown): void {
    if (this.#state === 'stopped' || this.#state === 'failing') return;
    if (error === undefined) {
      if (this.#unreachable && this.#state === 'degraded') this.#state = 'ready';
      this.#unreachable = false;
    } else if (isUnreachable(error)) {
      this.#unreachable = true;
      this.#lastError = describeError(error);
      if (this.#state === 'ready') this.#state = 'degraded';
    }
  }

  /**
   * Runs an import now. Imports never overlap: a call while one runs joins it, except a full import
   * asked for by `delta: false` while a delta runs, which waits for the delta and then runs (a delta
   * cannot stand in for a full import, the one that sees deletions).
   */
  runImport(options: ImportOptions): Promise<ImportSummary> {
    const full = options.delta !== true;
    if (this.#running) {
      if (options.delta === false && !this.#running.full) return this.#running.run.catch(() => undefined).then(() => this.runImport(options));
      return this.#running.run;
    }
    const run = this.#import(options).finally(() => {
      this.#running = undefined;
    });
    this.#running = { run, full };
    return run;
  }

  async #import(options: ImportOptions): Promise<ImportSummary> {
    const opened = this.#opened;
    if (opened === undefined || this.#abort.signal.aborted) {
      throw new Error(`connector ${this.name} is not open (${this.#state}${this.#lastError === undefined ? '' : `: ${this.#lastError}`})`);
    }
    const { capabilities, cache } = opened.serving.open;
    if (!capabilities.import) throw new Error(`connector ${this.name} does not support import`);
    const delta = options.delta === true && capabilities.deltaImport && this.#config.runProfiles.deltaImport !== undefined && cache.state === 'ready' && this.#watermark !== undefined;
    const type = delta ? 'delta' : 'full';
    const end = this.#deps.metrics.importDuration.startTimer({ connector: this.name, type });
    try {
      const summary = await this.#importOnce(opened, type, options);
      end();
      this.#deps.metrics.imports.inc({ connector: this.name, type, result: 'success' });
      this.#lastImport = { type, at: new Date().toISOString(), durationMs: summary.durationMs, objects: summary.objects };
      this.#lastError = undefined;
      this.#lastErrorCode = undefined;
      this.#unreachable = false;
      if (this.#state !== 'stopped') this.#state = 'ready';
      // The logger's own binding names the connector: the summary's copy would repeat the key in the line.
      const { connector: _named, ...fields } = summary;
      this.#log.info(fields, 'import finished');
      return summary;
    } catch (error) {
      end();
      if (delta && isConnectorError(error) && error.code === 'invalid-watermark') {
        this.#log.warn('delta watermark refused; running a full import');
        this.#watermark = undefined;
        return this.#import({ ...options, delta: false });
      }
      this.#deps.metrics.imports.inc({ connector: this.name, type, result: 'failure' });
      if (this.#state !== 'stopped') this.#fail(error, `${type} import failed`);
      throw error;
    }
  }

  async #importOnce({ serving, appliers }: Opened, type: 'full' | 'delta', options: ImportOptions): Promise<ImportSummary> {
    const { instance, sessionSchema, caches } = serving.open;
    const started = performance.now();
    const profile = type === 'delta' ? this.#config.runProfiles.deltaImport! : this.#config.runProfiles.fullImport;
    const runStep: ImportRunStep = { type, schema: sessionSchema, pageSize: profile.pageSize };
    if (type === 'delta' && this.#watermark !== undefined) runStep.watermark = this.#watermark;
    if (instance.openImport === undefined) throw new Error(`connector ${this.name} does not support import`);
    const session = await instance.openImport(runStep);
    // One generation per served type: each type's cache is swapped whole when the import completes.
    const targets = new Map([...appliers].map(([name, applier]) => {
      const cache = caches.get(name)!;
      return [name, { applier, cache, generation: type === 'full' ? cache.beginFull() : undefined }] as const;
    }));
    const first = targets.values().next().value!;
    const counts: ImportCounts = { objects: 0, errors: 0, skipped: 0 };
    let pages = 0;
    let reported = 0;
    let watermark: string | undefined;
    // The next page is asked for before this one is applied, so the target reads it while the
    // host applies (on two cores, PostgreSQL or slapd and the host work side by side). Never more
    // than one call in flight, and each call still follows the previous one's answer.
    let next: Promise<ImportPage> | undefined = session.getEntries();
    try {
      for (;;) {
        if (this.#abort.signal.aborted) throw new Error('the host is stopping');
        const page: ImportPage = await next!;
        next = page.more ? session.getEntries() : undefined;
        // Handled now: when applying this page throws first, the catch below waits for it.
        next?.catch(() => undefined);
        pages++;
        // One timestamp per page, shared by the objects it creates or changes: a string per
        // object would be a large part of what a cached object costs.
        const now = new Date().toISOString();
        for (const entry of page.entries) {
          // An entry of a type not served goes to the first applier, which counts it skipped (or its error).
          const { applier, cache, generation } = targets.get(entry.objectType) ?? first;
          applier.apply(entry, cache, generation, counts, now);
        }
        if (page.watermark !== undefined) watermark = page.watermark;
        // The first page, then at most one report a second, and the last page: a connector may hand
        // over a page per hundred entries (decision 026), and the CLI prints a line per report.
        const at = performance.now();
        if (options.onProgress !== undefined && (pages === 1 || !page.more || at - reported >= PROGRESS_EVERY_MS)) {
          reported = at;
          options.onProgress({ type, objects: counts.objects, pages });
        }
        if (!page.more) break;
      }
      const closed = await session.close('normal');
      if (closed && closed.watermark !== undefined) watermark = closed.watermark;
    } catch (error) {
      for (const { cache, generation } of targets.values()) if (generation) cache.abortFull(generation);
      // A session is closed only once no call of it is in flight.
      await next?.catch(() => undefined);
      await session.close(this.#abort.signal.aborted ? 'terminatedShuttingDown' : 'unknown').catch(() => undefined);
      throw error;
    }
    for (const { cache, generation } of targets.values()) if (generation) cache.commitFull(generation);
    this.#watermark = watermark;
    await this.#watermarkFile.write(watermark).catch((error: unknown) => this.#log.warn({ err: { message: describeError(error) } }, 'could not keep the watermark'));
    this.#keepSnapshot(caches, watermark);
    this.#deps.metrics.importedObjects.inc({ connector: this.name, type }, counts.objects);
    return { connector: this.name, type, ...counts, durationMs: Math.round(performance.now() - started), cacheSize: cacheSizeOf(serving) };
  }

  /**
   * Loads the kept connector space into the cache, or leaves the cache empty (503 until the first
   * import, as before) and says why in the log.
   */
  async #restore(caches: ReadonlyMap<string, ConnectorCache>, snapshots: ReadonlyMap<string, SnapshotFile>): Promise<void> {
    const started = performance.now();
    const generations = [...caches].map(([type, cache]) => ({ type, cache, generation: cache.beginRestore() }));
    let restored: { objects: number; watermark: string | undefined; writtenAt: string } | undefined;
    for (const { type, generation } of generations) {
      const snapshot = snapshots.get(type)!;
      const read = await snapshot.read(generation);
      // Every served type restores, from files of the same import, or none does: a mixed space
      // would answer for one type from a moment the others do not share.
      const refused = !read.ok ? read.reason : restored !== undefined && read.watermark !== restored.watermark ? 'its watermark differs from the other types\' files' : undefined;
      if (refused !== undefined) {
        for (const g of generations) g.cache.abortFull(g.generation);
        if (refused !== 'no snapshot' && refused !== 'no state directory') this.#log.warn({ file: snapshot.file, reason: refused }, 'connector space snapshot refused; serving after the first import');
        return;
      }
      if (read.ok) restored = { objects: (restored?.objects ?? 0) + read.objects, watermark: read.watermark, writtenAt: restored?.writtenAt ?? read.writtenAt };
    }
    for (const { cache, generation } of generations) cache.commitFull(generation);
    if (restored === undefined) return;
    this.#watermark = restored.watermark;
    this.#restored = { objects: restored.objects, writtenAt: restored.writtenAt, durationMs: Math.round(performance.now() - started) };
    this.#log.info(this.#restored, 'connector space restored; serving while the refresh import runs');
  }

  /**
   * Keeps the space an import left, with its watermark, in the background: neither the import nor
   * readiness waits for the file. The space is taken now (its packed records never change, the
   * records gone since are copied and the overlay's objects listed: the space at this watermark); writes run one at a time and only the newest space
   * waits, so a slow disk never queues copies of the space.
   */
  #keepSnapshot(caches: ReadonlyMap<string, ConnectorCache>, watermark: string | undefined): void {
    if (this.#snapshots === undefined) return;
    this.#snapshotNext = { spaces: [...caches].map(([type, cache]) => [type, cache.view()!]), watermark };
    this.#snapshotWriter ??= this.#writeSnapshots(this.#snapshots);
  }

  /**
   * A failed write is logged, never the import's failure: the previous snapshot stays, and the
   * refresh after a restart catches up from its watermark.
   */
  async #writeSnapshots(snapshots: ReadonlyMap<string, SnapshotFile>): Promise<void> {
    for (let next = this.#snapshotNext; next !== undefined; next = this.#snapshotNext) {
      this.#snapshotNext = undefined;
      const started = performance.now();
      try {
        const written = { objects: 0, bytes: 0 };
        for (const [type, view] of next.spaces) {
          const one = await snapshots.get(type)!.write(view, next.watermark);
          written.objects += one.objects;
          written.bytes += one.bytes;
        }
        this.#snapshotWritten = { ...written, writtenAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started) };
        this.#log.info(this.#snapshotWritten, 'connector space snapshot written');
      } catch (error) {
        this.#log.warn({ err: { message: describeError(error) } }, 'could not write the connector space snapshot');
      }
    }
    this.#snapshotWriter = undefined;
  }
}

/** Objects in the connector space, every served type together. */
function cacheSizeOf(serving: ServingConnector | undefined): number {
  let size = 0;
  for (const cache of serving?.open.caches.values() ?? []) size += cache.size;
  return size;
}

/** Error codes of Node's sockets that mean the target could not be reached or dropped the connection. */
const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/**
 * Whether an error says the target could not be reached: a `ConnectorError` coded
 * `connection-failed` or `server-down`, or a socket error code anywhere in its cause chain (a
 * connector that lets a driver error through).
 */
export function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (isConnectorError(e) && (e.code === 'connection-failed' || e.code === 'server-down')) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_SOCKET_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
