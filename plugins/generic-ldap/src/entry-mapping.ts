import type { AttributeDefinition, AttributeValue, ImportEntry, ObjectTypeDefinition } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, attributeChangesOf } from '@ecmahost/sdk';
import type { LdapEntry } from './client.js';
import type { DirectorySchema } from './schema-builder.js';
import { fromLdap } from './value-codec.js';

function valuesNamed(entry: LdapEntry, name: string): (string | Buffer)[] {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? [] : (entry.attributes[key] ?? []);
}

/**
 * The object type an entry belongs to among `types`: its `structuralObjectClass` when that is one
 * of them, else the most specific of its object classes that is (an inetOrgPerson is a person too).
 */
export function classify(entry: LdapEntry, types: readonly ObjectTypeDefinition[], schema: DirectorySchema): ObjectTypeDefinition | undefined {
  const byName = new Map(types.map((t) => [t.name.toLowerCase(), t]));
  const structural = valuesNamed(entry, 'structuralObjectClass')[0]?.toString();
  const candidates = structural !== undefined ? [structural] : valuesNamed(entry, 'objectClass').map((v) => v.toString());
  let best: { type: ObjectTypeDefinition; depth: number } | undefined;
  for (const name of candidates) {
    for (const ancestor of schema.lineage(name)) {
      const type = ancestor.names.map((n) => byName.get(n.toLowerCase())).find((t) => t !== undefined);
      if (type === undefined) continue;
      const depth = schema.lineage(ancestor.oid).length;
      if (best === undefined || depth > best.depth) best = { type, depth };
      break;
    }
  }
  return best?.type;
}

/** Attributes to request for object types: their attributes plus what classification and anchoring need. */
export function requestedAttributes(types: readonly ObjectTypeDefinition[], anchor: string, extra: readonly string[] = []): { attributes: string[]; binary: string[] } {
  const names = new Map<string, string>();
  const binary = new Map<string, string>();
  for (const type of types) {
    for (const attr of type.attributes) {
      if (attr.name === DN_ATTRIBUTE || attr.operation === 'exportOnly') continue;
      names.set(attr.name.toLowerCase(), attr.name);
      if (attr.type === 'binary') binary.set(attr.name.toLowerCase(), attr.name);
    }
  }
  for (const name of ['objectClass', 'structuralObjectClass', ...extra, ...(anchor === DN_ATTRIBUTE ? [] : [anchor])]) names.set(name.toLowerCase(), name);
  return { attributes: [...names.values()], binary: [...binary.values()] };
}

/** The anchor of an entry: its DN, or the value of the anchor attribute (undefined when absent). */
export function anchorOf(entry: LdapEntry, anchor: string): AttributeValue | undefined {
  if (anchor === DN_ATTRIBUTE) return entry.dn;
  const [value] = valuesNamed(entry, anchor);
  if (value === undefined) return undefined;
  // A binary anchor (AD LDS objectGUID) stays bytes: lookups escape each byte in the filter.
  return typeof value === 'string' ? value : new Uint8Array(value);
}

const byNameCache = new WeakMap<ObjectTypeDefinition, Map<string, AttributeDefinition>>();

/** A type's attributes by lower-cased name, built once per type (an import maps every entry through it). */
function attributesByName(type: ObjectTypeDefinition): Map<string, AttributeDefinition> {
  let map = byNameCache.get(type);
  if (map === undefined) {
    map = new Map(type.attributes.map((a) => [a.name.toLowerCase(), a]));
    byNameCache.set(type, map);
  }
  return map;
}

/**
 * An imported entry (`add` or `replace` with the whole object) from a directory entry: values
 * converted to the attribute types, keyed by the schema's attribute names whatever spelling the
 * server used. A value that does not convert gives the entry an error instead of failing the run.
 */
export function toImportEntry(entry: LdapEntry, type: ObjectTypeDefinition, schema: DirectorySchema, anchor: string, modification: 'add' | 'replace'): ImportEntry {
  const anchorValue = anchorOf(entry, anchor);
  const base: ImportEntry = { objectType: type.name, modification, dn: entry.dn, anchor: anchorValue === undefined ? {} : { [anchor]: anchorValue }, attributeChanges: [] };
  if (anchorValue === undefined) {
    return { ...base, error: { code: 'missing-anchor', message: `${entry.dn} has no ${anchor}; the anchor attribute must be readable by the bind identity` } };
  }
  const wanted = attributesByName(type);
  const values: Record<string, AttributeValue[]> = {};
  try {
    for (const [serverName, raw] of Object.entries(entry.attributes)) {
      const definition = wanted.get(serverName.toLowerCase()) ?? wanted.get(schema.attribute(serverName)?.name.toLowerCase() ?? '');
      if (definition === undefined || definition.operation === 'exportOnly') continue;
      values[definition.name] = fromLdap(definition, raw);
    }
  } catch (error) {
    return { ...base, error: { code: 'invalid-attribute-value', message: `${entry.dn}: ${(error as Error).message}` } };
  }
  if (wanted.has(DN_ATTRIBUTE.toLowerCase())) values[DN_ATTRIBUTE] = [entry.dn];
  return { ...base, attributeChanges: attributeChangesOf(values) };
}
