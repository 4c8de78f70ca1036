import type { AttributeChange, AttributeDefinition, AttributeValue, ImportEntryOfChanges, ObjectTypeDefinition, ValueChange } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import { textFormOf } from './binary-text.js';
import type { LdapEntry } from './client.js';
import type { DirectorySchema } from './schema-builder.js';
import type { ValueReader } from './value-codec.js';
import { valueReader } from './value-codec.js';
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
 * Reads the anchor of an entry: its DN, or the value of the anchor attribute (undefined when
 * absent); an objectGUID or objectSid as its text form (`35918bc9-196d-40ea-9779-889d79b753f0`,
 * `S-1-5-21-…`). The anchor's form is looked up once, not per entry.
 */
export function anchorReader(anchor: string): (entry: LdapEntry) => AttributeValue | undefined {
  if (anchor === DN_ATTRIBUTE) return (entry) => entry.dn;
  const form = textFormOf(anchor);
  return (entry) => {
    const [value] = valuesNamed(entry, anchor);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    try {
      if (form !== undefined) return form.toText(value);
    } catch {
      // Bytes that are not of the form (no AD server sends them) stay bytes: lookups send them as they are.
    }
    return new Uint8Array(value);
  };
}

/** The anchor of one entry (see {@link anchorReader}). */
export function anchorOf(entry: LdapEntry, anchor: string): AttributeValue | undefined {
  return anchorReader(anchor)(entry);
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
  toImportEntry(entry: LdapEntry, type: ObjectTypeDefinition, modification: 'add' | 'replace'): ImportEntryOfChanges;
}

/**
 * What an attribute description the server sends becomes for one type, worked out on first
 * meeting: an import meets the same few spellings on every entry.
 */
interface Imported {
  /** The schema's name of the attribute. */
  name: string;
  read: ValueReader;
  /** The attribute's position among the type's: two spellings of one attribute share it. */
  slot: number;
  /** Whether it is the member attribute whose empty-group placeholder is no member. */
  members: boolean;
}

/** What a mapper knows of one type. */
interface TypeKnowledge {
  /** By server spelling; `null` when the type does not import it. */
  byServerName: Map<string, Imported | null>;
  /** The slot of the DN when the type carries it as an attribute, else -1. */
  dnSlot: number;
  /** The member attribute its class requires, lower case. */
  members: string | undefined;
  /**
   * Per slot, the entry that last gave it a change (`stamp`) and where (`at`): a second spelling
   * of an attribute in one entry is found without searching the entry's changes.
   */
  stampOf: number[];
  atOf: number[];
  stamp: number;
}

/** One value of a whole attribute: an `add`. */
const added = (value: AttributeValue): ValueChange => ({ modification: 'add', value });

/** Adds the change of attribute `slot` to an entry's, replacing the one an earlier spelling gave. */
function addChange(changes: AttributeChange[], known: TypeKnowledge, slot: number, name: string, values: readonly AttributeValue[]): void {
  if (values.length === 0) return;
  // One `add` per attribute that has values, as the SDK's attributeChangesOf gives. The arrays are
  // made at their final length: a page of entries stays in memory until the host has stored it,
  // and an array grown by push keeps room for 16 values where most attributes have one.
  const change: AttributeChange = { name, modification: 'add', valueChanges: values.length === 1 ? [added(values[0]!)] : values.map(added) };
  // Two spellings of one attribute in an entry: the later values count, as in a record.
  if (known.stampOf[slot] === known.stamp) changes[known.atOf[slot]!] = change;
  else {
    known.stampOf[slot] = known.stamp;
    known.atOf[slot] = changes.length;
    changes.push(change);
  }
}

/**
 * A mapper for entries of `types`. An import meets the same few class combinations and attribute
 * spellings on every entry, so it works each one out once and remembers it for the run: both
 * memories are bounded by what the schema and the directory's class combinations allow.
 */
export function createEntryMapper(types: readonly ObjectTypeDefinition[], schema: DirectorySchema, anchor: string, emptyGroupMember?: string): EntryMapper {
  const byName = new Map(types.map((t) => [t.name.toLowerCase(), t]));
  const typeByClasses = new Map<string, ObjectTypeDefinition | undefined>();
  const anchorOf = anchorReader(anchor);
  const perType = new Map<ObjectTypeDefinition, TypeKnowledge>();
  const knowledgeOf = (type: ObjectTypeDefinition) => {
    let known = perType.get(type);
    if (known === undefined) {
      const dnSlot = type.attributes.findIndex((a) => a.name.toLowerCase() === DN_ATTRIBUTE);
      known = { byServerName: new Map(), dnSlot, members: requiredMemberAttribute(schema, type.name)?.toLowerCase(), stampOf: [], atOf: [], stamp: 0 };
      perType.set(type, known);
    }
    return known;
  };
  const importedOf = (type: ObjectTypeDefinition, known: TypeKnowledge, serverName: string): Imported | null => {
    let imported = known.byServerName.get(serverName);
    if (imported === undefined) {
      const named = (name: string | undefined) => (name === undefined ? -1 : type.attributes.findIndex((a) => a.name.toLowerCase() === name.toLowerCase()));
      let slot = named(serverName);
      if (slot === -1) slot = named(schema.attribute(serverName)?.name);
      const definition: AttributeDefinition | undefined = type.attributes[slot];
      imported =
        definition === undefined || definition.operation === 'exportOnly'
          ? null
          : { name: definition.name, read: valueReader(definition), slot, members: definition.name.toLowerCase() === known.members };
      known.byServerName.set(serverName, imported);
    }
    return imported;
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
      const anchorValue = anchorOf(entry);
      if (anchorValue === undefined) {
        const error = { code: 'missing-anchor', message: `${entry.dn} has no ${anchor}; the anchor attribute must be readable by the bind identity` };
        return { objectType: type.name, modification, dn: entry.dn, anchor: {}, attributeChanges: [], error };
      }
      const known = knowledgeOf(type);
      known.stamp++;
      const changes: AttributeChange[] = [];
      try {
        for (const serverName in entry.attributes) {
          const raw = entry.attributes[serverName];
          const imported = importedOf(type, known, serverName);
          if (imported === null || raw === undefined) continue;
          const values = imported.read(raw);
          addChange(changes, known, imported.slot, imported.name, imported.members ? values.filter((v) => typeof v !== 'string' || !isPlaceholderMember(emptyGroupMember, entry.dn, v)) : values);
        }
      } catch (error) {
        const failure = { code: 'invalid-attribute-value', message: `${entry.dn}: ${(error as Error).message}` };
        return { objectType: type.name, modification, dn: entry.dn, anchor: { [anchor]: anchorValue }, attributeChanges: [], error: failure };
      }
      if (known.dnSlot !== -1) addChange(changes, known, known.dnSlot, DN_ATTRIBUTE, [entry.dn]);
      return { objectType: type.name, modification, dn: entry.dn, anchor: { [anchor]: anchorValue }, attributeChanges: changes };
    },
  };
}
