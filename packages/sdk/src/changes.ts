import type { AnchorValues, AttributeValue, AttributeValues } from './values.js';
import { toValueArray, valuesEqual } from './values.js';

/** What happens to an object (ECMA2 `ObjectModificationType`). */
export type ObjectModification = 'add' | 'replace' | 'update' | 'delete';

/**
 * What happens to one attribute (ECMA2 `AttributeModificationType`):
 * - `add`: the attribute had no value and gets `valueChanges` (all `add`);
 * - `replace`: its values become exactly those in `valueChanges` (all `add`);
 * - `update`: values are added and deleted one by one (`add` and `delete` value changes);
 * - `delete`: the attribute loses every value (`valueChanges` empty).
 */
export type AttributeModification = 'add' | 'replace' | 'update' | 'delete';

/** One value added or deleted (ECMA2 `ValueChange`). */
export interface ValueChange {
  /** Whether the value is added or deleted. */
  modification: 'add' | 'delete';
  /** The value, typed as the attribute's {@link AttributeValue}. */
  value: AttributeValue;
}

/** A change to one attribute (ECMA2 `AttributeChange`). */
export interface AttributeChange {
  /** The attribute, as named in the schema. */
  name: string;
  /** What happens to the attribute as a whole. */
  modification: AttributeModification;
  /** The values added or deleted; empty for `delete`. */
  valueChanges: readonly ValueChange[];
}

/**
 * A change to one object, as exported to a connector or imported from it (ECMA2 `CSEntryChange`).
 *
 * For `add` and `replace` the attribute changes hold the whole object (each an `add` of its
 * values); for `update` only what changed; for `delete` none.
 */
export interface CSEntryChange {
  /** Unique within a batch; the result for this entry carries it back. */
  identifier: string;
  /** The object type, as named in the schema. */
  objectType: string;
  /** What happens to the object. */
  modification: ObjectModification;
  /** The object's DN, where the connector uses DNs. For a rename, the DN before the change. */
  dn?: string;
  /** The new DN of an `update` that renames or moves the object (needs `objectRename`). */
  newDn?: string;
  /** The anchor of an existing object. Absent on `add` when the target generates it. */
  anchor: AnchorValues;
  attributeChanges: readonly AttributeChange[];
}

/** Builders for the common shapes of {@link AttributeChange}. */
export const attributeChange = {
  /** The attribute gets `values` where it had none. */
  add(name: string, values: AttributeValue | readonly AttributeValue[]): AttributeChange {
    return { name, modification: 'add', valueChanges: toValueArray(values).map((value) => ({ modification: 'add', value })) };
  },
  /** The attribute's values become exactly `values`. */
  replace(name: string, values: AttributeValue | readonly AttributeValue[]): AttributeChange {
    return { name, modification: 'replace', valueChanges: toValueArray(values).map((value) => ({ modification: 'add', value })) };
  },
  /** Values added and deleted one by one, for multi-valued attributes. */
  update(name: string, changes: { add?: readonly AttributeValue[]; delete?: readonly AttributeValue[] }): AttributeChange {
    return {
      name,
      modification: 'update',
      valueChanges: [
        ...(changes.add ?? []).map((value) => ({ modification: 'add' as const, value })),
        ...(changes.delete ?? []).map((value) => ({ modification: 'delete' as const, value })),
      ],
    };
  },
  /** The attribute loses every value. */
  delete(name: string): AttributeChange {
    return { name, modification: 'delete', valueChanges: [] };
  },
};

/** The attribute changes of a whole object: one `add` per attribute that has values. */
export function attributeChangesOf(attributes: AttributeValues): AttributeChange[] {
  // One pass, no intermediate copies: connectors call this for every imported object.
  const changes: AttributeChange[] = [];
  for (const name of Object.keys(attributes)) {
    const v = attributes[name];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? (v as readonly AttributeValue[]) : [v as AttributeValue];
    if (values.length > 0) changes.push({ name, modification: 'add', valueChanges: values.map((value) => ({ modification: 'add', value })) });
  }
  return changes;
}

/**
 * Applies attribute changes to an object's current values and returns the new values: what a
 * connector holding whole objects (a file, a cache) does with an `update`. Values are compared with
 * `equals` (default {@link valuesEqual}: binary values bytewise) when deleting and de-duplicating.
 */
export function applyAttributeChanges(
  current: AttributeValues,
  changes: readonly AttributeChange[],
  equals: (a: AttributeValue, b: AttributeValue) => boolean = valuesEqual,
): Record<string, AttributeValue[]> {
  const next: Record<string, AttributeValue[]> = {};
  // Attribute names come from targets and may be anything, `__proto__` included: read own
  // properties only, and define `__proto__` (the one name an assignment would not make an own
  // property of a plain object) so that such an attribute is kept like any other. Every other
  // name is assigned: `defineProperty` per attribute cost a PATCH about 28k instructions.
  const get = (name: string): AttributeValue[] | undefined => (Object.hasOwn(next, name) ? next[name] : undefined);
  const set = (name: string, values: AttributeValue[]): void => {
    if (name === '__proto__') Object.defineProperty(next, name, { value: values, enumerable: true, writable: true, configurable: true });
    else next[name] = values;
  };
  for (const [k, v] of Object.entries(current)) set(k, toValueArray(v));
  for (const change of changes) {
    const adds = change.valueChanges.filter((c) => c.modification === 'add').map((c) => c.value);
    const deletes = change.valueChanges.filter((c) => c.modification === 'delete').map((c) => c.value);
    switch (change.modification) {
      case 'add':
      case 'replace':
        set(change.name, adds);
        break;
      case 'delete':
        delete next[change.name];
        break;
      case 'update': {
        const kept = (get(change.name) ?? []).filter((v) => !deletes.some((d) => equals(v, d)));
        for (const a of adds) if (!kept.some((v) => equals(v, a))) kept.push(a);
        set(change.name, kept);
        break;
      }
    }
    if (get(change.name)?.length === 0) delete next[change.name];
  }
  return next;
}
