import type { AttributeDefinition, AttributeValue } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import { ScimError } from '../scim/errors.js';
import { valuesAt } from '../scim/filter-evaluate.js';
import type { PatchOperation } from '../scim/patch.js';
import { getAttribute, isCoreSchema, isPlainObject } from '../scim/resource-path.js';
import type { ScimResource } from '../scim/resource-path.js';
import { EXPORT_PASSWORD } from './served-schema.js';
import type { ResolvedPath, ServedAttribute, ServedSchema } from './served-schema.js';

/** What a SCIM resource says, in connector terms. */
export interface ResourceValues {
  /** Values by connector attribute name (only attributes the resource mentions). */
  attributes: Record<string, AttributeValue[]>;
  /** The DN, when the DN attribute is given. */
  dn?: string;
  /** `active`, when given. */
  active?: boolean;
  /** An initial password (`export_password` or core `password`), when given. */
  password?: string;
}

/**
 * Top-level attributes every resource may carry without a mapping: protocol attributes the host
 * answers itself (`schemas`, `id`, `meta`, which Entra sends on create), `active` (the disable
 * flow) and `password` (the password call).
 */
const ALWAYS_ACCEPTED = new Set(['schemas', 'id', 'meta', 'active', 'password']);

/**
 * Turns the SCIM id a reference attribute was given into the target's form (see `references.ts`);
 * throws the 400 naming an id no served object has.
 */
export type ReferenceWriter = (attribute: string, id: string) => AttributeValue;

/** How a read treats read-only (import-only) attributes and `active`. */
interface ReadRules {
  /** Refuse a read-only attribute with a value (a POST), or skip it (a resource that may echo a rendering back). */
  readOnly: 'refuse' | 'skip';
  /** `active` decides the disable-flow attribute even when the attribute is also given (a PATCH of `active`). */
  activeWins: boolean;
  /** Resolves reference values; absent, they are taken as they are. */
  references?: ReferenceWriter | undefined;
}

/** Reads a POST body: a read-only attribute given a value is a 400. */
export function readPosted(schema: ServedSchema, resource: ScimResource, references?: ReferenceWriter): ResourceValues {
  return readResource(schema, resource, { readOnly: 'refuse', activeWins: false, references });
}

/** Reads a PUT body: read-only attributes are skipped, since a client may send back what it read. */
export function readReplacement(schema: ServedSchema, resource: ScimResource, references?: ReferenceWriter): ResourceValues {
  return readResource(schema, resource, { readOnly: 'skip', activeWins: false, references });
}

/**
 * Reads a resource a PATCH produced (the rendering for patch with `operations` applied): read-only
 * values come from the rendering and are skipped; a PATCH of core `active` decides the disable
 * flow's attribute.
 */
export function readPatched(schema: ServedSchema, resource: ScimResource, operations: readonly PatchOperation[], references?: ReferenceWriter): ResourceValues {
  const activeWins = operations.some((o) => o.path.attr.toLowerCase() === 'active' && (o.path.schema === undefined || isCoreSchema(o.path.schema)));
  return readResource(schema, resource, { readOnly: 'skip', activeWins, references });
}

/**
 * The values a PATCH of plain `replace` operations gives, read from the cached object instead of
 * through a rendering: what {@link readPatched} would read from the object rendered for the PATCH
 * with `operations` applied, or `undefined` when the operations are not all of the one shape this
 * shortcut covers. That shape is Entra's usual user PATCH (azure-scim-client §1.3): `replace` of a
 * path without a value filter, with a string, number or boolean value, naming a served attribute
 * (single- or multi-valued: either way it is left that one value) that is not a reference, not the
 * DN or the attribute it is read from, not the disable flow's, and that one path maps at most, each
 * attribute once per PATCH. Anything else goes the general way. A value the coercion refuses is the
 * 400 the general way gives for it, thrown here (the general way, which coerces every value again,
 * could name another one first).
 * `operations` have passed {@link checkPatchPaths} (no read-only attribute is written), and
 * `resolved` is what it returned for them.
 *
 * For such a PATCH the general way renders the whole object, places every value, reads every value
 * back and coerces it again, about a third of the host's own work per PATCH (docs/performance.md,
 * decision 025); the two are compared over generated objects and operations in
 * `patch-shortcut.test.ts`. One difference is deliberate: a cached value of another attribute that
 * its type's coercion would rewrite or refuse (an imported `2026-01-01 00:00` datetime, a value
 * longer than `maxValueLength`) is left as it is, where the general way would export the rewritten
 * value with any PATCH of the object, or refuse every PATCH of it.
 */
export function readPlainReplaces(
  schema: ServedSchema,
  attributes: Readonly<Record<string, AttributeValue[]>>,
  operations: readonly PatchOperation[],
  resolved: readonly ResolvedPath[],
): ResourceValues | undefined {
  const shortcut = shortcutOf(schema);
  if (shortcut.size === 0 || rewritesDisableFlow(schema, attributes)) return undefined;
  const names: string[] = [];
  for (const [i, { op, path, value }] of operations.entries()) {
    if (op !== 'replace' || path.filter !== undefined || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) return undefined;
    const name = resolved[i];
    if (typeof name !== 'string' || !shortcut.has(name) || names.includes(name)) return undefined;
    names.push(name);
  }
  // Only once every operation is known to be covered: a later one could make the general way
  // overwrite or never read a value this coercion would refuse.
  const out: Record<string, AttributeValue[]> = { ...attributes };
  for (const [i, name] of names.entries()) out[name] = [coerceValue(name, schema.attributes.get(name)!.definition.type, operations[i]!.value, schema.maxValueLength)];
  return { attributes: out };
}

/**
 * Whether the general way would write the disable flow's attribute from `active` on this object:
 * it does when the attribute is not read back from the rendering (no cached value, or not kept),
 * so every PATCH of such a user exports it. The shortcut leaves those objects to it.
 */
function rewritesDisableFlow(schema: ServedSchema, attributes: Readonly<Record<string, AttributeValue[]>>): boolean {
  const flow = schema.disable;
  if (flow.action !== 'attribute' || schema.resource.name === 'Group') return false;
  const served = schema.attributes.get(flow.attribute);
  return served !== undefined && served.operation !== 'importOnly' && (!served.kept || (attributes[flow.attribute]?.length ?? 0) === 0);
}

const shortcuts = new WeakMap<ServedSchema, ReadonlySet<string>>();

/** The attributes {@link readPlainReplaces} may write, worked out once per served schema. */
function shortcutOf(schema: ServedSchema): ReadonlySet<string> {
  let names = shortcuts.get(schema);
  if (names !== undefined) return names;
  const mappings = new Map<string, number>();
  for (const { attribute } of schema.mapping) mappings.set(attribute, (mappings.get(attribute) ?? 0) + 1);
  const flow = schema.disable;
  names = new Set(
    [...schema.attributes.values()]
      .filter(
        (a) =>
          a.definition.type !== 'reference' &&
          a.name !== DN_ATTRIBUTE &&
          a.name !== schema.dnAttribute &&
          !(flow.action === 'attribute' && a.name === flow.attribute) &&
          (mappings.get(a.name) ?? 0) <= 1,
      )
      .map((a) => a.name),
  );
  shortcuts.set(schema, names);
  return names;
}

/**
 * Refuses, before anything is read or locked, a PATCH operation that writes a read-only attribute
 * (`400 mutability`: the patched resource would otherwise skip it silently) or names an unknown
 * ECMA2Host attribute (`400 invalidPath`). Returns what each operation's path designates, so the
 * PATCH does not resolve the paths again.
 */
export function checkPatchPaths(schema: ServedSchema, operations: readonly PatchOperation[]): ResolvedPath[] {
  const resolved: ResolvedPath[] = [];
  for (const { path } of operations) {
    const attribute = schema.resolvePath(path);
    resolved.push(attribute);
    const served = typeof attribute === 'string' ? schema.attributes.get(attribute) : undefined;
    if (served?.operation === 'importOnly') throw readOnly(served.name);
    if (path.schema?.toLowerCase() === schema.resource.extensionSchema.toLowerCase() && attribute === undefined && path.attr.toLowerCase() !== EXPORT_PASSWORD) {
      throw new ScimError(400, 'invalidPath', `Unknown attribute ${path.attr.slice(0, 64)} in ${schema.resource.extensionSchema}.`);
    }
  }
  return resolved;
}

/**
 * Reads a SCIM resource into connector values. The ECMA2Host extension wins over the core mapping
 * when both give an attribute. An attribute that is neither mapped nor in the ECMA2Host extension
 * (and not one of {@link ALWAYS_ACCEPTED}), an unknown name inside the extension, a refused
 * read-only attribute or an ill-typed value is a 400 and nothing is written: a value dropped
 * silently would be a user created without it, found by no later lookup.
 */
function readResource(schema: ServedSchema, resource: ScimResource, rules: ReadRules): ResourceValues {
  const extensionUrn = schema.resource.extensionSchema;
  const extensionPrefix = `${extensionUrn.toLowerCase()}:`;
  refuseUnmapped(schema, resource);
  const out: ResourceValues = { attributes: {} };
  const given = new Map<string, unknown>();
  for (const { path, attribute } of schema.mapping) {
    const values = valuesAt(resource, path);
    if (values.length > 0) given.set(attribute, schema.attributes.get(attribute)!.multiValued ? values : values[0]);
  }
  const extension = getAttribute(resource, extensionUrn);
  const entries: [string, unknown][] = isPlainObject(extension) ? Object.entries(extension) : [];
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase().startsWith(extensionPrefix)) entries.push([key.slice(extensionPrefix.length), value]);
  }
  const unknown: string[] = [];
  for (const [key, value] of entries) {
    if (key.toLowerCase() === EXPORT_PASSWORD) {
      if (value !== null && value !== undefined) out.password = readPassword(schema, value);
      continue;
    }
    const name = schema.attributeNamed(key);
    if (name === undefined) unknown.push(key);
    else given.set(name, value);
  }
  if (unknown.length > 0) {
    throw new ScimError(
      400,
      'invalidValue',
      `Unknown attribute ${unknown.map((u) => JSON.stringify(u.slice(0, 64))).join(', ')} in ${extensionUrn}; this connector serves ${[...schema.attributes.keys()].join(', ')}.`,
    );
  }
  const password = getAttribute(resource, 'password');
  if (password !== undefined && password !== null && out.password === undefined) out.password = readPassword(schema, password);
  const active = getAttribute(resource, 'active');
  if (active !== undefined && active !== null) out.active = toBoolean(active, 'active');

  for (const [name, raw] of given) {
    if (raw === null || raw === undefined) continue;
    const served = schema.attributes.get(name)!;
    if (served.operation === 'importOnly') {
      if (rules.readOnly === 'skip') continue;
      throw readOnly(name);
    }
    let values = coerce(schema, served, raw);
    const references = rules.references;
    if (references !== undefined && schema.references.has(name)) values = values.map((v) => references(name, String(v)));
    if (name === DN_ATTRIBUTE || name === schema.dnAttribute) {
      const dn = values[0];
      if (typeof dn === 'string') out.dn = dn;
      if (name === DN_ATTRIBUTE) continue;
    }
    if (values.length > 0) out.attributes[name] = values;
  }
  const flow = schema.disable;
  if (flow.action === 'attribute' && out.active !== undefined && (rules.activeWins || !(flow.attribute in out.attributes))) {
    const served = schema.attributes.get(flow.attribute);
    const flag = flow.activeValue === false ? !out.active : out.active;
    out.attributes[flow.attribute] = [served?.definition.type === 'string' ? (flag ? 'True' : 'False') : flag];
  }
  return out;
}

/**
 * Refuses the attributes of `resource` that carry a value but that no mapping reads: core ones
 * (`userName` when it is not mapped), those of other extension objects (enterprise), and flat
 * URN-qualified keys outside the ECMA2Host extension (nothing reads them).
 */
function refuseUnmapped(schema: ServedSchema, resource: ScimResource): void {
  const extension = schema.resource.extensionSchema.toLowerCase();
  const extensionPrefix = `${extension}:`;
  const corePrefix = `${schema.resource.coreSchema.toLowerCase()}:`;
  let unmapped: string[] | undefined;
  const refuse = (name: string): void => {
    (unmapped ??= []).push(JSON.stringify(name.slice(0, 120)));
  };
  for (const key in resource) {
    const value = resource[key];
    if (isEmpty(value)) continue;
    const lower = key.toLowerCase();
    if (ALWAYS_ACCEPTED.has(lower) || lower === extension || lower.startsWith(extensionPrefix)) continue;
    if (!lower.startsWith('urn:')) {
      if (!schema.maps(lower)) refuse(key);
    } else if (isPlainObject(value) && !lower.startsWith(corePrefix)) {
      for (const sub in value) if (!isEmpty(value[sub]) && !schema.maps(`${lower}:${sub}`)) refuse(`${key}:${sub}`);
    } else {
      refuse(key);
    }
  }
  if (unmapped !== undefined) {
    throw new ScimError(
      400,
      'invalidValue',
      `${unmapped.length === 1 ? 'Attribute' : 'Attributes'} ${unmapped.join(', ')} ${unmapped.length === 1 ? 'is' : 'are'} not mapped to any attribute of this connector; ` +
        `map ${unmapped.length === 1 ? 'it' : 'them'} in the connector's SCIM mapping, send the value as an attribute of ${schema.resource.extensionSchema}, or remove ${unmapped.length === 1 ? 'it' : 'them'} from the provisioning mapping.`,
    );
  }
}

function readOnly(name: string): ScimError {
  return new ScimError(400, 'mutability', `${name} is read-only: the connector imports it but cannot write it.`);
}

/** A value that gives nothing: Entra sends `"title": null` and `"roles": []` for unset attributes. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) {
    for (const key in value) if (!isEmpty(value[key])) return false;
    return true;
  }
  return false;
}

function readPassword(schema: ServedSchema, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new ScimError(400, 'invalidValue', 'The password must be a non-empty string.');
  if (value.length > schema.maxValueLength) throw new ScimError(400, 'invalidValue', `The password is longer than ${schema.maxValueLength} characters.`);
  return value;
}

function coerce(schema: ServedSchema, served: ServedAttribute, raw: unknown): AttributeValue[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (!served.multiValued && list.length > 1) throw new ScimError(400, 'invalidValue', `${served.name} is single-valued but ${list.length} values were given.`);
  return list
    .filter((v) => v !== null && v !== undefined)
    .map((v) => {
      const value = isPlainObject(v) && 'value' in v ? v.value : v;
      return coerceValue(served.name, served.definition.type, value, schema.maxValueLength);
    });
}

function toBoolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new ScimError(400, 'invalidValue', `${name} must be a boolean, got ${JSON.stringify(String(value).slice(0, 40))}.`);
}

/** Converts a JSON value to the connector type, accepting Entra's string forms of booleans and numbers. */
function coerceValue(name: string, type: AttributeDefinition['type'], value: unknown, maxLength: number): AttributeValue {
  const bad = (): never => {
    throw new ScimError(400, 'invalidValue', `${name} must be of type ${type}, got ${JSON.stringify(String(JSON.stringify(value)).slice(0, 40))}.`);
  };
  switch (type) {
    case 'string':
    case 'reference': {
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : bad();
      if (text.length > maxLength) {
        throw new ScimError(400, 'invalidValue', `The value of ${name} is ${text.length} characters long; the host accepts at most ${maxLength}.`);
      }
      return text;
    }
    case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : bad();
      return Number.isSafeInteger(number) ? number : bad();
    }
    case 'boolean':
      return toBoolean(value, name);
    case 'datetime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return bad();
      return new Date(value).toISOString();
    }
    case 'binary': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/=_-]*$/.test(value)) return bad();
      if (value.length > maxLength * 2) throw new ScimError(400, 'invalidValue', `The value of ${name} is too large.`);
      return Buffer.from(value, 'base64');
    }
  }
}
