import type { AttributeValue } from '@ecmahost/sdk';
import type { CachedObject } from './cached-object.js';
import { indexKey } from './index-key.js';
import type { IndexedAttribute } from './index-key.js';
import { PackedObject } from './packed-object.js';

/**
 * The ids under one index key: a bare id while the value is unique (the common case for the
 * attributes indexed, so no collection per entry), a `Set` once two objects share it.
 */
type IndexEntry = string | Set<string>;

/** An index's attribute, case rule and, once something has looked a value up through it, its map. */
interface Index {
  name: string;
  caseExact: boolean;
  map: Map<string, IndexEntry> | undefined;
}

/**
 * One complete state of a connector space: objects by id plus a hash index per indexed attribute
 * (normalised value → ids). A full import fills a new generation while the previous one keeps
 * answering, then replaces it whole.
 *
 * An index is built on its first lookup and kept up to date from then on: an import does not pay
 * for indexes no filter uses (each costs a map entry per object, more than the object's own
 * values), and a generation that replaces another is given the indexes that one had built, so a
 * swap never makes a lookup wait for a rebuild.
 */
export class Generation {
  /** Restored objects stay packed until first read (decision 021); `#packed` counts them. */
  readonly #objects = new Map<string, CachedObject | PackedObject>();
  #packed = 0;
  /** The indexes whose values the snapshot being restored carries. */
  #carried = new Set<string>();
  readonly #indexes = new Map<string, Index>();
  /** The indexes with a map, which every put and remove maintains. */
  readonly #built: Index[] = [];

  /** `built`: the attributes whose index is maintained from the start (the ones in use). */
  constructor(indexed: readonly IndexedAttribute[], built: Iterable<string> = []) {
    for (const attribute of indexed) this.#indexes.set(attribute.name, { name: attribute.name, caseExact: attribute.caseExact, map: undefined });
    for (const name of built) {
      const index = this.#indexes.get(name);
      if (index !== undefined && index.map === undefined) {
        index.map = new Map();
        this.#built.push(index);
      }
    }
  }

  /** Number of objects. */
  get size(): number {
    return this.#objects.size;
  }

  /** The object with this id. */
  get(id: string): CachedObject | undefined {
    const object = this.#objects.get(id);
    return object instanceof PackedObject ? this.#unpack(object) : object;
  }

  /** Every object, in insertion order. */
  values(): IterableIterator<CachedObject> {
    // Once nothing is packed (after the first full refresh), the map's own iterator.
    return this.#packed === 0 ? (this.#objects.values() as IterableIterator<CachedObject>) : this.#unpackedValues();
  }

  *#unpackedValues(): IterableIterator<CachedObject> {
    for (const object of this.#objects.values()) yield object instanceof PackedObject ? this.#unpack(object) : object;
  }

  /** Decodes a restored object and keeps it decoded (replacing a key's value keeps its place in the map). */
  #unpack(packed: PackedObject): CachedObject {
    const object = packed.unpack();
    this.#objects.set(object.id, object);
    this.#packed--;
    return object;
  }

  /**
   * Builds, empty, the indexes a snapshot carries the values of, before its objects come in
   * through {@link putPacked}. Only on an empty generation: objects put before would be missing.
   */
  restoreIndexes(names: readonly string[]): void {
    if (this.#objects.size > 0) throw new Error('indexes are restored before any object');
    this.#carried = new Set(names);
    for (const name of names) {
      const index = this.#indexes.get(name);
      if (index !== undefined && index.map === undefined) {
        index.map = new Map();
        this.#built.push(index);
      }
    }
  }

  /**
   * Adds an object read from a snapshot without decoding it: `indexed` holds its values of the
   * indexes the snapshot carries. An index built that the snapshot does not carry needs the object
   * decoded (correct, only slower).
   */
  putPacked(packed: PackedObject, indexed: Record<string, AttributeValue[]>): void {
    // The size tells a duplicate without a second hash lookup; the generation is dropped with the file.
    const size = this.#objects.size;
    this.#objects.set(packed.id, packed);
    if (this.#objects.size === size) throw new Error(`object ${packed.id} is in the snapshot twice`);
    this.#packed++;
    for (const index of this.#built) {
      const values = this.#carried.has(index.name) ? indexed[index.name] : this.get(packed.id)!.attributes[index.name];
      if (values !== undefined) addValues(index.map!, index, packed.id, values);
    }
  }

  /** Whether `attribute` has a hash index (built or to be built on its first lookup). */
  isIndexed(attribute: string): boolean {
    return this.#indexes.has(attribute);
  }

  /** The indexed attributes whose index has been built. */
  builtIndexes(): string[] {
    return this.#built.map((index) => index.name);
  }

  /** Ids of objects whose `attribute` has a value equal to `value` (per the attribute's case rule). */
  lookup(attribute: string, value: AttributeValue | string | number | boolean): string[] {
    const index = this.#indexes.get(attribute);
    if (index === undefined) throw new Error(`${attribute} is not indexed`);
    let map = index.map;
    if (map === undefined) {
      map = new Map();
      for (const object of this.values()) addEntries(map, index, object);
      index.map = map;
      this.#built.push(index);
    }
    const entry = map.get(indexKey(value, index.caseExact));
    if (entry === undefined) return [];
    return typeof entry === 'string' ? [entry] : [...entry];
  }

  /** Adds or replaces an object, updating every built index. */
  put(object: CachedObject): void {
    const before = this.get(object.id);
    if (before !== undefined) this.#unindex(before);
    this.#objects.set(object.id, object);
    for (const index of this.#built) addEntries(index.map!, index, object);
  }

  /** Removes an object and its index entries; returns it. */
  remove(id: string): CachedObject | undefined {
    const before = this.get(id);
    if (before === undefined) return undefined;
    this.#unindex(before);
    this.#objects.delete(id);
    return before;
  }

  #unindex(object: CachedObject): void {
    for (const index of this.#built) {
      const map = index.map!;
      for (const value of object.attributes[index.name] ?? []) {
        const key = indexKey(value, index.caseExact);
        const entry = map.get(key);
        if (entry === object.id) map.delete(key);
        else if (entry !== undefined && typeof entry !== 'string') {
          entry.delete(object.id);
          // Back to a bare id once the value is unique again, so the entry costs what it did before.
          if (entry.size === 1) map.set(key, entry.values().next().value!);
          else if (entry.size === 0) map.delete(key);
        }
      }
    }
  }
}

function addEntries(map: Map<string, IndexEntry>, index: Index, object: CachedObject): void {
  const values = object.attributes[index.name];
  if (values !== undefined) addValues(map, index, object.id, values);
}

function addValues(map: Map<string, IndexEntry>, index: Index, id: string, values: readonly AttributeValue[]): void {
  for (const value of values) {
    const key = indexKey(value, index.caseExact);
    const entry = map.get(key);
    if (entry === undefined) map.set(key, id);
    else if (typeof entry !== 'string') entry.add(id);
    else if (entry !== id) map.set(key, new Set([entry, id]));
  }
}
