import type { AnchorValues, AttributeChange, AttributeValue, ImportEntry, ImportEntryOfValues, ValueChange } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, applyAttributeChanges, importValuesProblem, isAttributeValue, valuesEqual } from '@ecmahost/sdk';
import type { Logger } from 'pino';
import type { ServedSchema } from '../connectors/served-schema.js';
import type { CachedObject } from './cached-object.js';
import type { ConnectorCache } from './connector-cache.js';
import type { Generation } from './generation.js';
import type { ValuesByName } from './packed-space.js';

/** What an import did with its entries so far. */
export interface ImportCounts {
  /** Entries applied to the cache. */
  objects: number;
  /** Entries the connector reported as unreadable (skipped). */
  errors: number;
  /** Entries of other object types or without anchors (skipped). */
  skipped: number;
}

/**
 * Applies imported entries of one served object type to a connector cache: a full import packs
 * every object into a new generation (decision 022), a delta import changes the live one. Built for
 * imports of a million objects: a full import's object is encoded once and compared with the live
 * record as bytes, and a delta entry for an unchanged object is compared straight from its
 * attribute changes, allocating nothing per attribute (decision 010).
 */
export class ImportApplier {
  readonly #schema: ServedSchema;
  readonly #log: Logger;
  readonly #dnAnchor: boolean;
  /** Per kept attribute, the last {@link #sameAsCached} call that met it (finds repeated names without allocating). */
  readonly #seen: { stamps: Uint32Array; call: number };

  constructor(schema: ServedSchema, log: Logger) {
    this.#schema = schema;
    this.#log = log;
    this.#dnAnchor = schema.anchor.includes(DN_ATTRIBUTE);
    this.#seen = { stamps: new Uint32Array(schema.kept.size), call: 0 };
  }

  /**
   * Applies one entry. `generation` is the one a full import builds (undefined for a delta);
   * `now` is the page's timestamp, shared by the objects it creates or changes.
   */
  apply(entry: ImportEntry, cache: ConnectorCache, generation: Generation | undefined, counts: ImportCounts, now: string): void {
    if (entry.error) {
      counts.errors++;
      this.#log.warn({ code: entry.error.code, detail: entry.error.message }, 'import entry skipped');
      return;
    }
    if (entry.objectType !== this.#schema.name) {
      counts.skipped++;
      return;
    }
    const anchor = this.#anchorOf(entry);
    let id: string;
    try {
      id = this.#schema.idOf(anchor);
    } catch {
      counts.skipped++;
      this.#log.warn('import entry without its anchor skipped');
      return;
    }
    if (entry.modification === 'delete') {
      counts.objects++;
      (generation ?? cache).remove(id);
      return;
    }
    // The values are checked once, here: the cache writes them as they come.
    const kept = entry.attributes !== undefined ? this.#keptOfValues(entry) : changesProblem(entry.attributeChanges);
    if (typeof kept === 'string') {
      counts.errors++;
      this.#log.warn({ code: 'invalid-entry', detail: kept, id }, 'import entry skipped');
      return;
    }
    const values: ValuesByName | undefined = kept;
    counts.objects++;
    if (generation !== undefined) {
      // A full import packs every entry as a whole object (decision 022); the live object's bytes
      // decide whether meta.created and meta.lastModified move, without decoding it.
      const before = cache.previous(id);
      const dn = entry.dn ?? (before === undefined ? undefined : 'object' in before ? before.object.dn : before.dn());
      generation.appendImported(id, anchor, values ?? this.#cachedAttributes(entry.attributeChanges!), dn, now, before);
      return;
    }
    // The live object: what a delta entry changes or compares with, so that meta.created and
    // meta.lastModified only move when the object really changed.
    const existing = cache.get(id);
    // A delta `update` changes the live object; anything else gives the whole object.
    // An entry of values is a whole object: its values as lists, as the cache holds them.
    const attributes =
      values !== undefined
        ? valueLists(values)
        : entry.modification === 'update' && existing
          ? this.#schema.keptValues(applyAttributeChanges(existing.attributes, entry.attributeChanges!, valuesEqual))
          : undefined;
    const dn = entry.dn ?? existing?.dn;
    if (
      existing !== undefined &&
      existing.dn === dn &&
      (attributes === undefined ? this.#sameAsCached(existing, entry.attributeChanges!) : sameAttributes(existing.attributes, attributes))
    ) {
      // Unchanged: nothing to write, unless the anchor's form changed.
      if (!sameAnchor(existing.anchor, anchor)) cache.put({ ...existing, anchor });
      return;
    }
    const lists = attributes ?? this.#cachedAttributes(entry.attributeChanges!);
    const created = existing?.created ?? now;
    // The DN in the literal rather than added afterwards: an added property costs the object a
    // second allocation for its property store, for every cached object.
    cache.put(dn === undefined ? { id, anchor, attributes: lists, created, lastModified: now } : { id, anchor, dn, attributes: lists, created, lastModified: now });
  }

  /**
   * The kept values of an entry of values, or what is wrong with it. Handed on as they are when every
   * attribute is kept and has a value (a row of a table mapped whole, the usual case), else copied
   * without the others. Values are checked here, once, as the packing writes them without looking.
   */
  #keptOfValues(entry: ImportEntryOfValues): ValuesByName | string {
    if (entry.modification !== 'add' && entry.modification !== 'replace') return importValuesProblem(entry)!;
    const given = entry.attributes;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) return importValuesProblem(entry)!;
    const kept = this.#schema.kept;
    let whole = true;
    for (const name in given) {
      const value = given[name];
      if (value === undefined || !kept.has(name)) {
        whole = false;
        continue;
      }
      if (Array.isArray(value)) {
        if (value.length === 0) whole = false;
        for (const v of value as readonly unknown[]) if (!isAttributeValue(v)) return importValuesProblem(entry)!;
      } else if (!isAttributeValue(value)) return importValuesProblem(entry)!;
    }
    // `for … in` also walks inherited names; an object of values has none but a hostile one might.
    if (whole && Object.getPrototypeOf(given) === Object.prototype) return given;
    const out: Record<string, AttributeValue | readonly AttributeValue[]> = {};
    for (const name of Object.keys(given)) {
      const value = given[name];
      if (value === undefined || !kept.has(name) || (Array.isArray(value) && value.length === 0)) continue;
      // Defined, not assigned: an attribute named `__proto__` is a key like any other.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** The anchor of an imported entry, with the DN added when it is (part of) the anchor. */
  #anchorOf(entry: Pick<ImportEntry, 'anchor' | 'dn'>): AnchorValues {
    if (!this.#dnAnchor || entry.anchor[DN_ATTRIBUTE] !== undefined || entry.dn === undefined) return entry.anchor;
    return { ...entry.anchor, [DN_ATTRIBUTE]: entry.dn };
  }

  /**
   * The values the cache keeps of an object imported whole: `applyAttributeChanges` on an empty
   * object restricted to the kept attributes, in one pass without intermediate records.
   */
  #cachedAttributes(changes: readonly AttributeChange[]): Record<string, AttributeValue[]> {
    const kept = this.#schema.kept;
    const out: Record<string, AttributeValue[]> = {};
    for (const change of changes) {
      if (!kept.has(change.name)) continue;
      if (change.modification === 'update') {
        const next = applyAttributeChanges(out, [change], valuesEqual)[change.name];
        if (next === undefined) delete out[change.name];
        else out[change.name] = next;
        continue;
      }
      const values = change.modification === 'delete' ? [] : addedValues(change.valueChanges);
      if (values.length > 0) out[change.name] = values;
      else delete out[change.name];
    }
    return out;
  }

  /**
   * Whether a whole-object entry gives `existing` exactly the values it holds, compared straight
   * from the attribute changes so that nothing is built for an unchanged object (most of a
   * re-import). Shapes other than one `add`/`replace` of added values per attribute are compared
   * the long way.
   */
  #sameAsCached(existing: CachedObject, changes: readonly AttributeChange[]): boolean {
    const kept = this.#schema.kept;
    const seen = this.#seen;
    if (++seen.call === 0xffffffff) {
      seen.stamps.fill(0);
      seen.call = 1;
    }
    let present = 0;
    for (const change of changes) {
      const position = kept.get(change.name);
      if (position === undefined) continue;
      if (seen.stamps[position] === seen.call || (change.modification !== 'add' && change.modification !== 'replace')) {
        return sameAttributes(existing.attributes, this.#cachedAttributes(changes));
      }
      seen.stamps[position] = seen.call;
      const values = change.valueChanges;
      const cached = existing.attributes[change.name];
      if (values.length === 0) {
        if (cached !== undefined) return false;
        continue;
      }
      if (cached === undefined || cached.length !== values.length) return false;
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        if (value.modification !== 'add') return sameAttributes(existing.attributes, this.#cachedAttributes(changes));
        if (value.value !== cached[i] && !valuesEqual(value.value, cached[i]!)) return false;
      }
      present++;
    }
    return present === Object.keys(existing.attributes).length;
  }
}

/**
 * What is wrong with the values of an entry of changes, or undefined: the cache writes them as they
 * come, so a value that is not an {@link AttributeValue} must not reach it.
 */
function changesProblem(changes: readonly AttributeChange[]): string | undefined {
  for (const change of changes) {
    for (const valueChange of change.valueChanges) {
      if (!isAttributeValue(valueChange.value)) return `attribute ${change.name} has a value that is not a string, a finite number, a boolean or a Uint8Array`;
    }
  }
  return undefined;
}

/** Kept values as the cache holds them: a list per attribute. */
function valueLists(values: ValuesByName): Record<string, AttributeValue[]> {
  const out: Record<string, AttributeValue[]> = {};
  for (const name of Object.keys(values)) {
    const value = values[name]!;
    const list = Array.isArray(value) ? [...(value as readonly AttributeValue[])] : [value as AttributeValue];
    Object.defineProperty(out, name, { value: list, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function sameAttributes(a: Record<string, AttributeValue[]>, b: Record<string, AttributeValue[]>): boolean {
  let count = 0;
  for (const k in a) {
    const x = a[k]!;
    const y = b[k];
    if (y === undefined || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !valuesEqual(x[i]!, y[i]!)) return false;
    count++;
  }
  return count === Object.keys(b).length;
}

function sameAnchor(a: AnchorValues, b: AnchorValues): boolean {
  let count = 0;
  for (const k in a) {
    const y = b[k];
    if (y === undefined || !valuesEqual(a[k]!, y)) return false;
    count++;
  }
  return count === Object.keys(b).length;
}

/** The values an `add` or `replace` change gives its attribute (its `add` value changes). */
function addedValues(changes: readonly ValueChange[]): AttributeValue[] {
  // The common single value without the callbacks below.
  if (changes.length === 1 && changes[0]!.modification === 'add') return [changes[0]!.value];
  // `map` allocates the array at its final length; the import keeps it, so no spare capacity.
  return changes.every((c) => c.modification === 'add') ? changes.map((c) => c.value) : changes.filter((c) => c.modification === 'add').map((c) => c.value);
}
