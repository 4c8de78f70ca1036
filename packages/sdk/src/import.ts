import type { CloseReason } from './context.js';
import type { AttributeChange, CSEntryChange } from './changes.js';
import { attributeChangesOf } from './changes.js';
import type { HierarchyNode, Partition } from './partitions.js';
import type { Schema } from './schema.js';
import type { AnchorValues, AttributeValue, AttributeValues } from './values.js';

/** Full import returns every object; delta import only what changed since the watermark. */
export type ImportType = 'full' | 'delta';

/** How an import run is opened (ECMA2 `OpenImportConnectionRunStep`). */
export interface ImportRunStep {
  type: ImportType;
  /** The object types and attributes the host wants; a connector may return fewer attributes, never more types. */
  schema: Schema;
  /** Entries per page the host asks for; a connector may return fewer. */
  pageSize: number;
  /**
   * The watermark the connector returned at the end of its last successful import (full or delta),
   * unchanged. A delta import that cannot use it throws `ConnectorError('invalid-watermark')`, and
   * the host falls back to a full import.
   *
   * @remarks `@ecmahost/host` gives it to delta imports only; its full imports never carry one.
   */
  watermark?: string;
  /**
   * The partition to import, where the connector supports partitions.
   *
   * @remarks Not used by `@ecmahost/host`: never set.
   */
  partition?: Partition;
  /**
   * Containers to include, where the connector supports hierarchy.
   *
   * @remarks Not used by `@ecmahost/host`: never set.
   */
  inclusions?: readonly HierarchyNode[];
  /**
   * Containers to leave out, where the connector supports hierarchy.
   *
   * @remarks Not used by `@ecmahost/host`: never set.
   */
  exclusions?: readonly HierarchyNode[];
}

/** A failure to read one entry; the run goes on (ECMA2 `MAImportError` on a `CSEntryChange`). */
export interface ImportEntryError {
  /** A short code, e.g. `invalid-attribute-value`, `missing-anchor`, `parse-error`. */
  code: string;
  /** What is wrong, in words an admin understands; names the object when it can. */
  message: string;
}

/** What every imported entry has, whichever way it gives the object's values. */
interface ImportEntryBase extends Omit<CSEntryChange, 'identifier' | 'attributeChanges'> {
  error?: ImportEntryError;
}

/** An imported entry that gives its values as attribute changes, as ECMA2's `CSEntryChange` does. */
export interface ImportEntryOfChanges extends ImportEntryBase {
  attributeChanges: readonly AttributeChange[];
  attributes?: undefined;
}

/**
 * An imported `add` or `replace` that gives the whole object as its values: a value, or a list of
 * values, per attribute (an attribute absent, `undefined` or `[]` has no value). The same object as
 * an `add` of each attribute's values, written the way a row or an entry is read, without a change
 * object per attribute and per value: a full import hands over every object of the target, and
 * these objects are most of what an import allocates (decision 028).
 */
export interface ImportEntryOfValues extends ImportEntryBase {
  modification: 'add' | 'replace';
  attributes: AttributeValues;
  attributeChanges?: undefined;
}

/**
 * One imported entry. In a full import: `add` with the whole object. In a delta import: `add`,
 * `replace` (whole object), `update` (attribute changes only) or `delete` (anchor only). A whole
 * object comes as attribute changes (each an `add` of its values) or as its `attributes`
 * ({@link ImportEntryOfValues}, the lighter form). An entry that could not be read carries `error`
 * and is skipped by the host, which keeps the run going.
 */
export type ImportEntry = ImportEntryOfChanges | ImportEntryOfValues;

/** An entry's values as attribute changes, whichever form it came in. */
export function importEntryChanges(entry: Pick<ImportEntry, 'attributeChanges' | 'attributes'>): readonly AttributeChange[] {
  return entry.attributeChanges ?? attributeChangesOf(entry.attributes ?? {});
}

/**
 * What is wrong with an entry of values ({@link ImportEntryOfValues}), or undefined: its
 * modification must be `add` or `replace`, and each value a string, a finite number, a boolean or
 * bytes (`Uint8Array`), alone or in a list.
 */
export function importValuesProblem(entry: ImportEntryOfValues): string | undefined {
  if (entry.modification !== 'add' && entry.modification !== 'replace') return `an entry of values is an add or a replace, not ${String(entry.modification)}`;
  if (typeof entry.attributes !== 'object' || entry.attributes === null || Array.isArray(entry.attributes)) return 'the attributes of an entry of values are an object of values by name';
  for (const name of Object.keys(entry.attributes)) {
    const value = entry.attributes[name];
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? (value as readonly unknown[]) : [value]) {
      if (!isAttributeValue(v)) return `attribute ${name} has a value that is ${describe(v)}, not a string, a finite number, a boolean or a Uint8Array`;
    }
  }
  return undefined;
}

/** Whether `value` is one {@link AttributeValue}. */
export function isAttributeValue(value: unknown): value is AttributeValue {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value)) || value instanceof Uint8Array;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'number' ? String(value) : `of type ${typeof value}`;
}

/**
 * An entry that could not be read, for an import page: the error, and what the connector knows of
 * the object (type, anchor, DN) to name it. The host skips it and logs the error; the members an
 * entry needs and a failure does not have are filled in (no anchor, no changes), so a connector does
 * not write `anchor: {}` and `attributeChanges: []` itself.
 */
export function failedImportEntry(error: ImportEntryError, known: { objectType?: string; anchor?: AnchorValues; dn?: string } = {}): ImportEntry {
  return {
    objectType: known.objectType ?? '',
    modification: 'add',
    anchor: known.anchor ?? {},
    attributeChanges: [],
    ...(known.dn === undefined ? {} : { dn: known.dn }),
    error,
  };
}

/** One page of an import (ECMA2 `GetImportEntriesResults`). */
export interface ImportPage {
  entries: readonly ImportEntry[];
  /** Whether the host should ask for another page. */
  more: boolean;
  /**
   * The position reached so far, opaque to the host. The one returned with the last page (or by
   * `close`) is stored and given back as {@link ImportRunStep.watermark} next time.
   */
  watermark?: string;
}

/**
 * An open import run (ECMA2 `OpenImportConnection` … `CloseImportConnection`). The host calls
 * `getEntries` until a page says `more: false`, then `close('normal')`; on failure or shutdown it
 * calls `close` with another reason and discards the run's watermark. Calls never overlap, but the
 * host asks for the next page as soon as a page is returned, before it has applied that page's
 * entries: a later call must not change the objects of a page already returned.
 */
export interface ImportSession {
  getEntries(): Promise<ImportPage>;
  /** Releases the run's resources. May return a final watermark, which wins over the last page's. */
  close(reason: CloseReason): Promise<{ watermark?: string } | void>;
}
