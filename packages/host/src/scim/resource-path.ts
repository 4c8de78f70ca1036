import type { AttrPath } from './filter-ast.js';

/** Core schema URNs: a path qualified with one of them addresses top-level attributes. */
export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A SCIM resource as JSON. */
export type ScimResource = Record<string, unknown>;

/** The key of `object` equal to `name` ignoring case (RFC 7643 §2.1: attribute names are case-insensitive). */
export function findKey(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

/** The value of attribute `name` of `object`, ignoring case. */
export function getAttribute(object: Record<string, unknown>, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** Whether `schema` names a core schema (whose attributes live at the top of the resource). */
export function isCoreSchema(schema: string): boolean {
  const lower = schema.toLowerCase();
  return lower === CORE_USER_SCHEMA.toLowerCase() || lower === CORE_GROUP_SCHEMA.toLowerCase();
}

/**
 * The object holding the attributes of a path's schema: the resource for core attributes, the
 * extension object for extension attributes (undefined when absent).
 */
export function containerOf(resource: ScimResource, path: Pick<AttrPath, 'schema'>): Record<string, unknown> | undefined {
  if (path.schema === undefined || isCoreSchema(path.schema)) return resource;
  const value = getAttribute(resource, path.schema);
  return isPlainObject(value) ? value : undefined;
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
