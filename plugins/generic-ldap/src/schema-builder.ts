import type { AttributeDefinition, AttributeType, ObjectTypeDefinition, Schema } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import { textFormOf } from './binary-text.js';
import type { AttributeTypeDescription, ObjectClassDescription } from './schema-parser.js';
import { parseAttributeType, parseObjectClass } from './schema-parser.js';
import { typeOfSyntax } from './syntax.js';

/** How an attribute of the directory is handled: its canonical name, data type and flags. */
export interface DirectoryAttribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  importOnly: boolean;
  caseExact: boolean;
  operational: boolean;
}

/** The directory's schema, indexed for lookups by any name or OID (case-insensitive). */
export interface DirectorySchema {
  classes: Map<string, ObjectClassDescription>;
  attributes: Map<string, DirectoryAttribute>;
  /** The attribute for a name as the server spells it (`commonName`, `CN`, `userCertificate;binary`). */
  attribute(name: string): DirectoryAttribute | undefined;
  /** A class by any of its names. */
  objectClass(name: string): ObjectClassDescription | undefined;
  /** The class and its superclasses, nearest first. */
  lineage(name: string): ObjectClassDescription[];
}

/** Options of {@link buildSchema}. */
export interface SchemaOptions {
  /** Structural classes offered as object types; empty means every structural class. */
  objectClasses: readonly string[];
  /** `-dn-` or an attribute such as `entryUUID`, `nsUniqueId`, `objectGUID`. */
  anchor: string;
  /** Offer server-maintained (operational) attributes as import-only attributes. */
  includeOperational: boolean;
  /** Extra attribute descriptions the schema does not list, such as `userCertificate;binary` (RFC 4522). */
  aliases: readonly string[];
  /** The attribute holding passwords (default `userPassword`): offered as export-only text. */
  passwordAttribute: string;
}

const CASE_EXACT_MATCHES = new Set(['caseexactmatch', 'caseexactia5match', 'octetstringmatch', 'bitstringmatch', 'uuidmatch']);
// Binary syntaxes that need the `;binary` transfer option on the wire (RFC 4522).
const BINARY_OPTION = ';binary';

/**
 * Indexes the `objectClasses` and `attributeTypes` values of a subschema entry. Values that do
 * not parse are returned in `problems` (and skipped) instead of failing discovery.
 */
export function indexSchema(objectClassValues: readonly string[], attributeTypeValues: readonly string[]): { schema: DirectorySchema; problems: string[] } {
  const problems: string[] = [];
  const classes = new Map<string, ObjectClassDescription>();
  for (const text of objectClassValues) {
    try {
      const oc = parseObjectClass(text);
      for (const key of [oc.oid, ...oc.names]) classes.set(key.toLowerCase(), oc);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const raw = new Map<string, AttributeTypeDescription>();
  for (const text of attributeTypeValues) {
    try {
      const at = parseAttributeType(text);
      for (const key of [at.oid, ...at.names]) raw.set(key.toLowerCase(), at);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  // Syntax, equality and single-value come from the supertype chain when not given (RFC 4512 §4.1.2).
  const inherited = (at: AttributeTypeDescription, pick: (a: AttributeTypeDescription) => string | undefined): string | undefined => {
    const seen = new Set<string>();
    for (let cur: AttributeTypeDescription | undefined = at; cur !== undefined && !seen.has(cur.oid); cur = cur.superType ? raw.get(cur.superType.toLowerCase()) : undefined) {
      seen.add(cur.oid);
      const v = pick(cur);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const attributes = new Map<string, DirectoryAttribute>();
  for (const [key, at] of raw) {
    const equality = inherited(at, (a) => a.equality)?.toLowerCase();
    const name = at.names[0] ?? at.oid;
    attributes.set(key, {
      name,
      // objectGUID's and objectSid's Octet Strings travel as the text AD tools show (binary-text.ts).
      type: textFormOf(name) !== undefined ? 'string' : typeOfSyntax(inherited(at, (a) => a.syntax)),
      multiValued: !at.singleValue,
      importOnly: at.noUserModification,
      caseExact: equality !== undefined && CASE_EXACT_MATCHES.has(equality),
      operational: at.usage !== 'userApplications',
    });
  }
  const schema: DirectorySchema = {
    classes,
    attributes,
    attribute(name) {
      const lower = name.toLowerCase();
      const direct = attributes.get(lower);
      if (direct !== undefined) return direct;
      const [base, ...options] = lower.split(';');
      const found = base === undefined ? undefined : attributes.get(base);
      if (found === undefined) return undefined;
      return { ...found, name: [found.name, ...options].join(';'), type: options.includes('binary') ? 'binary' : found.type };
    },
    objectClass(name) {
      return classes.get(name.toLowerCase());
    },
    lineage(name) {
      const out: ObjectClassDescription[] = [];
      const queue = [name];
      const seen = new Set<string>();
      while (queue.length > 0) {
        const oc = classes.get((queue.shift() ?? '').toLowerCase());
        if (oc === undefined || seen.has(oc.oid)) continue;
        seen.add(oc.oid);
        out.push(oc);
        queue.push(...oc.superclasses);
      }
      return out;
    },
  };
  return { schema, problems };
}

// The subschema entry's own attributes (RFC 4512 §4.2): they describe the schema, not a user.
const SCHEMA_ATTRIBUTES = new Set(['attributetypes', 'objectclasses', 'matchingrules', 'matchingruleuse', 'ldapsyntaxes', 'ditstructurerules', 'ditcontentrules', 'nameforms']);
// Server configuration kept as entries: OpenLDAP's cn=config (olc…), 389 DS (nsslapd-…), OpenDJ (ds-cfg-…).
// Their classes reach every object type as auxiliaries, but no user carries them.
const CONFIGURATION_ATTRIBUTE = /^(?:olc|nsslapd-|ds-cfg-)/i;

/**
 * Whether a wizard leaves an attribute unselected (ECMA2 `HiddenByDefault`): what the server
 * maintains, the schema and configuration attributes, binary values (certificates, photos), and
 * what only an auxiliary class brings. Hidden attributes are still offered.
 */
function hiddenByDefault(attr: DirectoryAttribute, ofTheClass: boolean): boolean {
  const lower = attr.name.toLowerCase();
  return !ofTheClass || attr.importOnly || attr.operational || attr.type === 'binary' || SCHEMA_ATTRIBUTES.has(lower) || CONFIGURATION_ATTRIBUTE.test(lower);
}

function definitionOf(attr: DirectoryAttribute, options: { required: boolean; hidden: boolean }): AttributeDefinition {
  const def: AttributeDefinition = { name: attr.name, type: attr.type, multiValued: attr.multiValued };
  if (attr.importOnly || attr.operational) def.operation = 'importOnly';
  if (attr.caseExact) def.caseExact = true;
  if (options.required) def.required = true;
  if (options.hidden) def.hidden = true;
  return def;
}

/**
 * The object types an admin can choose: one per structural class (ECMA2: the structural class is
 * the object type), with the attributes of the class, its superclasses and every auxiliary class
 * (auxiliaries such as posixAccount come through the `objectClass` attribute on add). Only the
 * user attributes of the class and its superclasses are left visible for a wizard to preselect;
 * the rest is marked `hidden` (see `hiddenByDefault`).
 */
export function buildSchema(directory: DirectorySchema, options: SchemaOptions): Schema {
  const structural = new Map<string, ObjectClassDescription>();
  for (const oc of directory.classes.values()) if (oc.kind === 'structural' && !oc.obsolete) structural.set(oc.oid, oc);
  const wanted = options.objectClasses.map((n) => n.toLowerCase());
  const chosen = [...structural.values()].filter((oc) => wanted.length === 0 || oc.names.some((n) => wanted.includes(n.toLowerCase())));
  const auxiliaries = [...new Set(directory.classes.values())].filter((oc) => oc.kind === 'auxiliary' && !oc.obsolete);
  const anchorIsDn = options.anchor === DN_ATTRIBUTE;
  // entryUUID, nsUniqueId, objectGUID are set by the server; a user attribute (employeeNumber)
  // may be an anchor too, given by the host on add.
  const anchorAttribute = anchorIsDn ? undefined : (directory.attribute(options.anchor) ?? { name: options.anchor, type: 'string' as const, multiValued: false, importOnly: true, caseExact: false, operational: true });
  // AD assigns objectGUID and objectSid whatever its subschema entry says.
  const serverGenerated = anchorAttribute !== undefined && (anchorAttribute.importOnly || anchorAttribute.operational || textFormOf(anchorAttribute.name) !== undefined);

  const objectTypes: ObjectTypeDefinition[] = chosen
    .map((oc) => {
      const lineage = directory.lineage(oc.oid);
      // By canonical name: a class may list an attribute by another of its names (commonName for cn).
      const canonical = (list: readonly string[]) => new Set(list.map((n) => directory.attribute(n)?.name.toLowerCase() ?? n.toLowerCase()));
      const must = canonical(lineage.flatMap((c) => c.must));
      const own = new Set([...must, ...canonical(lineage.flatMap((c) => c.may))]);
      const names = new Set([...own, ...canonical(auxiliaries.flatMap((c) => [...c.must, ...c.may]))]);
      const byName = new Map<string, AttributeDefinition>();
      for (const n of names) {
        const attr = directory.attribute(n);
        if (attr === undefined || attr.name.toLowerCase() === 'objectclass') continue;
        byName.set(attr.name.toLowerCase(), definitionOf(attr, { required: must.has(n), hidden: hiddenByDefault(attr, own.has(n)) }));
      }
      if (options.includeOperational) {
        for (const attr of new Set(directory.attributes.values())) {
          if (attr.operational && !byName.has(attr.name.toLowerCase())) byName.set(attr.name.toLowerCase(), definitionOf(attr, { required: false, hidden: true }));
        }
      }
      for (const alias of options.aliases) {
        const found = directory.attribute(alias);
        const base = alias.split(';')[0]?.toLowerCase() ?? '';
        if (found === undefined || !byName.has(base)) continue;
        const attr = { ...found, name: alias, type: alias.toLowerCase().endsWith(BINARY_OPTION) ? ('binary' as const) : found.type };
        byName.set(alias.toLowerCase(), definitionOf(attr, { required: false, hidden: hiddenByDefault(attr, own.has(base)) }));
      }
      const password = byName.get(options.passwordAttribute.toLowerCase());
      if (password !== undefined) {
        // Written as text whatever its syntax (Octet String for userPassword), so its binary type hides nothing.
        const { hidden: _binary, ...rest } = password;
        const def: AttributeDefinition = { ...rest, type: 'string', multiValued: false, operation: 'exportOnly' };
        byName.set(options.passwordAttribute.toLowerCase(), own.has(options.passwordAttribute.toLowerCase()) ? def : { ...def, hidden: true });
      }
      if (anchorAttribute !== undefined) {
        const anchor: AttributeDefinition = { name: anchorAttribute.name, type: anchorAttribute.type === 'binary' ? 'binary' : 'string', multiValued: false };
        byName.set(anchorAttribute.name.toLowerCase(), serverGenerated ? { ...anchor, operation: 'importOnly' } : { ...anchor, required: true });
      }
      const attributes: AttributeDefinition[] = [
        { name: DN_ATTRIBUTE, type: 'string', multiValued: false, required: true, description: 'The distinguished name of the entry.' },
        { name: 'objectClass', type: 'string', multiValued: true, description: 'Structural and auxiliary object classes, e.g. inetOrgPerson, posixAccount.' },
        ...[...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
      ];
      const type: ObjectTypeDefinition = {
        name: oc.names[0] ?? oc.oid,
        anchors: [anchorIsDn ? DN_ATTRIBUTE : (anchorAttribute?.name ?? options.anchor)],
        dnAttribute: DN_ATTRIBUTE,
        attributes,
      };
      return serverGenerated ? { ...type, anchorGeneratedOnAdd: true } : type;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { objectTypes };
}
