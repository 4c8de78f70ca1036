import type { AttributeValue } from '@ecmahost/sdk';
import { indexKey } from '../cache/index-key.js';

/** Position of each value of a cached multi-valued attribute, by its comparison key. */
type Positions = Map<string, number>;

/**
 * The cached values of one large multi-valued attribute (a group's members) changed in place:
 * adds append, removes swap the last value into the gap, and a `Map` from value to position,
 * kept beside the array, answers "is it a member" and "where" in constant time. A PATCH of 100
 * members then costs 100 steps whatever the group's size (docs/decisions/019-groups-and-references.md).
 *
 * The positions are kept in a `WeakMap` keyed by the cached array: an import that replaces the
 * array drops them, and they are rebuilt (once) on the next PATCH.
 */
const positionsOf = new WeakMap<AttributeValue[], Positions>();

export class MemberSet {
  readonly values: AttributeValue[];
  readonly #positions: Positions;
  readonly #caseExact: boolean;

  /** Over `values` (changed in place); `caseExact` as the attribute compares. */
  constructor(values: AttributeValue[], caseExact: boolean) {
    this.values = values;
    this.#caseExact = caseExact;
    let positions = positionsOf.get(values);
    if (positions === undefined) {
      positions = new Map();
      for (let i = 0; i < values.length; i++) positions.set(indexKey(values[i]!, caseExact), i);
      positionsOf.set(values, positions);
    }
    this.#positions = positions;
  }

  has(value: AttributeValue): boolean {
    return this.#positions.has(indexKey(value, this.#caseExact));
  }

  /** Adds `value` unless present; whether it was added. */
  add(value: AttributeValue): boolean {
    const key = indexKey(value, this.#caseExact);
    if (this.#positions.has(key)) return false;
    this.#positions.set(key, this.values.length);
    this.values.push(value);
    return true;
  }

  /** Removes `value` if present; whether it was removed. */
  delete(value: AttributeValue): boolean {
    const key = indexKey(value, this.#caseExact);
    const position = this.#positions.get(key);
    if (position === undefined) return false;
    const last = this.values.pop()!;
    this.#positions.delete(key);
    if (position < this.values.length) {
      this.values[position] = last;
      this.#positions.set(indexKey(last, this.#caseExact), position);
    }
    return true;
  }
}
