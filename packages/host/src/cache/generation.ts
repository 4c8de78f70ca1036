import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';
import type { CachedObject } from './cached-object.js';
import { indexKey } from './index-key.js';
import type { IndexedAttribute } from './index-key.js';
import { PackedSpace, PackedSpaceBuilder } from './packed-space.js';
import type { PackedRef, Previous, ValuesByName } from './packed-space.js';

/**
 * The ids under one index key: a bare id while the value is unique (the common case for the
 * attributes indexed, so no collection per entry), a `Set` once two objects share it.
 */
type IndexEntry = string | Set<string>;

/**
 * An index's attribute and case rule; `carried` is its position among the packed space's carried
 * indexes (-1 when the space does not carry it); `map` holds the keys of the overlay's objects —
 * and of the packed ones too when `coversPacked` (an index built on its first lookup, over a
 * space that does not carry it).
 */
interface Index {
  name: string;
  caseExact: boolean;
  carried: number;
  map: Map<string, IndexEntry> | undefined;
  coversPacked: boolean;
}

/** What the connector space holds at one moment, for a snapshot (decision 021). */
export interface SpaceView {
  packed: PackedSpace | undefined;
  /** The packed records replaced or removed since, copied when the view was taken. */
  gone: Uint8Array;
  /** The overlay's objects (never changed in place once cached, but for member arrays: see MemberSet). */
  objects: CachedObject[];
  /** The indexes built: a snapshot carries their keys. */
  indexes: IndexedAttribute[];
  /** The attribute names the records' bodies write as numbers. */
  names: readonly string[];
}

/**
 * One complete state of a connector space (decision 022): the objects a full import or a snapshot
 * gave, packed outside the heap ({@link PackedSpace}), plus an overlay `Map` of the objects written
 * since (SCIM writes, delta imports), with hash indexes per indexed attribute. A full import fills
 * a new generation while the previous one keeps answering, then replaces it whole.
 *
 * An index is built on its first lookup and kept up to date from then on: an import does not pay
 * for indexes no filter uses, and a generation that replaces another carries the keys of the
 * indexes that one had built, so a swap never makes a lookup wait for a rebuild.
 *
 * A packed object is decoded afresh each time it is read: callers may keep what they get, and
 * the heap holds only the objects in use. Writing an object back (`put`) moves it to the overlay.
 */
export class Generation {
  readonly #objects = new Map<string, CachedObject>();
  readonly #indexes = new Map<string, Index>();
  /** The indexes maintained on every put and remove. */
  readonly #built: Index[] = [];
  #packed: PackedSpace | undefined;
  /** Per packed record, 1 once the overlay replaced it or it was removed. */
  #gone: Uint8Array = new Uint8Array(0);
  #packedLive = 0;
  /** While a full import or a restore fills the generation. */
  #builder: PackedSpaceBuilder | undefined;
  /** The attribute names packed records write as numbers (the served type's kept attributes). */
  readonly names: readonly string[];

  /**
   * `built`: the attributes whose index is maintained from the start (the ones in use). `names`:
   * the attribute names packed records write as numbers (any other name is written out).
   */
  constructor(indexed: readonly IndexedAttribute[], built: Iterable<string> = [], names: readonly string[] = []) {
    this.names = names;
    for (const attribute of indexed) this.#indexes.set(attribute.name, { name: attribute.name, caseExact: attribute.caseExact, carried: -1, map: undefined, coversPacked: false });
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
    return this.#objects.size + this.#packedLive;
  }

  /** The object with this id (a packed one decoded for this caller). */
  get(id: string): CachedObject | undefined {
    const object = this.#objects.get(id);
    if (object !== undefined || this.#packed === undefined) return object;
    const slot = this.#packed.find(id);
    return slot === -1 || this.#gone[slot] === 1 ? undefined : this.#packed.decode(slot);
  }

  /** Every object: the packed ones in their order, then the overlay's. */
  *values(): IterableIterator<CachedObject> {
    const packed = this.#packed;
    if (packed !== undefined) for (let slot = 0; slot < packed.count; slot++) if (this.#gone[slot] !== 1) yield packed.decode(slot);
    yield* this.#objects.values();
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
    return this.#matches(attribute, value, (id) => id, (slot, packed) => packed.idOf(slot));
  }

  /** The objects {@link lookup} names, each read once. */
  lookupObjects(attribute: string, value: AttributeValue | string | number | boolean): CachedObject[] {
    return this.#matches(attribute, value, (id) => this.#objects.get(id) ?? this.get(id)!, (slot, packed) => packed.decode(slot));
  }

  /** The objects {@link lookupObjects} gives, in the same order, the packed ones left undecoded. */
  lookupRecords(attribute: string, value: AttributeValue | string | number | boolean): (CachedObject | PackedRef)[] {
    return this.#matches<CachedObject | PackedRef>(attribute, value, (id) => this.#objects.get(id) ?? this.#packedRef(id)!, (slot, space) => ({ space, slot }));
  }

  /** The live packed record with this id (an index built over the packed records names it by id). */
  #packedRef(id: string): PackedRef | undefined {
    const space = this.#packed;
    if (space === undefined) return undefined;
    const slot = space.find(id);
    return slot === -1 || this.#gone[slot] === 1 ? undefined : { space, slot };
  }

  #matches<T>(attribute: string, value: AttributeValue | string | number | boolean, fromId: (id: string) => T, fromSlot: (slot: number, packed: PackedSpace) => T): T[] {
    const index = this.#indexes.get(attribute);
    if (index === undefined) throw new Error(`${attribute} is not indexed`);
    if (index.map === undefined) {
      const map = new Map<string, IndexEntry>();
      for (const object of this.values()) addEntries(map, index, object);
      index.map = map;
      index.coversPacked = this.#packed !== undefined && index.carried === -1;
      this.#built.push(index);
    }
    const key = indexKey(value, index.caseExact);
    const out: T[] = [];
    const packed = this.#packed;
    if (packed !== undefined && index.carried !== -1) {
      for (const slot of packed.findByKey(index.carried, key)) if (this.#gone[slot] !== 1) out.push(fromSlot(slot, packed));
    }
    const entry = index.map.get(key);
    if (typeof entry === 'string') out.push(fromId(entry));
    else if (entry !== undefined) for (const id of entry) out.push(fromId(id));
    return out;
  }

  /** Adds or replaces an object, updating every built index. */
  put(object: CachedObject): void {
    if (this.#builder !== undefined) return this.#builder.appendObject(object);
    this.#take(object.id, false);
    this.#objects.set(object.id, object);
    for (const index of this.#built) addEntries(index.map!, index, object);
  }

  /** Removes an object and its index entries; returns it. */
  remove(id: string): CachedObject | undefined {
    if (this.#builder !== undefined) {
      this.#builder.remove(id);
      return undefined;
    }
    return this.#take(id, true);
  }

  /** Takes the object with this id out of the overlay or the packed space, and out of the indexes. */
  #take(id: string, wanted: boolean): CachedObject | undefined {
    const before = this.#objects.get(id);
    if (before !== undefined) {
      this.#unindex(before, this.#built);
      this.#objects.delete(id);
      return before;
    }
    if (this.#packed === undefined) return undefined;
    const slot = this.#packed.find(id);
    if (slot === -1 || this.#gone[slot] === 1) return undefined;
    this.#gone[slot] = 1;
    this.#packedLive--;
    // The carried indexes skip gone records; only an index built over the packed records holds its keys.
    const covering = this.#built.filter((index) => index.coversPacked);
    if (!wanted && covering.length === 0) return undefined;
    const packed = this.#packed.decode(slot);
    this.#unindex(packed, covering);
    return packed;
  }

  #unindex(object: CachedObject, indexes: readonly Index[]): void {
    for (const index of indexes) {
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

  /**
   * Starts filling this (empty) generation from a full import: objects come in packed through
   * {@link appendImported}, carrying the keys of the indexes built so far, until {@link seal}.
   */
  beginPacking(): void {
    this.#requireEmpty();
    this.#builder = new PackedSpaceBuilder(
      this.#built.map(({ name, caseExact }) => ({ name, caseExact })),
      this.names,
    );
  }

  /**
   * Starts restoring this (empty) generation from a snapshot whose records carry the keys of
   * `names` (in that order) and number attributes as `attributes` does; returns the builder its
   * bytes go to. A name this configuration does not index (it cannot happen while the configuration
   * hash matches) is carried and never looked up. The file's numbering is kept for its records even
   * where the type's attributes changed since (a column the target gained): they decode as written.
   */
  beginRestore(names: readonly string[], attributes: readonly string[]): PackedSpaceBuilder {
    this.#requireEmpty();
    this.#builder = new PackedSpaceBuilder(
      names.map((name) => ({ name, caseExact: this.#indexes.get(name)?.caseExact ?? true })),
      attributes,
    );
    return this.#builder;
  }

  /** Appends an imported object to the space being packed; `before` is the live object it replaces, if any. */
  appendImported(id: string, anchor: AnchorValues, attributes: ValuesByName, dn: string | undefined, now: string, before: Previous | undefined): void {
    this.#builder!.appendImported(id, anchor, attributes, dn, now, before);
  }

  /**
   * Ends packing: from here on the generation answers from the packed space. `duplicates`:
   * `'refuse'` throws when a snapshot holds an id twice; `'last'` keeps the last, as an import does.
   */
  seal(duplicates: 'refuse' | 'last'): void {
    const builder = this.#builder;
    if (builder === undefined) return;
    this.#builder = undefined;
    const packed = builder.seal(duplicates);
    this.#packed = packed;
    this.#gone = packed.goneAtSeal;
    let live = packed.count;
    for (let slot = 0; slot < packed.count; slot++) live -= this.#gone[slot]!;
    this.#packedLive = live;
    packed.carried.forEach(({ name }, position) => {
      const index = this.#indexes.get(name);
      if (index !== undefined) index.carried = position;
    });
    // An index in use whose keys the records do not carry (a snapshot written before its first
    // lookup) is built again on its next lookup; the carried ones are built from here on.
    this.#built.length = 0;
    for (const index of this.#indexes.values()) {
      if (index.carried === -1) index.map = undefined;
      else {
        index.map ??= new Map();
        this.#built.push(index);
      }
    }
  }

  /** Where the object with this id lies, for an import to compare its bytes with. */
  previous(id: string): Previous | undefined {
    const object = this.#objects.get(id);
    if (object !== undefined) return { object };
    if (this.#packed === undefined) return undefined;
    const slot = this.#packed.find(id);
    return slot === -1 || this.#gone[slot] === 1 ? undefined : this.#packed.locate(slot);
  }

  /** The DN of the object with this id, decoding it only when it has one. */
  dnOf(id: string): string | undefined {
    const object = this.#objects.get(id);
    if (object !== undefined || this.#packed === undefined) return object?.dn;
    const slot = this.#packed.find(id);
    return slot === -1 || this.#gone[slot] === 1 || !this.#packed.hasDn(slot) ? undefined : this.#packed.decode(slot).dn;
  }

  /** What the space holds now, for a snapshot written later: the packed records stay as they are. */
  view(): SpaceView {
    return {
      packed: this.#packed,
      gone: this.#gone.slice(),
      objects: [...this.#objects.values()],
      indexes: this.#built.map(({ name, caseExact }) => ({ name, caseExact })),
      names: this.names,
    };
  }

  #requireEmpty(): void {
    if (this.size > 0 || this.#packed !== undefined || this.#builder !== undefined) throw new Error('a generation is packed once, from empty');
  }
}

function addEntries(map: Map<string, IndexEntry>, index: Index, object: CachedObject): void {
  const values = object.attributes[index.name];
  if (values === undefined) return;
  for (const value of values) {
    const key = indexKey(value, index.caseExact);
    const entry = map.get(key);
    if (entry === undefined) map.set(key, object.id);
    else if (typeof entry !== 'string') entry.add(object.id);
    else if (entry !== object.id) map.set(key, new Set([entry, object.id]));
  }
}
