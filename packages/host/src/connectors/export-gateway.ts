import type { CSEntryChange, EntryError, ExportEntryResult } from '@ecmahost/sdk';
import { isConnectorError, secret } from '@ecmahost/sdk';
import type { Logger } from 'pino';
import { noteAuditedChange, noteAuditedPassword } from '../audit/scim-write-audit.js';
import type { WriteNotes } from '../audit/scim-write-audit.js';
import type { CachedObject } from '../cache/cached-object.js';
import type { HostMetrics } from '../metrics/host-metrics.js';
import { describeError, errorCode } from './describe-error.js';
import { KeyedLock } from './keyed-lock.js';
import type { OpenConnector } from './open-connector.js';

/**
 * How many writes of one connector may be in flight at once when its capabilities do not say
 * (`maxConcurrentOperations`). It must not exceed the connector's own pool: above it, the adds of
 * later requests queue for a connection ahead of the password calls of earlier ones, so an outage
 * leaves every add in flight committed without its password
 * (docs/decisions/009-concurrent-exports.md). 4 is the smaller default pool of the two generic
 * connectors (LDAP 4, SQL 5).
 */
export const EXPORT_CONCURRENCY = 4;

/**
 * The host sends every SCIM write as its own one-entry export session, so that its result is
 * known before the HTTP answer; `openExport` is told so.
 */
export const EXPORT_BATCH_SIZE = 1;

/** Why a write did not happen (or may not have). */
export type GatewayFailure =
  /** The connector refused the entry with a per-entry error: the target's own explanation. */
  | { kind: 'rejected'; error: EntryError }
  /** The call threw: the outcome is unknown. `reason` is a `ConnectorError`'s admin message; any other error stays in the log. */
  | { kind: 'unavailable'; action: 'export' | 'set the password'; reason: string | undefined }
  /** The connector answered the batch without a result for the entry. */
  | { kind: 'no-result' }
  /** The connector does not declare the capability. */
  | { kind: 'unsupported'; operation: 'export' | 'password' };

/** The outcome of a gateway call: the result, or why there is none. */
export type GatewayResult<T> = { ok: true; result: T } | { ok: false; failure: GatewayFailure };

const DONE: GatewayResult<undefined> = Object.freeze({ ok: true, result: undefined });

/**
 * The one way writes reach an open connector: exports (one entry per session) and password calls,
 * each bounded by the per-object write lock. Returns domain results; the HTTP layer decides what
 * Entra sees. Counts failures for the status and metrics.
 */
export class ExportGateway {
  readonly #open: OpenConnector;
  readonly #connector: string;
  readonly #log: Logger;
  readonly #metrics: HostMetrics;
  readonly #writes: KeyedLock;
  readonly #serial: boolean;
  #inFlight = 0;
  readonly #idleWaiters: (() => void)[] = [];
  readonly #onReach: (error: unknown) => void;
  #errors = 0;

  /** `onReach` hears whether each write reached the target: `undefined` when it did, else the error thrown. */
  constructor(open: OpenConnector, connector: string, log: Logger, metrics: HostMetrics, onReach: (error: unknown) => void) {
    this.#open = open;
    this.#onReach = onReach;
    this.#connector = connector;
    this.#log = log;
    this.#metrics = metrics;
    this.#writes = new KeyedLock(open.capabilities.maxConcurrentOperations ?? EXPORT_CONCURRENCY);
    this.#serial = !open.capabilities.concurrentOperations;
  }

  /** Export and password failures since the connector opened. */
  get errors(): number {
    return this.#errors;
  }

  /**
   * Runs `work` once every earlier write of the same object (`key`: the SCIM id the object has or
   * will have) has finished, so that a duplicate check and the export it guards cannot interleave
   * with another request for that object. Writes of different objects run side by side, at most
   * the connector's `maxConcurrentOperations` (else {@link EXPORT_CONCURRENCY}) at a time; a
   * connector that does not declare `concurrentOperations` gets them one at a time.
   */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.#inFlight += 1;
    return this.#writes.run(this.#serial ? '' : key, work).finally(() => {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }

  /** Resolves once no write is running or waiting: the instance may then be closed without failing one. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Sends one change in its own export session; `notes` (an audited SCIM write's) learn its anchor and attribute names. */
  async export(change: CSEntryChange, notes?: WriteNotes): Promise<GatewayResult<ExportEntryResult>> {
    const { instance, capabilities, sessionSchema } = this.#open;
    if (!instance.openExport || !capabilities.export) return { ok: false, failure: { kind: 'unsupported', operation: 'export' } };
    if (notes !== undefined) noteAuditedChange(notes, change);
    let results: ExportEntryResult[];
    try {
      const session = await instance.openExport({ schema: sessionSchema, batchSize: EXPORT_BATCH_SIZE });
      try {
        results = await session.putEntries([change]);
      } finally {
        await session.close('normal').catch(() => undefined);
      }
    } catch (error) {
      return this.#thrown(error, 'export failed', 'export');
    }
    this.#onReach(undefined);
    const result = results.find((r) => r.identifier === change.identifier);
    if (result === undefined) {
      this.#count('connected-directory-error');
      return { ok: false, failure: { kind: 'no-result' } };
    }
    if (result.error) {
      this.#count(result.error.code);
      this.#log.warn({ code: result.error.code, modification: change.modification }, 'export entry rejected');
      return { ok: false, failure: { kind: 'rejected', error: result.error } };
    }
    return { ok: true, result };
  }

  /** Sets a password with a password session (the second call after an add). */
  async setPassword(object: CachedObject, password: string, notes?: WriteNotes): Promise<GatewayResult<undefined>> {
    const { instance, capabilities, schema } = this.#open;
    if (!instance.openPassword || !capabilities.password) return { ok: false, failure: { kind: 'unsupported', operation: 'password' } };
    if (notes !== undefined) noteAuditedPassword(notes);
    let error: EntryError | undefined;
    try {
      const session = await instance.openPassword({});
      try {
        const target: Parameters<typeof session.setPassword>[0] = { objectType: schema.name, anchor: object.anchor };
        if (object.dn !== undefined) target.dn = object.dn;
        error = await session.setPassword(target, secret(password), {});
      } finally {
        await session.close().catch(() => undefined);
      }
    } catch (thrown) {
      return this.#thrown(thrown, 'password call failed', 'set the password');
    }
    this.#onReach(undefined);
    if (error) {
      this.#count(error.code);
      return { ok: false, failure: { kind: 'rejected', error } };
    }
    return DONE;
  }

  #thrown(error: unknown, logMessage: string, action: 'export' | 'set the password'): { ok: false; failure: GatewayFailure } {
    this.#count('connected-directory-error');
    this.#onReach(error);
    this.#log.error({ err: { message: describeError(error), code: errorCode(error) } }, logMessage);
    // A ConnectorError's message is written for admins; any other error may be a raw driver
    // message (connection strings, SQL), which stays in the log.
    return { ok: false, failure: { kind: 'unavailable', action, reason: isConnectorError(error) ? error.message : undefined } };
  }

  #count(code: string): void {
    this.#errors++;
    this.#metrics.exportErrors.inc({ connector: this.#connector, code });
  }
}
