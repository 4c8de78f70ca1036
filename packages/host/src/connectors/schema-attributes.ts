import type { AttributeDefinition } from '@ecmahost/sdk';
import { isCoreSchema } from '../scim/resource-path.js';
import type { ScimAttributeDefinition, ScimAttributeType } from '../scim/schema-documents.js';
import { EXPORT_PASSWORD } from './served-schema.js';
import type { ServedSchema } from './served-schema.js';

const SCIM_TYPES: Record<AttributeDefinition['type'], ScimAttributeType> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  binary: 'binary',
  reference: 'reference',
  datetime: 'dateTime',
};

/** SCIM attribute definitions of the ECMA2Host extension schema (RFC 7643 §7): every served attribute and `export_password`. */
export function extensionSchemaAttributes(schema: ServedSchema): ScimAttributeDefinition[] {
  const objectType = schema.objectType;
  const defs: ScimAttributeDefinition[] = [...schema.attributes.values()].map(({ definition, multiValued, operation, anchor }) => ({
    name: definition.name,
    type: SCIM_TYPES[definition.type],
    multiValued,
    description: definition.description ?? `${objectType.name} attribute ${definition.name}`,
    required: definition.required === true || (anchor && objectType.anchorGeneratedOnAdd !== true),
    caseExact: definition.caseExact === true,
    mutability: operation === 'importOnly' ? 'readOnly' : operation === 'exportOnly' ? 'writeOnly' : anchor ? 'immutable' : 'readWrite',
    returned: operation === 'exportOnly' ? 'never' : 'default',
    uniqueness: anchor ? 'server' : 'none',
  }));
  defs.push({
    name: EXPORT_PASSWORD,
    type: 'string',
    multiValued: false,
    description: 'Initial password, set by a separate password call after the object is created',
    required: false,
    caseExact: true,
    mutability: 'writeOnly',
    returned: 'never',
    uniqueness: 'none',
  });
  return defs;
}

/** SCIM attribute definitions of the type's core schema: the mapped attributes, and `active` but for groups. */
export function coreSchemaAttributes(schema: ServedSchema): ScimAttributeDefinition[] {
  const defs = new Map<string, ScimAttributeDefinition>();
  for (const { path, attribute } of schema.mapping) {
    // Attributes mapped into another extension (enterprise) are not core attributes.
    if (path.schema !== undefined && !isCoreSchema(path.schema)) continue;
    const served = schema.attributes.get(attribute)!;
    const leaf: ScimAttributeDefinition = {
      name: path.sub ?? path.attr,
      type: SCIM_TYPES[served.definition.type],
      multiValued: path.sub === undefined ? served.multiValued : false,
      description: `Mapped to ${attribute}`,
      required: false,
      caseExact: served.caseExact,
      mutability: served.operation === 'importOnly' ? 'readOnly' : 'readWrite',
      returned: 'default',
      uniqueness: served.anchor ? 'server' : 'none',
    };
    if (path.sub === undefined) {
      defs.set(path.attr.toLowerCase(), { ...leaf, name: path.attr });
      continue;
    }
    const parent = defs.get(path.attr.toLowerCase()) ?? {
      ...leaf,
      name: path.attr,
      type: 'complex',
      multiValued: path.filter !== undefined,
      description: `${path.attr}`,
      caseExact: false,
      uniqueness: 'none',
      subAttributes: [],
    };
    const subs = parent.subAttributes ?? [];
    if (!subs.some((s) => s.name.toLowerCase() === leaf.name.toLowerCase())) subs.push(leaf);
    // `emails[type eq "work"].value` also implies the `type` sub-attribute its filter names.
    const selector = path.filter?.kind === 'compare' ? path.filter.path.attr : undefined;
    if (selector !== undefined && !subs.some((s) => s.name.toLowerCase() === selector.toLowerCase())) {
      subs.push({ ...leaf, name: selector, type: 'string', description: `${path.attr} ${selector}` });
    }
    parent.subAttributes = subs;
    defs.set(path.attr.toLowerCase(), parent);
  }
  if (!defs.has('active') && schema.resource.name !== 'Group') {
    defs.set('active', {
      name: 'active',
      type: 'boolean',
      multiValued: false,
      description: `Whether the user is active; disabling follows the connector's disable flow (${schema.disable.action})`,
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    });
  }
  return [...defs.values()];
}
