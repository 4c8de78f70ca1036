import type { AttributeChange, AttributeDefinition, AttributeValue, ImportEntry, ObjectTypeDefinition, ValueChange } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import { textFormOf } from './binary-text.js';
import type { LdapEntry } from './client.js';
import type { DirectorySchema } from './schema-builder.js';
import { fromLdap } from './value-codec.js';
import { isPlaceholderMember, requiredMemberAttribute } from './groups.js';

function valuesNamed(entry: LdapEntry, name: string): (string | Buffer)[] {
  // Servers answer with the spelling that was asked for: the exact name first, any spelling after.
  if (Object.hasOwn(entry.attributes, name)) return entry.attributes[name] ?? [];
  const lower = name.toLowerCase();
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === lower);
  return key === undefined ? [] : (entry.attributes[key] ?? []);
}

/**
 * The object type named by `candidates` (an entry's structural class, else its object classes)
 * among `types`: the most specific class that is one of them (an inetOrgPerson is a person too).
 */
function typeOfClasses(candidates: readonly string[], byName: ReadonlyMap<string, ObjectTypeDefinition>, schema: DirectorySchema): ObjectTypeDefinition | undefined {
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

/**
 * Attributes to request for object types: their attributes plus what anchoring needs, and with
 * several types what classification needs. One type needs no classification: every entry an
 * import reads matched the type's objectClass filter, so it is one.
 */
export function requestedAttributes(types: readonly ObjectTypeDefinition[], anchor: string, extra: readonly string[] = []): { attributes: string[]; binary: string[] } {
  const names = new Map<string, string>();
  const binary = new Map<string, string>();
  for (const type of types) {
    for (const attr of type.attributes) {
      if (attr.name === DN_ATTRIBUTE || attr.operation === 'exportOnly') continue;
      names.set(attr.name.toLowerCase(), attr.name);
      if (attr.type === 'binary' || textFormOf(attr.name) !== undefined) binary.set(attr.name.toLowerCase(), attr.name);
    }
  }
  const classification = types.length > 1 ? ['objectClass', 'structuralObjectClass'] : [];
  for (const name of [...classification, ...extra, ...(anchor === DN_ATTRIBUTE ? [] : [anchor])]) names.set(name.toLowerCase(), name);
  if (textFormOf(anchor) !== undefined) binary.set(anchor.toLowerCase(), anchor);
  // An empty list would ask for every attribute; "1.1" asks for none (RFC 4511 §4.5.1.8).
  return { attributes: names.size === 0 ? ['1.1'] : [...names.values()], binary: [...binary.values()] };
}

/**
 * The anchor of an entry: its DN, or the value of the anchor attribute (undefined when absent); an
 * objectGUID or objectSid as its text form (`35918bc9-196d-40ea-9779-889d79b753f0`, `S-1-5-21-…`).
 */
export function anchorOf(entry: LdapEntry, anchor: string): AttributeValue | undefined {
  if (anchor === DN_ATTRIBUTE) return entry.dn;
  const [value] = valuesNamed(entry, anchor);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  const form = textFormOf(anchor);
  try {
    if (form !== undefined) return form.toText(value);
  } catch {
    // Bytes that are not of the form (no AD server sends them) stay bytes: lookups send them as they are.
  }
  return new Uint8Array(value);
}

/** Maps the entries of one import run to import entries. */
export interface EntryMapper {
  /**
   * The object type an entry belongs to: its `structuralObjectClass` when that is one of the
   * types, else the most specific of its object classes that is; `undefined` for none.
   */
  classify(entry: LdapEntry): ObjectTypeDefinition | undefined;
  /**
   * An imported entry (`add` or `replace` with the whole object): values converted to the
   * attribute types, keyed by the schema's attribute names whatever spelling the server used. A
   * value that does not convert gives the entry an error instead of failing the run. Takes
   * ownership of the entry's value arrays.
   */
  toImportEntry(entry: LdapEntry, type: ObjectTypeDefinition, modification: 'add' | 'replace'): ImportEntry;
}

/**
 * A mapper for entries of `types`. An import meets the same few class combinations and attribute
 * spellings on every entry, so it works each one out once and remembers it for the run: both
 * memories are bounded by what the schema and the directory's class combinations allow.
 */
export function createEntryMapper(types: readonly ObjectTypeDefinition[], schema: DirectorySchema, anchor: string, emptyGroupMember?: string): EntryMapper {
  const byName = new Map(types.map((t) => [t.name.toLowerCase(), t]));
  const typeByClasses = new Map<string, ObjectTypeDefinition | undefined>();
  // Per type: the definition each server spelling stands for (`null` when the type does not
  // import it), whether the type carries the DN as an attribute, and the member attribute its
  // class requires (whose empty-group placeholder is no member).
  const perType = new Map<ObjectTypeDefinition, { byServerName: Map<string, AttributeDefinition | null>; dn: boolean; members: string | undefined }>();
  const knowledgeOf = (type: ObjectTypeDefinition) => {
    let known = perType.get(type);
    if (known === undefined) {
      known = { byServerName: new Map(), dn: type.attributes.some((a) => a.name.toLowerCase() === DN_ATTRIBUTE), members: requiredMemberAttribute(schema, type.name)?.toLowerCase() };
      perType.set(type, known);
    }
    return known;
  };
  const definitionOf = (type: ObjectTypeDefinition, byServerName: Map<string, AttributeDefinition | null>, serverName: string): AttributeDefinition | null => {
    let definition = byServerName.get(serverName);
    if (definition === undefined) {
      const named = (name: string | undefined) => (name === undefined ? undefined : type.attributes.find((a) => a.name.toLowerCase() === name.toLowerCase()));
      const found = named(serverName) ?? named(schema.attribute(serverName)?.name);
      definition = found === undefined || found.operation === 'exportOnly' ? null : found;
      byServerName.set(serverName, definition);
    }
    return definition;
  };

  return {
    classify(entry) {
      const structural = valuesNamed(entry, 'structuralObjectClass')[0]?.toString();
      const candidates = structural !== undefined ? [structural] : valuesNamed(entry, 'objectClass').map((v) => v.toString());
      // NUL cannot occur in an object class name (RFC 4512 §1.4 descr).
      const key = candidates.join('\0');
      if (typeByClasses.has(key)) return typeByClasses.get(key);
      const type = typeOfClasses(candidates, byName, schema);
      typeByClasses.set(key, type);
      return type;
    },
    toImportEntry(entry, type, modification) {
      const anchorValue = anchorOf(entry, anchor);
      if (anchorValue === undefined) {
        const error = { code: 'missing-anchor', message: `${entry.dn} has no ${anchor}; the anchor attribute must be readable by the bind identity` };
        return { objectType: type.name, modification, dn: entry.dn, anchor: {}, attributeChanges: [], error };
      }
      const known = knowledgeOf(type);
      // One `add` per attribute that has values, as the SDK's attributeChangesOf gives, built in
      // one pass over the entry.
      const changes: AttributeChange[] = [];
      const add = (name: string, values: readonly AttributeValue[]) => {
        if (values.length === 0) return;
        const valueChanges: ValueChange[] = [];
        for (const value of values) valueChanges.push({ modification: 'add', value });
        // Two spellings of one attribute in an entry: the later values count, as in a record.
        const same = changes.findIndex((c) => c.name === name);
        if (same === -1) changes.push({ name, modification: 'add', valueChanges });
        else changes[same] = { name, modification: 'add', valueChanges };
      };
      try {
        for (const serverName in entry.attributes) {
          const raw = entry.attributes[serverName];
          const definition = definitionOf(type, known.byServerName, serverName);
          if (definition === null || raw === undefined) continue;
          const values = fromLdap(definition, raw);
          add(definition.name, definition.name.toLowerCase() === known.members ? values.filter((v) => typeof v !== 'string' || !isPlaceholderMember(emptyGroupMember, entry.dn, v)) : values);
        }
      } catch (error) {
        const failure = { code: 'invalid-attribute-value', message: `${entry.dn}: ${(error as Error).message}` };
        return { objectType: type.name, modification, dn: entry.dn, anchor: { [anchor]: anchorValue }, attributeChanges: [], error: failure };
      }
      if (known.dn) add(DN_ATTRIBUTE, [entry.dn]);
      return { objectType: type.name, modification, dn: entry.dn, anchor: { [anchor]: anchorValue }, attributeChanges: changes };
    },
  };
}
