import type { AttributeDefinition, ObjectTypeDefinition, Schema } from '@ecmahost/sdk';
import type { ConnectorInstanceConfig, DeleteFlow, DisableFlow, ResourceTypeConfig, SelectedAttribute } from '../config/connector-config.js';
import { DEFAULT_DELETE_FLOW, DEFAULT_DISABLE_FLOW } from './defaults.js';

/**
 * The schema part of a configuration: what Microsoft's Object Types, Select Attributes and
 * Deprovisioning pages ask, plus the SCIM mapping Entra's attribute mapping relies on.
 */
export interface SchemaAnswers {
  objectType: string;
  anchor: string[];
  dn: ConnectorInstanceConfig['dn'];
  attributes: SelectedAttribute[];
  /** Core SCIM path → connector attribute; every served attribute also stays reachable through the extension schema. */
  scimMapping: Record<string, string>;
  deprovisioning: { disable: DisableFlow; delete: DeleteFlow };
  /** The SCIM resource type served; absent: `User`. */
  resourceType?: ResourceTypeConfig;
}

/** A core SCIM attribute a front-end offers to map, with how it reads to an admin. */
export interface ScimMappingTarget {
  path: string;
  label: string;
  /** Attribute names (lower case) proposed for it, best first. */
  proposals: readonly string[];
}

/**
 * The core SCIM attributes every front-end asks about, with what usually holds them: LDAP names,
 * the generic SQL sample's columns and common spellings. `userName` proposes the anchor.
 */
export const SCIM_MAPPING_TARGETS: readonly ScimMappingTarget[] = [
  { path: 'userName', label: 'userName (Entra\'s matching attribute)', proposals: ['username', 'login', 'uid', 'samaccountname', 'userprincipalname'] },
  { path: 'externalId', label: 'externalId', proposals: ['externalid', 'azureid'] },
  { path: 'displayName', label: 'displayName', proposals: ['displayname', 'cn'] },
  { path: 'name.givenName', label: 'name.givenName', proposals: ['givenname', 'firstname'] },
  { path: 'name.familyName', label: 'name.familyName', proposals: ['sn', 'surname', 'familyname', 'lastname'] },
  { path: 'emails[type eq "work"].value', label: 'emails[type eq "work"].value', proposals: ['mail', 'email', 'emailaddress', 'workemail'] },
];

/** The object type named `name` in a discovered schema. */
export function objectTypeOf(schema: Schema, name: string): ObjectTypeDefinition | undefined {
  return schema.objectTypes.find((t) => t.name === name);
}

/** Attributes that can identify an object (anchor) or hold its DN: single-valued ones. */
export function singleValuedAttributes(type: ObjectTypeDefinition): AttributeDefinition[] {
  return type.attributes.filter((a) => !a.multiValued);
}

/** The anchor offered first: the type's declared anchors, else its first single-valued attribute. */
export function defaultAnchor(type: ObjectTypeDefinition): string[] {
  if (type.anchors.length > 0) return [...type.anchors];
  const first = singleValuedAttributes(type)[0];
  return first === undefined ? [] : [first.name];
}

/**
 * The attributes preselected for serving: every one the connector does not mark `hidden`
 * (operational, internal) and that is not binary (certificates, photos: nothing Entra maps, and
 * costly to cache). The admin may still tick any of them.
 */
export function preselectedAttributes(type: ObjectTypeDefinition): string[] {
  return type.attributes.filter((a) => a.hidden !== true && a.type !== 'binary').map((a) => a.name);
}

/** The served attribute names, anchors first (the SCIM id is derived from them, so they are always served). */
export function servedNames(anchor: readonly string[], attributes: readonly SelectedAttribute[]): string[] {
  return [...new Set([...anchor, ...attributes.map((a) => a.name)])];
}

/**
 * Proposes a SCIM mapping from what is served: `userName` the (first) anchor, and for each other
 * target the first served single-valued attribute (or multi-valued one treated as single) whose
 * name matches its proposals. Nothing is proposed where nothing matches.
 */
export function proposeScimMapping(type: ObjectTypeDefinition, anchor: readonly string[], attributes: readonly SelectedAttribute[]): Record<string, string> {
  const served = servedNames(anchor, attributes);
  const singleValued = served.filter((name) => {
    const def = type.attributes.find((a) => a.name === name);
    return def !== undefined && def.type !== 'binary' && (!def.multiValued || attributes.some((a) => a.name === name && a.singleValue === true));
  });
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  for (const target of SCIM_MAPPING_TARGETS) {
    let choice: string | undefined;
    if (target.path === 'userName' && anchor.length === 1 && singleValued.includes(anchor[0] ?? '')) choice = anchor[0];
    for (const proposal of target.proposals) {
      choice ??= singleValued.find((name) => name.toLowerCase() === proposal && !used.has(name));
    }
    if (choice !== undefined) {
      mapping[target.path] = choice;
      used.add(choice);
    }
  }
  return mapping;
}

/**
 * Proposes the mapping of a type served as SCIM Groups: `displayName` onto a name-like attribute
 * and `members` onto the first served multi-valued reference attribute (`member`, `Members`).
 */
export function proposeGroupMapping(type: ObjectTypeDefinition, anchor: readonly string[], attributes: readonly SelectedAttribute[]): Record<string, string> {
  const served = servedNames(anchor, attributes).map((name) => type.attributes.find((a) => a.name === name)).filter((a) => a !== undefined);
  const mapping: Record<string, string> = {};
  const name = ['displayname', 'name', 'cn', 'groupname'].map((p) => served.find((a) => a.name.toLowerCase() === p && (!a.multiValued || attributes.some((s) => s.name === a.name && s.singleValue === true)))).find((a) => a !== undefined);
  if (name !== undefined) mapping.displayName = name.name;
  const members = served.find((a) => a.type === 'reference' && a.multiValued);
  if (members !== undefined) mapping.members = members.name;
  return mapping;
}

/** The proposed mapping for a type served as `resourceType`. */
function proposeMapping(type: ObjectTypeDefinition, anchor: readonly string[], attributes: readonly SelectedAttribute[], resourceType: ResourceTypeConfig | undefined): Record<string, string> {
  return resourceType === 'Group' ? proposeGroupMapping(type, anchor, attributes) : proposeScimMapping(type, anchor, attributes);
}

/** The attributes a disable flow may set: single-valued booleans (offered first: the usual flags), then strings. */
export function disableFlowAttributes(type: ObjectTypeDefinition): AttributeDefinition[] {
  const single = type.attributes.filter((a) => !a.multiValued);
  return [...single.filter((a) => a.type === 'boolean'), ...single.filter((a) => a.type === 'string')];
}

/**
 * The attributes a configuration serves: the anchors first (the SCIM id is derived from them), the
 * chosen ones in their order, and the disable flow's attribute (the host reads and writes it like
 * any other).
 */
export function servedAttributes(answers: Pick<SchemaAnswers, 'anchor' | 'attributes' | 'deprovisioning'>): SelectedAttribute[] {
  const byName = new Map(answers.attributes.map((a) => [a.name, a]));
  const disable = answers.deprovisioning.disable;
  const names = servedNames(answers.anchor, answers.attributes);
  if (disable.action === 'attribute' && !names.includes(disable.attribute)) names.push(disable.attribute);
  return names.map((name) => (byName.get(name)?.singleValue === true ? { name, singleValue: true } : { name }));
}

/**
 * Whether a multi-valued attribute starts as "treat as single value": the ones named like a core
 * SCIM attribute (LDAP's `cn`, `sn`, `givenName`, `mail`), which Entra reads and writes as one
 * value; served as lists they would come back as arrays and could not be mapped.
 */
export function proposedSingleValue(attribute: AttributeDefinition): boolean {
  return attribute.multiValued && attribute.type !== 'binary' && SCIM_MAPPING_TARGETS.some((t) => t.proposals.includes(attribute.name.toLowerCase()));
}

/**
 * The answers a front-end starts from for a type: its anchor, the preselection (with name-like
 * multi-valued attributes treated as single values), the proposed mapping, the default flows.
 */
export function defaultSchemaAnswers(type: ObjectTypeDefinition, resourceType?: ResourceTypeConfig): SchemaAnswers {
  const anchor = defaultAnchor(type);
  const attributes = servedNames(anchor, preselectedAttributes(type).map((name) => ({ name }))).map((name) => {
    const def = type.attributes.find((a) => a.name === name);
    return def !== undefined && proposedSingleValue(def) ? { name, singleValue: true } : { name };
  });
  const answers: SchemaAnswers = {
    objectType: type.name,
    anchor,
    dn: { autogenerate: true },
    attributes,
    scimMapping: proposeMapping(type, anchor, attributes, resourceType),
    // Groups have no `active`: Entra never disables one.
    deprovisioning: { disable: resourceType === 'Group' ? { action: 'none' } : DEFAULT_DISABLE_FLOW, delete: DEFAULT_DELETE_FLOW },
  };
  if (resourceType !== undefined) answers.resourceType = resourceType;
  return answers;
}

/** Where a schema answer is wrong: the part of {@link SchemaAnswers} and a message for the admin. */
export interface SchemaIssue {
  field: 'objectType' | 'anchor' | 'dn' | 'attributes' | 'scimMapping' | 'disable' | 'delete';
  message: string;
}

/**
 * Checks schema answers against a discovered schema, every problem at once: unknown names, an
 * anchor or DN attribute that is multi-valued, "treat as single value" on a single-valued attribute
 * and a SCIM mapping onto an attribute that is not served.
 */
export function checkSchemaAnswers(schema: Schema, answers: SchemaAnswers): SchemaIssue[] {
  const type = objectTypeOf(schema, answers.objectType);
  if (type === undefined) return [{ field: 'objectType', message: `discovery found no object type ${answers.objectType} (found: ${schema.objectTypes.map((t) => t.name).join(', ') || 'none'}).` }];
  const issues: SchemaIssue[] = [];
  const known = new Map(type.attributes.map((a) => [a.name, a]));
  const missing = (names: readonly string[]): string[] => names.filter((n) => !known.has(n));
  const its = `(its attributes: ${type.attributes.map((a) => a.name).join(', ')})`;
  if (answers.anchor.length === 0) issues.push({ field: 'anchor', message: `choose an anchor attribute of ${type.name}.` });
  for (const name of missing(answers.anchor)) issues.push({ field: 'anchor', message: `${type.name} has no attribute ${name} ${its}.` });
  for (const name of answers.anchor) if (known.get(name)?.multiValued === true) issues.push({ field: 'anchor', message: `the anchor ${name} is multi-valued: choose a single-valued attribute.` });
  const unknown = missing(answers.attributes.map((a) => a.name));
  if (unknown.length > 0) issues.push({ field: 'attributes', message: `${type.name} has no attribute ${unknown.join(', ')} ${its}.` });
  for (const a of answers.attributes) {
    if (a.singleValue === true && known.get(a.name)?.multiValued === false) issues.push({ field: 'attributes', message: `${a.name} is single-valued already: "treat as single value" applies to multi-valued attributes.` });
  }
  if ('attribute' in answers.dn) {
    const dn = known.get(answers.dn.attribute);
    if (dn === undefined) issues.push({ field: 'dn', message: `${type.name} has no attribute ${answers.dn.attribute} ${its}.` });
    else if (dn.multiValued) issues.push({ field: 'dn', message: `the DN attribute ${dn.name} is multi-valued: choose a single-valued attribute.` });
  }
  const served = new Set(servedAttributes(answers).map((a) => a.name));
  for (const [path, attribute] of Object.entries(answers.scimMapping)) {
    if (!served.has(attribute)) issues.push({ field: 'scimMapping', message: `${path} is mapped to ${attribute}, which is not a served attribute of ${type.name}.` });
  }
  const disable = answers.deprovisioning.disable;
  if (disable.action === 'attribute') {
    const flag = known.get(disable.attribute);
    if (flag === undefined) issues.push({ field: 'disable', message: `the disable flow sets ${disable.attribute}, but ${type.name} has no such attribute ${its}.` });
    else if (!disableFlowAttributes(type).includes(flag)) issues.push({ field: 'disable', message: `the disable flow sets ${disable.attribute}, which is ${flag.type}${flag.multiValued ? ', multi-valued' : ''}: choose a single-valued boolean or string attribute.` });
  }
  const deleteFlow = answers.deprovisioning.delete;
  if (deleteFlow.action === 'attribute') {
    const target = known.get(deleteFlow.attribute);
    if (target === undefined) issues.push({ field: 'delete', message: `the delete flow sets ${deleteFlow.attribute}, but ${type.name} has no such attribute ${its}.` });
    else if (target.multiValued || target.operation === 'importOnly') issues.push({ field: 'delete', message: `the delete flow sets ${deleteFlow.attribute}, which is ${target.multiValued ? 'multi-valued' : 'read-only'}: choose a single-valued writable attribute.` });
    else if (!served.has(deleteFlow.attribute)) issues.push({ field: 'delete', message: `the delete flow sets ${deleteFlow.attribute}, which is not a served attribute of ${type.name}.` });
  }
  return issues;
}

/** Schema choices given up front (CLI flags, an `/admin` body); each replaces the starting answer. */
export interface GivenSchemaChoices {
  anchor?: string[];
  attributes?: SelectedAttribute[];
  dn?: ConnectorInstanceConfig['dn'];
  disable?: DisableFlow;
  delete?: DeleteFlow;
  /**
   * On a new configuration the given paths replace the proposals; on a change they amend the
   * current mapping, and an empty attribute (`displayName: ""`) removes a path.
   */
  scimMapping?: Readonly<Record<string, string>>;
  /** The SCIM resource type (a new configuration's proposals follow it). */
  resourceType?: ResourceTypeConfig;
}

/**
 * The schema answers for `type` from the given choices over `current` (a change of the same type)
 * or the type's defaults. A new configuration that chooses its own anchor or attributes without a
 * SCIM mapping gets the mapping proposed for them. Not checked: see {@link checkSchemaAnswers}.
 */
export function applySchemaChoices(type: ObjectTypeDefinition, given: GivenSchemaChoices, current?: SchemaAnswers): SchemaAnswers {
  const isChange = current !== undefined;
  let answers: SchemaAnswers = current?.objectType === type.name ? current : defaultSchemaAnswers(type, given.resourceType);
  if (given.anchor !== undefined) answers = { ...answers, anchor: [...given.anchor] };
  if (given.attributes !== undefined) answers = { ...answers, attributes: given.attributes.map((a) => ({ ...a })) };
  if (given.dn !== undefined) answers = { ...answers, dn: given.dn };
  if (given.disable !== undefined) answers = { ...answers, deprovisioning: { ...answers.deprovisioning, disable: given.disable } };
  if (given.delete !== undefined) answers = { ...answers, deprovisioning: { ...answers.deprovisioning, delete: given.delete } };
  if (given.scimMapping !== undefined) {
    const mapping = isChange ? { ...answers.scimMapping } : {};
    for (const [path, attribute] of Object.entries(given.scimMapping)) {
      if (attribute === '') delete mapping[path];
      else mapping[path] = attribute;
    }
    answers = { ...answers, scimMapping: mapping };
  } else if (!isChange && (given.anchor !== undefined || given.attributes !== undefined)) {
    answers = { ...answers, scimMapping: proposeMapping(type, answers.anchor, answers.attributes, answers.resourceType) };
  }
  return answers;
}
