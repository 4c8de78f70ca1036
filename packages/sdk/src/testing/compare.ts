import type { AttributeDefinition } from '../schema.js';
import type { AnchorValues, AttributeValue, AttributeValues } from '../values.js';
import { toValueArray } from '../values.js';
import { DN_ATTRIBUTE } from '../schema.js';

/** A DN compared the way directories do: case-insensitive, blanks around separators ignored. */
function normalizeDn(dn: string): string {
  return dn.replace(/\s*([,=+])\s*/g, '$1').trim().toLowerCase();
}

function bytes(value: AttributeValue): Uint8Array | undefined {
  return value instanceof Uint8Array ? value : undefined;
}

/**
 * Whether two values of one attribute are the same, by the attribute's type: binary bytewise,
 * datetimes as instants (a target may drop or pad milliseconds), references as DNs, integers as
 * numbers (a driver may hand back a numeric string).
 */
export function sameValue(definition: Pick<AttributeDefinition, 'type' | 'caseExact'>, a: AttributeValue, b: AttributeValue): boolean {
  switch (definition.type) {
    case 'binary': {
      const x = bytes(a);
      const y = bytes(b);
      return x !== undefined && y !== undefined && x.length === y.length && x.every((byte, i) => byte === y[i]);
    }
    case 'datetime': {
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      const x = Date.parse(a);
      return !Number.isNaN(x) && x === Date.parse(b);
    }
    case 'integer':
      return (typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string') && Number(a) === Number(b);
    case 'reference':
      return typeof a === 'string' && typeof b === 'string' && (definition.caseExact ? a === b : normalizeDn(a) === normalizeDn(b));
    case 'boolean':
    case 'string':
      return a === b;
  }
}

/** Whether two value lists hold the same values, in any order (multi-valued attributes are sets). */
export function sameValues(
  definition: Pick<AttributeDefinition, 'type' | 'caseExact'>,
  expected: readonly AttributeValue[],
  actual: readonly AttributeValue[],
): boolean {
  if (expected.length !== actual.length) return false;
  const used = new Set<number>();
  return expected.every((e) => {
    const i = actual.findIndex((a, j) => !used.has(j) && sameValue(definition, e, a));
    if (i < 0) return false;
    used.add(i);
    return true;
  });
}

/** A value as it reads in a failure message. */
export function showValue(value: AttributeValue): string {
  if (value instanceof Uint8Array) return `<${Buffer.from(value).toString('hex')}>`;
  return JSON.stringify(value);
}

/** Values as they read in a failure message. */
export function showValues(values: readonly AttributeValue[]): string {
  return `[${values.map(showValue).join(', ')}]`;
}

/**
 * The differences between the values an object was given and those read back, one message per
 * attribute. Attributes of `expected` only; the target may add its own (defaults, generated ids).
 * Export-only attributes (passwords) are never read back and are left out.
 */
export function objectDifferences(
  attributes: readonly AttributeDefinition[],
  expected: AttributeValues,
  actual: Readonly<Record<string, readonly AttributeValue[]>>,
): string[] {
  const differences: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    const definition = attributes.find((a) => a.name === name);
    if (!definition) {
      differences.push(`${name} is not an attribute of the object type in the discovered schema`);
      continue;
    }
    if (definition.operation === 'exportOnly') continue;
    const want = toValueArray(value);
    const got = actual[name] ?? [];
    if (!sameValues(definition, want, got)) {
      differences.push(`${name} (${definition.type}${definition.multiValued ? ', multi-valued' : ''}): expected ${showValues(want)}, read back ${showValues(got)}`);
    }
  }
  return differences;
}

/** Whether an imported anchor is the one the kit knows, compared per anchor attribute. */
export function sameAnchor(known: AnchorValues, imported: AnchorValues | undefined): boolean {
  if (imported === undefined) return false;
  const names = Object.keys(known);
  if (names.length === 0) return false;
  return names.every((name) => {
    const a = known[name];
    const b = imported[name];
    if (a === undefined || b === undefined) return false;
    if (a instanceof Uint8Array || b instanceof Uint8Array) return sameValue({ type: 'binary' }, a, b);
    if (name === DN_ATTRIBUTE && typeof a === 'string' && typeof b === 'string') return normalizeDn(a) === normalizeDn(b);
    return String(a) === String(b);
  });
}
