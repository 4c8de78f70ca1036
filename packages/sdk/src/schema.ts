import type { AttributeType } from './values.js';

const ATTRIBUTE_TYPES: readonly AttributeType[] = ['string', 'integer', 'boolean', 'binary', 'reference', 'datetime'];

/**
 * Which way an attribute flows (ECMA2 `AttributeOperation`): `importOnly` attributes are read but
 * never written (a host exposes them as read-only), `exportOnly` ones are written but never read
 * back (passwords), `importExport` both.
 */
export type AttributeOperation = 'importOnly' | 'exportOnly' | 'importExport';

/** One attribute of an object type (ECMA2 `SchemaAttribute`). */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  /** Holds several values. */
  multiValued: boolean;
  /** Defaults to `importExport`. */
  operation?: AttributeOperation;
  /** Compared case-sensitively (a host indexes and filters it so). Defaults to `false`. */
  caseExact?: boolean;
  /** Not selected by default in a configuration wizard (ECMA2 `HiddenByDefault`). */
  hidden?: boolean;
  /** Must be given when an object is added. */
  required?: boolean;
  /** One sentence shown to admins. */
  description?: string;
}

/** One kind of object a connector holds: users, groups... (ECMA2 `SchemaType`). */
export interface ObjectTypeDefinition {
  name: string;
  /**
   * Names of the attributes that together identify an object for its whole life (ECMA2
   * `AnchorAttributes`). Each is also listed in `attributes`. The reserved name `-dn-` anchors on
   * the DN (with `dnAsAnchor`).
   */
  anchors: readonly string[];
  /**
   * The attribute holding the DN, when the DN is also an attribute (`-dn-` by convention).
   *
   * @remarks Not used by `@ecmahost/host`: the admin chooses the DN source of each instance.
   */
  dnAttribute?: string;
  /** Whether the anchor may be left out on add because the target generates it (an identity column, entryUUID). */
  anchorGeneratedOnAdd?: boolean;
  attributes: readonly AttributeDefinition[];
}

/** Everything discovery found (ECMA2 `Schema`). */
export interface Schema {
  objectTypes: readonly ObjectTypeDefinition[];
}

/** The reserved attribute name for an object's DN, as Microsoft's hosts name it. */
export const DN_ATTRIBUTE = '-dn-';

/** An attribute's operation, with the default applied. */
export function attributeOperation(attribute: AttributeDefinition): AttributeOperation {
  return attribute.operation ?? 'importExport';
}

/** Finds an object type by name. */
export function findObjectType(schema: Schema, name: string): ObjectTypeDefinition | undefined {
  return schema.objectTypes.find((t) => t.name === name);
}

/**
 * Structural problems in a schema (no object types, anchors not among the attributes, duplicate
 * names, unknown attribute types, one attribute name with different definitions across types), as
 * messages; empty when the schema is well-formed.
 */
export function schemaProblems(schema: Schema): string[] {
  const problems: string[] = [];
  if (schema.objectTypes.length === 0) problems.push('the schema has no object types');
  const typeNames = new Set<string>();
  const shared = new Map<string, string>();
  for (const type of schema.objectTypes) {
    if (!type.name) problems.push('an object type has no name');
    if (typeNames.has(type.name)) problems.push(`object type ${type.name} is listed twice`);
    typeNames.add(type.name);
    const names = new Set<string>();
    for (const attr of type.attributes) {
      if (!attr.name) problems.push(`${type.name}: an attribute has no name`);
      if (!ATTRIBUTE_TYPES.includes(attr.type)) problems.push(`${type.name}.${attr.name} has an unknown type ${String(attr.type)}`);
      if (names.has(attr.name)) problems.push(`${type.name}.${attr.name} is listed twice`);
      names.add(attr.name);
      // ECMA2: attribute definitions are shared across object types (same name, same definition).
      const signature = `${attr.type}/${attr.multiValued}`;
      const before = shared.get(attr.name);
      if (before !== undefined && before !== signature) {
        problems.push(`${attr.name} has different types across object types (${before} vs ${signature})`);
      }
      shared.set(attr.name, signature);
    }
    if (type.anchors.length === 0) problems.push(`${type.name} has no anchor`);
    for (const anchor of type.anchors) {
      const def = type.attributes.find((a) => a.name === anchor);
      if (!def) problems.push(`${type.name}: anchor ${anchor} is not among its attributes`);
      else if (def.multiValued) problems.push(`${type.name}: anchor ${anchor} is multi-valued`);
    }
  }
  return problems;
}
