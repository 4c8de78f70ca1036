import { Secret, isSecret } from '@ecmahost/sdk';
import type { ParameterValue } from '@ecmahost/sdk';
import { parseDocument, stringify } from 'yaml';
import type { ConnectorInstanceConfig, DeleteFlow, DisableFlow, ResourceTypeConfig, ServedTypeConfig } from '../config/connector-config.js';
import { isTokenHash } from '../auth/token.js';
import { assertConnectorName } from '../configure/connector-name.js';
import { OpsError } from './errors.js';
import { decryptValue, encryptValue, isEncrypted } from './secret-box.js';

// The rule lives with the configuration flow; the store keeps exporting it for its callers.
export { CONNECTOR_NAME_PATTERN, assertConnectorName } from '../configure/connector-name.js';

/** The plain-data form of a configuration, secrets encrypted under `key`. */
export function connectorToData(config: ConnectorInstanceConfig, key: Buffer): Record<string, unknown> {
  const parameters: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(config.parameters)) {
    if (isSecret(value)) parameters[name] = encryptValue(key, value.reveal());
    else if (typeof value === 'string' && isEncrypted(value)) {
      // A clear value that looks encrypted would be decrypted on the next read: refuse it.
      throw new OpsError('invalid-config', `parameter ${name} of connector ${config.name} starts with "enc:v1:", which is reserved for encrypted values.`);
    } else parameters[name] = value;
  }
  const data: Record<string, unknown> = {
    name: config.name,
    package: config.package,
    autosyncMinutes: config.autosyncMinutes,
    tokenHash: config.tokenHash,
    parameters,
    ...servedTypeToData(config),
    runProfiles: config.runProfiles,
  };
  if (config.serveBeforeRefresh !== undefined) data.serveBeforeRefresh = config.serveBeforeRefresh;
  if (config.additionalTypes !== undefined && config.additionalTypes.length > 0) data.additionalTypes = config.additionalTypes.map(servedTypeToData);
  return data;
}

function servedTypeToData(type: ServedTypeConfig): Record<string, unknown> {
  const data: Record<string, unknown> = { objectType: type.objectType };
  if (type.resourceType !== undefined) data.resourceType = type.resourceType;
  Object.assign(data, { anchor: type.anchor, dn: type.dn, attributes: type.attributes, deprovisioning: type.deprovisioning });
  if (type.scimMapping !== undefined) data.scimMapping = type.scimMapping;
  return data;
}

function fail(origin: string, message: string): never {
  throw new OpsError('invalid-config', `${origin}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInt(value: unknown, origin: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(origin, `${field} must be a whole number >= 0`);
  return value;
}

function disableFlow(value: unknown, origin: string): DisableFlow {
  if (!isRecord(value)) fail(origin, 'deprovisioning.disable must be a mapping');
  switch (value.action) {
    case 'none':
    case 'delete':
      return { action: value.action };
    case 'attribute': {
      if (typeof value.attribute !== 'string' || value.attribute === '') fail(origin, 'deprovisioning.disable.attribute is required with action attribute');
      const flow: DisableFlow = { action: 'attribute', attribute: value.attribute };
      if (typeof value.activeValue === 'boolean') flow.activeValue = value.activeValue;
      return flow;
    }
    default:
      return fail(origin, 'deprovisioning.disable.action must be none, delete or attribute');
  }
}

function deleteFlow(value: unknown, origin: string): DeleteFlow {
  if (isRecord(value) && value.action === 'attribute') {
    if (typeof value.attribute !== 'string' || value.attribute === '') fail(origin, 'deprovisioning.delete.attribute is required with action attribute');
    if (typeof value.value !== 'string' && typeof value.value !== 'boolean' && typeof value.value !== 'number') fail(origin, 'deprovisioning.delete.value is required with action attribute');
    return { action: 'attribute', attribute: value.attribute, value: String(value.value) };
  }
  if (!isRecord(value) || (value.action !== 'none' && value.action !== 'delete')) fail(origin, 'deprovisioning.delete.action must be none, delete or attribute');
  return { action: value.action };
}

function resourceTypeOf(value: unknown, origin: string): ResourceTypeConfig {
  if (value === 'User' || value === 'Group') return value;
  if (isRecord(value) && typeof value.name === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(value.name) && typeof value.schema === 'string' && /^urn:/i.test(value.schema)) {
    const endpoint = typeof value.endpoint === 'string' ? value.endpoint.replace(/^\//, '') : '';
    if (/^[A-Za-z][A-Za-z0-9]*$/.test(endpoint)) return { name: value.name, schema: value.schema, endpoint };
  }
  return fail(origin, 'resourceType must be User, Group or {name, schema: urn:..., endpoint}');
}

/**
 * Reads the fields of one served object type: the top level of a connector file (the first type;
 * files written before issue 17 have only these) or one entry of `additionalTypes`.
 */
function servedTypeFromData(data: Record<string, unknown>, origin: string): ServedTypeConfig {
  if (typeof data.objectType !== 'string' || data.objectType === '') fail(origin, 'objectType is required');
  const anchor = data.anchor;
  if (!Array.isArray(anchor) || anchor.length === 0 || !anchor.every((a) => typeof a === 'string')) fail(origin, 'anchor must be a list of attribute names');
  let dn: ServedTypeConfig['dn'];
  if (isRecord(data.dn) && data.dn.autogenerate === true) dn = { autogenerate: true };
  else if (isRecord(data.dn) && typeof data.dn.attribute === 'string') dn = { attribute: data.dn.attribute };
  else dn = fail(origin, 'dn must be {autogenerate: true} or {attribute: <name>}');
  if (!Array.isArray(data.attributes)) fail(origin, 'attributes must be a list');
  const attributes = data.attributes.map((a: unknown, i: number) => {
    if (typeof a === 'string') return { name: a };
    if (!isRecord(a) || typeof a.name !== 'string') return fail(origin, `attributes[${i}] needs a name`);
    return a.singleValue === true ? { name: a.name, singleValue: true } : { name: a.name };
  });
  const deprovisioning = isRecord(data.deprovisioning) ? data.deprovisioning : fail(origin, 'deprovisioning is required');
  const type: ServedTypeConfig = {
    objectType: data.objectType,
    anchor: anchor as string[],
    dn,
    attributes,
    deprovisioning: { disable: disableFlow(deprovisioning.disable, origin), delete: deleteFlow(deprovisioning.delete, origin) },
  };
  if (data.resourceType !== undefined) type.resourceType = resourceTypeOf(data.resourceType, origin);
  if (data.scimMapping !== undefined) {
    if (!isRecord(data.scimMapping) || !Object.values(data.scimMapping).every((v) => typeof v === 'string')) fail(origin, 'scimMapping must map SCIM paths to attribute names');
    type.scimMapping = data.scimMapping as Record<string, string>;
  }
  return type;
}

/**
 * Reads a configuration from its plain-data form (a connector file or an export), checking every
 * field and decrypting secrets. Throws `OpsError('invalid-config')` naming the field at fault and
 * `OpsError('wrong-host-key')` when a secret does not decrypt.
 */
export function connectorFromData(data: unknown, key: Buffer, origin: string): ConnectorInstanceConfig {
  if (!isRecord(data)) fail(origin, 'expected a mapping');
  const { name } = data;
  if (typeof name !== 'string') fail(origin, 'name is required');
  assertConnectorName(name);
  if (typeof data.package !== 'string' || data.package === '') fail(origin, 'package is required');
  if (typeof data.tokenHash !== 'string' || !isTokenHash(data.tokenHash)) fail(origin, 'tokenHash is missing (rotate the token with "ecmahost token rotate")');
  const first = servedTypeFromData(data, origin);
  const parameters: Record<string, ParameterValue> = {};
  if (data.parameters !== undefined && data.parameters !== null) {
    if (!isRecord(data.parameters)) fail(origin, 'parameters must be a mapping');
    for (const [param, value] of Object.entries(data.parameters)) {
      if (typeof value === 'boolean') parameters[param] = value;
      else if (typeof value === 'string') {
        parameters[param] = isEncrypted(value) ? new Secret(decryptValue(key, value, `parameter ${param} of connector ${name}`)) : value;
      } else if (typeof value === 'number') parameters[param] = String(value);
      else fail(origin, `parameter ${param} must be a string or a boolean`);
    }
  }
  const rp = isRecord(data.runProfiles) ? data.runProfiles : fail(origin, 'runProfiles is required');
  const exportProfile = isRecord(rp.export) ? rp.export : fail(origin, 'runProfiles.export is required');
  const fullImport = isRecord(rp.fullImport) ? rp.fullImport : fail(origin, 'runProfiles.fullImport is required');
  const runProfiles: ConnectorInstanceConfig['runProfiles'] = {
    export: { batchSize: positiveInt(exportProfile.batchSize, origin, 'runProfiles.export.batchSize') },
    fullImport: { pageSize: positiveInt(fullImport.pageSize, origin, 'runProfiles.fullImport.pageSize') },
  };
  // Absent in configurations of earlier versions: the runtime applies the default schedule.
  if (fullImport.everyHours !== undefined) runProfiles.fullImport.everyHours = positiveInt(fullImport.everyHours, origin, 'runProfiles.fullImport.everyHours');
  if (isRecord(rp.deltaImport)) runProfiles.deltaImport = { pageSize: positiveInt(rp.deltaImport.pageSize, origin, 'runProfiles.deltaImport.pageSize') };
  const config: ConnectorInstanceConfig = {
    name,
    package: data.package,
    autosyncMinutes: positiveInt(data.autosyncMinutes ?? 0, origin, 'autosyncMinutes'),
    tokenHash: data.tokenHash,
    parameters,
    ...first,
    runProfiles,
  };
  if (data.additionalTypes !== undefined) {
    if (!Array.isArray(data.additionalTypes)) fail(origin, 'additionalTypes must be a list');
    config.additionalTypes = data.additionalTypes.map((t: unknown, i: number) => servedTypeFromData(isRecord(t) ? t : fail(origin, `additionalTypes[${i}] must be a mapping`), `${origin} additionalTypes[${i}]`));
  }
  if (data.serveBeforeRefresh !== undefined) {
    if (typeof data.serveBeforeRefresh !== 'boolean') fail(origin, 'serveBeforeRefresh must be true or false');
    config.serveBeforeRefresh = data.serveBeforeRefresh;
  }
  return config;
}

/** Renders a connector file with a header saying what it is. */
export function renderConnectorYaml(config: ConnectorInstanceConfig, key: Buffer): string {
  const header =
    `# ecmahost connector instance "${config.name}": served at /ecma2host_${config.name}/scim.\n` +
    '# Change it with "ecmahost connector set" (or by hand) and reload; enc:v1:... values are\n' +
    '# encrypted under the host key, which is kept outside this file.\n';
  return header + stringify(connectorToData(config, key));
}

/** Parses a connector file. */
export function parseConnectorYaml(text: string, key: Buffer, origin: string): ConnectorInstanceConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) fail(origin, doc.errors[0]?.message ?? 'invalid YAML');
  return connectorFromData(doc.toJS(), key, origin);
}
