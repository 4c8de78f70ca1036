import type { CloseReason } from './context.js';
import type { CSEntryChange } from './changes.js';
import type { Partition } from './partitions.js';
import type { Schema } from './schema.js';
import type { AnchorValues } from './values.js';

/**
 * Why one entry of an export failed (ECMA2 `MAExportError`):
 *
 * | code | ECMA2 name | meaning |
 * | --- | --- | --- |
 * | `missing-object` | `ExportErrorConnectedDirectoryMissingObject` | update/delete of an object the target does not have |
 * | `existing-object` | `ExportErrorConnectedDirectoryExistingObject` | add of an object the target already has |
 * | `syntax-violation` | `ExportErrorSyntaxViolation` | a value the target rejects: type, length, required attribute, schema |
 * | `invalid-provisioning-value` | `ExportErrorInvalidProvisioningAttributeValue` | a value the connector itself cannot use (a bad DN, an unknown object type) |
 * | `permission-issue` | `ExportErrorPermissionIssue` | the target refused the operation for lack of rights |
 * | `connected-directory-error` | `ExportErrorConnectedDirectoryError` | the target failed; with `retryable` the same entry may succeed later |
 * | `custom-continue-run` | `ExportErrorCustomContinueRun` | any other failure of this entry; the run goes on |
 * | `custom-stop-run` | `ExportErrorCustomStopRun` | this entry failed and no further entry should be sent |
 */
export type ExportErrorCode =
  | 'missing-object'
  | 'existing-object'
  | 'syntax-violation'
  | 'invalid-provisioning-value'
  | 'permission-issue'
  | 'connected-directory-error'
  | 'custom-continue-run'
  | 'custom-stop-run';

/** Every {@link ExportErrorCode}, for hosts that map them. */
export const EXPORT_ERROR_CODES: readonly ExportErrorCode[] = [
  'missing-object',
  'existing-object',
  'syntax-violation',
  'invalid-provisioning-value',
  'permission-issue',
  'connected-directory-error',
  'custom-continue-run',
  'custom-stop-run',
];

/** The error of one failed entry. */
export interface EntryError {
  code: ExportErrorCode;
  /** The target's own message where there is one (the database's or the directory's), else ours. */
  message: string;
  /**
   * The same entry may succeed if sent again later (connection lost, server busy, timeout).
   *
   * @remarks `@ecmahost/host` does not read it: it answers every `connected-directory-error` with
   * 503 and `Retry-After`, retryable or not.
   */
  retryable?: boolean;
  /**
   * The attribute at fault, where the target says which.
   *
   * @remarks `@ecmahost/host` does not read it: name the attribute in `message`, which reaches the admin.
   */
  attribute?: string;
}

/**
 * An {@link EntryError}. Typed by its code argument, so a mistyped code is reported at that
 * argument (TS2345: not assignable to `ExportErrorCode`) rather than as a long TS2322 chain at
 * `open()` when the error sits deep in an object literal of the instance.
 *
 * @example
 * return { identifier: entry.identifier, error: entryError('missing-object', `no row ${id}`) };
 */
export function entryError(code: ExportErrorCode, message: string, details: Pick<EntryError, 'retryable' | 'attribute'> = {}): EntryError {
  return { code, message, ...details };
}

/**
 * The result of one export entry (ECMA2 `CSEntryChangeResult`): success, possibly with the anchor
 * the target generated (`anchor`) or a DN it assigned (`dn`), or an error.
 */
export interface ExportEntryResult {
  identifier: string;
  error?: EntryError;
  /** Anchor values set by the target on add (identity columns, entryUUID...). */
  anchor?: AnchorValues;
  /** The DN the object has after the export, when the target assigned or changed it. */
  dn?: string;
}

/** How an export run is opened (ECMA2 `OpenExportConnectionRunStep`). */
export interface ExportRunStep {
  /** The object types and attributes the host will send. */
  schema: Schema;
  /**
   * The largest batch the host will send at once.
   *
   * @remarks Always 1 from `@ecmahost/host`, which opens a session for each SCIM write and sends
   * its one entry.
   */
  batchSize: number;
  /**
   * The partition the entries belong to, where the connector supports partitions.
   *
   * @remarks Not used by `@ecmahost/host`: never set.
   */
  partition?: Partition;
}

/**
 * An open export run (ECMA2 `OpenExportConnection` … `CloseExportConnection`).
 *
 * `putEntries` receives a batch and returns exactly one result per entry, in any order, matched by
 * `identifier`. A failing entry never fails the batch: expected failures are results; a throw means
 * the whole batch is in an unknown state (the host reports every entry as a retryable
 * `connected-directory-error`).
 */
export interface ExportSession {
  /**
   * Applies one batch (at most `batchSize` entries) and returns exactly one result per entry. Called
   * repeatedly until the host has nothing left to export. Throws only when the whole batch failed.
   *
   * @remarks `@ecmahost/host` calls it once per session, with one entry, and then closes the
   * session with `normal`, also after a throw.
   */
  putEntries(batch: readonly CSEntryChange[]): Promise<ExportEntryResult[]>;
  /** Ends the run: `normal` after the last batch, another reason when the host stops early. */
  close(reason: CloseReason): Promise<void>;
}
