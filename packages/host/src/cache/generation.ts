import type { AttributeValue } from '@ecmahost/sdk';
import type { CachedObject } from './cached-object.js';
import { indexKey } from './index-key.js';
import type { IndexedAttribute } from './index-key.js';

/**
 * The ids under one index key: a bare id while the value is unique (the common case for the
 * attributes indexed, so no collection per entry), a `Set` once two objects share it.
 */
type IndexEntry = string | Set<string>;

/**
 * One complete state of a connector space: objects by id plus a hash index per indexed attribute
 * (normalised value → ids). A full import fills a new generation while the previous one keeps
 * answering, then replaces it whole.
 */
export class Generation {
  readonly #objects = new Map<string, CachedObject>();
  readonly #indexes = new Map<string, { caseExact: boolean; map: Map<string, IndexEntry> }>();

  constructor(indexed: readonly IndexedAttribute[]) {
    for (const attribute of indexed) this.#indexes.set(attribute.name, { caseExact: attribute.caseExact, map: new Map() });
  }

  /** Number of objects. */
  get size(): number {
    return this.#objects.size;
  }

  /** The object with this id. */
  get(id: string): CachedObject | undefined {
    return this.#objects.get(id);
  }

  /** Every object, in insertion order. */
  values(): IterableIterator<CachedObject> {
    return this.#objects.values();
  }

  /** Whether `attribute` has a hash index. */
  isIndexed(attribute: string): boolean {
    return this.#indexes.has(attribute);
  }

  /** Ids of objects whose `attribute` has a value equal to `value` (per the attribute's case rule). */
  lookup(attribute: string, value: AttributeValue | string | number | boolean): string[] {
    const index = this.#indexes.get(attribute);
    if (index === undefined) throw new Error(`${attribute} is not indexed`);
    const entry = index.map.get(indexKey(value, index.caseExact));
    if (entry === undefined) return [];
    return typeof entry === 'string' ? [entry] : [...entry];
  }

  /** Adds or replaces an object, updating every index. */
  put(object: CachedObject): void {
    const before = this.#objects.get(object.id);
    if (before !== undefined) this.#unindex(before);
    this.#objects.set(object.id, object);
    for (const [name, index] of this.#indexes) {
      for (const value of object.attributes[name] ?? []) {
        const key = indexKey(value, index.caseExact);
        const entry = index.map.get(key);
        if (entry === undefined) index.map.set(key, object.id);
        else if (typeof entry !== 'string') entry.add(object.id);
        else if (entry !== object.id) index.map.set(key, new Set([entry, object.id]));
      }
    }
  }

  /** Removes an object and its index entries; returns it. */
  remove(id: string): CachedObject | undefined {
    const before = this.#objects.get(id);
    if (before === undefined) return undefined;
    this.#unindex(before);
    this.#objects.delete(id);
    return before;
  }

  #unindex(object: CachedObject): void {
    for (const [name, index] of this.#indexes) {
      for (const value of object.attributes[name] ?? []) {
        const key = indexKey(value, index.caseExact);
        const entry = index.map.get(key);
        if (entry === object.id) index.map.delete(key);
        else if (entry !== undefined && typeof entry !== 'string') {
          entry.delete(object.id);
          // Back to a bare id once the value is unique again, so the entry costs what it did before.
          if (entry.size === 1) index.map.set(key, entry.values().next().value!);
          else if (entry.size === 0) index.map.delete(key);
        }
      }
    }
  }
}
