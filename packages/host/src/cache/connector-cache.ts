import type { AttributeValue } from '@ecmahost/sdk';
import type { CachedObject } from './cached-object.js';
import { Generation } from './generation.js';
import type { SpaceView } from './generation.js';
import type { PackedRef, Previous } from './packed-space.js';
import type { IndexedAttribute } from './index-key.js';

/** `importing` until the first full import completes; `ready` afterwards. */
export type CacheState = 'importing' | 'ready';

/** A cache query: an optional index lookup narrowing the candidates, and the full predicate. */
export interface CacheQuery {
  /** Narrow to objects with this id, or this value of an indexed attribute. */
  lookup?: { id: string } | { attribute: string; value: AttributeValue | string | number | boolean };
  predicate: (object: CachedObject) => boolean;
}

/**
 * How a query was answered: `index` names the attribute (or `id`) whose index gave the
 * candidates, or is null for a scan; `scanned` counts the objects the predicate was evaluated on.
 */
export interface QueryPlan {
  index: string | null;
  scanned: number;
}

/** The matches of a query, in cache order, with its plan. */
export interface QueryResult {
  objects: CachedObject[];
  plan: QueryPlan;
}

type Write = { kind: 'put'; object: CachedObject } | { kind: 'remove'; id: string };

/**
 * The connector space of one connector instance: the live {@link Generation}, plus the one a full
 * import is building. Exports write to the live generation at once and are replayed onto a
 * generation under construction when it is swapped in, so a completed export is never lost to an
 * import that read the target just before it.
 */
export class ConnectorCache {
  readonly #indexed: readonly IndexedAttribute[];
  readonly #names: readonly string[];
  #live: Generation | undefined;
  #building: { generation: Generation; writes: Write[] } | undefined;

  /** `names`: the type's kept attribute names, which packed records write as numbers (decision 023). */
  constructor(indexed: readonly IndexedAttribute[], names: readonly string[] = []) {
    this.#indexed = indexed;
    this.#names = names;
  }

  /** `importing` until a first generation is complete: no answer may come from a partial cache. */
  get state(): CacheState {
    return this.#live === undefined ? 'importing' : 'ready';
  }

  /** Objects in the live generation. */
  get size(): number {
    return this.#live?.size ?? 0;
  }

  /**
   * Starts a new generation for a full import; the live one keeps answering. The new one
   * maintains the indexes lookups have used on the live one, so they are ready when it is swapped in.
   */
  beginFull(): Generation {
    const generation = this.beginRestore();
    generation.beginPacking();
    return generation;
  }

  /** Starts a new, empty generation that a snapshot fills ({@link Generation.beginRestore}); committed like a full import's. */
  beginRestore(): Generation {
    const generation = new Generation(this.#indexed, this.#live?.builtIndexes(), this.#names);
    this.#building = { generation, writes: [] };
    return generation;
  }

  /** Replaces the live generation with the one a full import has completed. */
  commitFull(generation: Generation): void {
    if (this.#building?.generation !== generation) throw new Error('this generation is not the one being built');
    generation.seal('last');
    for (const write of this.#building.writes) {
      if (write.kind === 'put') generation.put(write.object);
      else generation.remove(write.id);
    }
    this.#live = generation;
    this.#building = undefined;
  }

  /** Drops a generation whose import failed; the live one stays. */
  abortFull(generation: Generation): void {
    if (this.#building?.generation === generation) this.#building = undefined;
  }

  /** The live object with this id. */
  get(id: string): CachedObject | undefined {
    return this.#live?.get(id);
  }

  /** Where the live object with this id lies, for a full import to compare its bytes with. */
  previous(id: string): Previous | undefined {
    return this.#live?.previous(id);
  }

  /** The DN of the live object with this id. */
  dnOf(id: string): string | undefined {
    return this.#live?.dnOf(id);
  }

  /** What the live generation holds now, for a snapshot. */
  view(): SpaceView | undefined {
    return this.#live?.view();
  }

  /** Adds or replaces an object in the live generation (an export or a delta import). */
  put(object: CachedObject): void {
    this.#requireLive().put(object);
    this.#building?.writes.push({ kind: 'put', object });
  }

  /** Removes an object from the live generation (an export or a delta import). */
  remove(id: string): void {
    this.#requireLive().remove(id);
    this.#building?.writes.push({ kind: 'remove', id });
  }

  /** The indexes of the live generation that lookups have built (a snapshot carries their values). */
  builtIndexes(): string[] {
    return this.#live?.builtIndexes() ?? [];
  }

  /** Every object of the live generation. */
  all(): CachedObject[] {
    return [...(this.#live?.values() ?? [])];
  }

  /**
   * The live objects whose indexed `attribute` has `value` (per its case rule), in the order
   * {@link query} would consider them, packed ones left undecoded; undefined when `attribute` has
   * no index.
   */
  lookupRecords(attribute: string, value: AttributeValue | string | number | boolean): (CachedObject | PackedRef)[] | undefined {
    const live = this.#requireLive();
    return live.isIndexed(attribute) ? live.lookupRecords(attribute, value) : undefined;
  }

  /** Answers a query from the live generation, through an index when `lookup` names one. */
  query(query: CacheQuery): QueryResult {
    const live = this.#requireLive();
    const lookup = query.lookup;
    let candidates: Iterable<CachedObject>;
    let index: string | null = null;
    if (lookup !== undefined && 'id' in lookup) {
      const object = live.get(lookup.id);
      candidates = object === undefined ? [] : [object];
      index = 'id';
    } else if (lookup !== undefined && live.isIndexed(lookup.attribute)) {
      candidates = live.lookupObjects(lookup.attribute, lookup.value);
      index = lookup.attribute;
    } else {
      candidates = live.values();
    }
    const objects: CachedObject[] = [];
    let scanned = 0;
    for (const object of candidates) {
      scanned++;
      if (query.predicate(object)) objects.push(object);
    }
    return { objects, plan: { index, scanned } };
  }

  #requireLive(): Generation {
    if (this.#live === undefined) throw new Error('the cache has no complete generation yet');
    return this.#live;
  }
}
