import type { ConnectorInstanceConfig, DeleteFlow, DisableFlow, ResourceTypeConfig, SelectedAttribute } from '../config/connector-config.js';

/**
 * One object type served beside the top-level one (`additionalTypes`), as the Object Types page
 * answers it: the type and its resource type, and any choice the defaults for it should not make.
 */
export interface TypeRequest {
  objectType: string;
  resourceType: ResourceTypeConfig;
  anchor?: string[];
  attributes?: SelectedAttribute[];
  dn?: ConnectorInstanceConfig['dn'];
  scimMapping?: Record<string, string>;
  deprovisioning?: { disable?: DisableFlow; delete?: DeleteFlow };
}

/**
 * The body of `PUT /admin/connectors/:name`: the answers the `connector add` and `connector set`
 * flags take, as JSON. Everything is optional here; what a new connector needs (a package) and what
 * a change may not carry (a token) is decided by the route, and every rule about the values by
 * `configure/`.
 */
export interface ConnectorRequest {
  package?: string;
  /** Parameter values by name (`--param`); on a change, omitted ones (secrets included) are kept. */
  parameters?: Record<string, string | boolean>;
  objectType?: string;
  anchor?: string[];
  attributes?: SelectedAttribute[];
  dn?: ConnectorInstanceConfig['dn'];
  /** Core SCIM path → attribute (`--scim`); on a change it amends, and `""` removes a path. */
  scimMapping?: Record<string, string>;
  deprovisioning?: { disable?: DisableFlow; delete?: DeleteFlow };
  autosyncMinutes?: number;
  /** Import page sizes; `deltaImportPageSize: null` turns delta imports off. */
  runProfiles?: { fullImportPageSize?: number; deltaImportPageSize?: number | null };
  /** Answer from the kept connector space while the import after a restart runs (default true). */
  serveBeforeRefresh?: boolean;
  /** The SCIM token of a new connector (generated when absent). */
  token?: string;
  /** The object types served beside the top-level one; replaces the list (`[]` serves none); absent keeps it. */
  additionalTypes?: TypeRequest[];
}

/** A parsed body, or every problem found in it. */
export type ParsedConnectorRequest = { ok: true; request: ConnectorRequest } | { ok: false; problems: string[] };

// Names that would reach an object's prototype if a later step copied them with plain assignment;
// no parameter, SCIM path or field of ours is called so.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 4096;
const isCount = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min;

/** Reads `value` as an object with only `allowed` members; reports the others. */
function membersOf(value: unknown, where: string, allowed: readonly string[], problems: string[]): Json | undefined {
  if (!isObject(value)) {
    problems.push(`${where} must be an object.`);
    return undefined;
  }
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) problems.push(`${where} has unknown member(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed.join(', ')}).`);
  return value;
}

/** Reads a name → value record whose values pass `valid`. */
function recordOf<T>(value: unknown, where: string, valid: (v: unknown) => v is T, expected: string, problems: string[]): Record<string, T> | undefined {
  if (!isObject(value)) {
    problems.push(`${where} must be an object.`);
    return undefined;
  }
  const out: Record<string, T> = {};
  for (const [key, member] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) problems.push(`${where} may not have a member named ${JSON.stringify(key)}.`);
    else if (!valid(member)) problems.push(`${where}.${key} must be ${expected}.`);
    else out[key] = member;
  }
  return out;
}

function textList(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (Array.isArray(value) && value.every(isText)) return [...value];
  problems.push(`${where} must be an array of attribute names.`);
  return undefined;
}

function attributesOf(value: unknown, problems: string[]): SelectedAttribute[] | undefined {
  if (!Array.isArray(value)) {
    problems.push('attributes must be an array of { name, singleValue? } objects.');
    return undefined;
  }
  const out: SelectedAttribute[] = [];
  value.forEach((item, i) => {
    const member = membersOf(item, `attributes[${i}]`, ['name', 'singleValue'], problems);
    if (member === undefined) return;
    if (!isText(member.name)) problems.push(`attributes[${i}].name must be an attribute name.`);
    else if (member.singleValue !== undefined && typeof member.singleValue !== 'boolean') problems.push(`attributes[${i}].singleValue must be true or false.`);
    else out.push(member.singleValue === true ? { name: member.name, singleValue: true } : { name: member.name });
  });
  return out;
}

function dnOf(value: unknown, problems: string[]): ConnectorInstanceConfig['dn'] | undefined {
  const member = membersOf(value, 'dn', ['attribute', 'autogenerate'], problems);
  if (member === undefined) return undefined;
  if (isText(member.attribute) && member.autogenerate === undefined) return { attribute: member.attribute };
  if (member.autogenerate === true && member.attribute === undefined) return { autogenerate: true };
  problems.push('dn must be { "attribute": "<name>" } or { "autogenerate": true }.');
  return undefined;
}

function disableOf(value: unknown, problems: string[]): DisableFlow | undefined {
  const member = membersOf(value, 'deprovisioning.disable', ['action', 'attribute', 'activeValue'], problems);
  if (member === undefined) return undefined;
  if ((member.action === 'none' || member.action === 'delete') && member.attribute === undefined && member.activeValue === undefined) return { action: member.action };
  if (member.action === 'attribute' && isText(member.attribute) && (member.activeValue === undefined || typeof member.activeValue === 'boolean')) {
    return member.activeValue === undefined ? { action: 'attribute', attribute: member.attribute } : { action: 'attribute', attribute: member.attribute, activeValue: member.activeValue };
  }
  problems.push('deprovisioning.disable must be { "action": "none" }, { "action": "delete" } or { "action": "attribute", "attribute": "<name>", "activeValue"?: true | false }.');
  return undefined;
}

function deleteOf(value: unknown, problems: string[]): DeleteFlow | undefined {
  const member = membersOf(value, 'deprovisioning.delete', ['action', 'attribute', 'value'], problems);
  if (member === undefined) return undefined;
  if ((member.action === 'none' || member.action === 'delete') && member.attribute === undefined && member.value === undefined) return { action: member.action };
  if (member.action === 'attribute' && isText(member.attribute) && (typeof member.value === 'string' || typeof member.value === 'boolean' || typeof member.value === 'number')) {
    return { action: 'attribute', attribute: member.attribute, value: String(member.value) };
  }
  problems.push('deprovisioning.delete must be { "action": "delete" }, { "action": "none" } or { "action": "attribute", "attribute": "<name>", "value": "<value>" }.');
  return undefined;
}

const FIELDS = ['package', 'parameters', 'objectType', 'anchor', 'attributes', 'dn', 'scimMapping', 'deprovisioning', 'autosyncMinutes', 'runProfiles', 'serveBeforeRefresh', 'token', 'additionalTypes'] as const;

function resourceTypeOf(value: unknown, where: string, problems: string[]): ResourceTypeConfig | undefined {
  if (value === 'User' || value === 'Group') return value;
  const member = isObject(value) ? membersOf(value, where, ['name', 'schema', 'endpoint'], problems) : undefined;
  if (member !== undefined && isText(member.name) && isText(member.schema) && isText(member.endpoint)) return { name: member.name, schema: member.schema, endpoint: member.endpoint };
  problems.push(`${where} must be "User", "Group" or { "name", "schema": "urn:...", "endpoint" }.`);
  return undefined;
}

function flowsOf(value: unknown, where: string, problems: string[]): { disable?: DisableFlow; delete?: DeleteFlow } | undefined {
  const flows = membersOf(value, where, ['disable', 'delete'], problems);
  if (flows === undefined) return undefined;
  const deprovisioning: { disable?: DisableFlow; delete?: DeleteFlow } = {};
  const disable = flows.disable === undefined ? undefined : disableOf(flows.disable, problems);
  const del = flows.delete === undefined ? undefined : deleteOf(flows.delete, problems);
  if (disable !== undefined) deprovisioning.disable = disable;
  if (del !== undefined) deprovisioning.delete = del;
  return deprovisioning;
}

function typeRequestsOf(value: unknown, problems: string[]): TypeRequest[] | undefined {
  if (!Array.isArray(value)) {
    problems.push('additionalTypes must be an array of { objectType, resourceType, ... } objects.');
    return undefined;
  }
  const out: TypeRequest[] = [];
  value.forEach((item, i) => {
    const where = `additionalTypes[${i}]`;
    const member = membersOf(item, where, ['objectType', 'resourceType', 'anchor', 'attributes', 'dn', 'scimMapping', 'deprovisioning'], problems);
    if (member === undefined) return;
    if (!isText(member.objectType)) {
      problems.push(`${where}.objectType must be an object type name.`);
      return;
    }
    const resourceType = resourceTypeOf(member.resourceType, `${where}.resourceType`, problems);
    if (resourceType === undefined) return;
    const request: TypeRequest = { objectType: member.objectType, resourceType };
    const anchor = member.anchor === undefined ? undefined : textList(member.anchor, `${where}.anchor`, problems);
    if (anchor !== undefined) request.anchor = anchor;
    const attributes = member.attributes === undefined ? undefined : attributesOf(member.attributes, problems);
    if (attributes !== undefined) request.attributes = attributes;
    const dn = member.dn === undefined ? undefined : dnOf(member.dn, problems);
    if (dn !== undefined) request.dn = dn;
    const mapping = member.scimMapping === undefined ? undefined : recordOf(member.scimMapping, `${where}.scimMapping`, (v): v is string => typeof v === 'string' && v.length <= 4096, 'an attribute name', problems);
    if (mapping !== undefined) request.scimMapping = mapping;
    const flows = member.deprovisioning === undefined ? undefined : flowsOf(member.deprovisioning, `${where}.deprovisioning`, problems);
    if (flows !== undefined) request.deprovisioning = flows;
    out.push(request);
  });
  return out;
}

/**
 * Reads a parsed JSON body as a {@link ConnectorRequest}: the shape only (types, known members, no
 * `__proto__`-like names), every problem at once. The values themselves are checked by
 * `configure/` against the connector.
 */
export function parseConnectorRequest(body: unknown): ParsedConnectorRequest {
  const problems: string[] = [];
  const member = membersOf(body, 'the body', FIELDS, problems);
  if (member === undefined) return { ok: false, problems };
  const request: ConnectorRequest = {};
  if (member.package !== undefined) {
    if (isText(member.package)) request.package = member.package;
    else problems.push('package must be a package name or a path.');
  }
  if (member.parameters !== undefined) {
    const parameters = recordOf(member.parameters, 'parameters', (v): v is string | boolean => typeof v === 'string' || typeof v === 'boolean', 'a string or a boolean', problems);
    if (parameters !== undefined) request.parameters = parameters;
  }
  if (member.objectType !== undefined) {
    if (isText(member.objectType)) request.objectType = member.objectType;
    else problems.push('objectType must be an object type name.');
  }
  if (member.anchor !== undefined) {
    const anchor = textList(member.anchor, 'anchor', problems);
    if (anchor !== undefined) request.anchor = anchor;
  }
  if (member.attributes !== undefined) {
    const attributes = attributesOf(member.attributes, problems);
    if (attributes !== undefined) request.attributes = attributes;
  }
  if (member.dn !== undefined) {
    const dn = dnOf(member.dn, problems);
    if (dn !== undefined) request.dn = dn;
  }
  if (member.scimMapping !== undefined) {
    const mapping = recordOf(member.scimMapping, 'scimMapping', (v): v is string => typeof v === 'string' && v.length <= 4096, 'an attribute name ("" removes the path)', problems);
    if (mapping !== undefined) request.scimMapping = mapping;
  }
  if (member.deprovisioning !== undefined) {
    const flows = flowsOf(member.deprovisioning, 'deprovisioning', problems);
    if (flows !== undefined) request.deprovisioning = flows;
  }
  if (member.additionalTypes !== undefined) {
    const types = typeRequestsOf(member.additionalTypes, problems);
    if (types !== undefined) request.additionalTypes = types;
  }
  if (member.autosyncMinutes !== undefined) {
    if (isCount(member.autosyncMinutes, 0)) request.autosyncMinutes = member.autosyncMinutes;
    else problems.push('autosyncMinutes must be a whole number of minutes (0 = off).');
  }
  if (member.serveBeforeRefresh !== undefined) {
    if (typeof member.serveBeforeRefresh === 'boolean') request.serveBeforeRefresh = member.serveBeforeRefresh;
    else problems.push('serveBeforeRefresh must be true or false.');
  }
  if (member.runProfiles !== undefined) {
    const profiles = membersOf(member.runProfiles, 'runProfiles', ['fullImportPageSize', 'deltaImportPageSize'], problems);
    if (profiles !== undefined) {
      const runProfiles: NonNullable<ConnectorRequest['runProfiles']> = {};
      if (profiles.fullImportPageSize !== undefined) {
        if (isCount(profiles.fullImportPageSize, 1)) runProfiles.fullImportPageSize = profiles.fullImportPageSize;
        else problems.push('runProfiles.fullImportPageSize must be a whole number >= 1.');
      }
      if (profiles.deltaImportPageSize !== undefined) {
        if (profiles.deltaImportPageSize === null || isCount(profiles.deltaImportPageSize, 1)) runProfiles.deltaImportPageSize = profiles.deltaImportPageSize;
        else problems.push('runProfiles.deltaImportPageSize must be a whole number >= 1, or null to turn delta imports off.');
      }
      request.runProfiles = runProfiles;
    }
  }
  if (member.token !== undefined) {
    if (typeof member.token === 'string') request.token = member.token;
    else problems.push('token must be a string.');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, request };
}
