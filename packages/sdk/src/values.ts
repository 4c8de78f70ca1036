/**
 * Data types of connector attributes (ECMA2 `AttributeType`, plus `datetime`).
 *
 * | type        | JavaScript value                                  |
 * | ----------- | ------------------------------------------------- |
 * | `string`    | `string`                                          |
 * | `integer`   | `number` (a safe integer; ECMA2's Int64 beyond 2^53 is out of scope) |
 * | `boolean`   | `boolean`                                         |
 * | `binary`    | `Uint8Array` (a Node `Buffer` is one)              |
 * | `reference` | `string`: the DN or anchor of the referenced object |
 * | `datetime`  | `string`: ISO 8601 in UTC, e.g. `2026-01-31T12:00:00.000Z` |
 */
export type AttributeType = 'string' | 'integer' | 'boolean' | 'binary' | 'reference' | 'datetime';

/** One attribute value; see {@link AttributeType} for which type carries which JavaScript value. */
export type AttributeValue = string | number | boolean | Uint8Array;

/** The values of an object's attributes by name: one value, or an array for a multi-valued attribute. */
export type AttributeValues = Record<string, AttributeValue | readonly AttributeValue[]>;

/** Anchor values by anchor attribute name. An object's anchor never changes once it exists. */
export type AnchorValues = Record<string, AttributeValue>;

// ISO 8601 calendar date, optionally with a time and a zone (RFC 3339's profile, `T` separator).
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether `value` is a legal value of `type`; a datetime must be an ISO 8601 string of a real instant. */
export function isValueOfType(value: unknown, type: AttributeType): value is AttributeValue {
  switch (type) {
    case 'string':
    case 'reference':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'binary':
      return value instanceof Uint8Array;
    case 'datetime':
      return typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/** Compares two attribute values for equality, bytewise for binary values. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  return a === b;
}

/** Normalises one-or-many values to an array. */
export function toValueArray(value: AttributeValue | readonly AttributeValue[] | undefined): AttributeValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly AttributeValue[])] : [value as AttributeValue];
}
