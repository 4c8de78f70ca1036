import type { AttributeValue } from '@ecmahost/sdk';

/** How an indexed attribute compares: case-sensitively or not (RFC 7643 `caseExact`). */
export interface IndexedAttribute {
  name: string;
  caseExact: boolean;
}

/**
 * The index key of a value: its text, lower-cased unless the attribute is case-exact. A filter
 * comparand of another JSON type (`"42"` for an integer, `"True"` for a boolean) gets the same key
 * as the stored value, so Entra's string-typed values find their objects.
 */
export function indexKey(value: AttributeValue | string | number | boolean, caseExact: boolean): string {
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
  return caseExact && typeof value === 'string' ? text : text.toLowerCase();
}
