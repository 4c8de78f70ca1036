import type { ParameterValue } from '@ecmahost/sdk';
import type { ConnectorInstanceConfig, RunProfiles, ServedTypeConfig } from '../config/connector-config.js';
import { DEFAULT_FULL_IMPORT_HOURS, LEGACY_EXPORT_PROFILE } from './defaults.js';
import type { SchemaAnswers } from './schema-choices.js';
import { servedAttributes } from './schema-choices.js';

/** Import page sizes and the full import schedule as answered; `deltaPageSize` absent turns delta imports off. */
export interface RunProfileAnswers {
  fullPageSize: number;
  deltaPageSize?: number;
  /** Hours between scheduled full imports (0 = never); absent: {@link DEFAULT_FULL_IMPORT_HOURS}. */
  fullImportHours?: number;
}

/** Every answer a configuration is built from, whichever front-end collected it. */
export interface ConfigurationAnswers {
  name: string;
  package: string;
  autosyncMinutes: number;
  tokenHash: string;
  parameters: Record<string, ParameterValue>;
  schema: SchemaAnswers;
  runProfiles: RunProfileAnswers;
  /** Whether the connector offers delta import with these parameters (its capabilities). */
  deltaSupported: boolean;
  /** The object types served beside `schema` (Groups...), each as its own answers. */
  additionalSchemas?: SchemaAnswers[];
}

/** The stored run profiles; delta import only where the connector supports it. */
export function buildRunProfiles(answers: RunProfileAnswers, deltaSupported: boolean): RunProfiles {
  const profiles: RunProfiles = { export: { ...LEGACY_EXPORT_PROFILE }, fullImport: { pageSize: answers.fullPageSize, everyHours: answers.fullImportHours ?? DEFAULT_FULL_IMPORT_HOURS } };
  if (deltaSupported && answers.deltaPageSize !== undefined) profiles.deltaImport = { pageSize: answers.deltaPageSize };
  return profiles;
}

/** The run profile answers a stored configuration holds (to start an edit from). */
export function runProfileAnswersOf(profiles: RunProfiles): RunProfileAnswers {
  const answers: RunProfileAnswers = { fullPageSize: profiles.fullImport.pageSize, fullImportHours: fullImportHoursOf(profiles) };
  if (profiles.deltaImport !== undefined) answers.deltaPageSize = profiles.deltaImport.pageSize;
  return answers;
}

/** Hours between scheduled full imports of stored run profiles: the default where they name none. */
export function fullImportHoursOf(profiles: RunProfiles): number {
  return profiles.fullImport.everyHours ?? DEFAULT_FULL_IMPORT_HOURS;
}

/** The schema answers a stored configuration holds. */
export function schemaAnswersOf(config: ServedTypeConfig): SchemaAnswers {
  const answers: SchemaAnswers = { objectType: config.objectType, anchor: [...config.anchor], dn: config.dn, attributes: config.attributes.map((a) => ({ ...a })), scimMapping: { ...config.scimMapping }, deprovisioning: config.deprovisioning };
  if (config.resourceType !== undefined) answers.resourceType = config.resourceType;
  return answers;
}

/** The answers of each object type a stored configuration serves beside its top-level one. */
export function additionalSchemaAnswersOf(config: ConnectorInstanceConfig): SchemaAnswers[] {
  return (config.additionalTypes ?? []).map(schemaAnswersOf);
}

/** One served type as stored, from its answers (see {@link buildConnectorConfig}). */
export function servedTypeOf(schema: SchemaAnswers): ServedTypeConfig {
  const type: ServedTypeConfig = {
    objectType: schema.objectType,
    anchor: [...schema.anchor],
    dn: 'attribute' in schema.dn ? { attribute: schema.dn.attribute } : { autogenerate: true },
    attributes: servedAttributes(schema),
    deprovisioning: { disable: { ...schema.deprovisioning.disable }, delete: { ...schema.deprovisioning.delete } },
  };
  if (schema.resourceType !== undefined && schema.resourceType !== 'User') type.resourceType = schema.resourceType;
  if (Object.keys(schema.scimMapping).length > 0) type.scimMapping = { ...schema.scimMapping };
  return type;
}

/**
 * The stored configuration: the same file whichever front-end built it. Anchors are always served
 * (first, in anchor order), attributes keep the order chosen, the disable flow's attribute is
 * served, and an empty SCIM mapping is left out.
 */
export function buildConnectorConfig(answers: ConfigurationAnswers): ConnectorInstanceConfig {
  const config: ConnectorInstanceConfig = {
    name: answers.name,
    package: answers.package,
    autosyncMinutes: answers.autosyncMinutes,
    tokenHash: answers.tokenHash,
    parameters: answers.parameters,
    ...servedTypeOf(answers.schema),
    runProfiles: buildRunProfiles(answers.runProfiles, answers.deltaSupported),
  };
  if (answers.additionalSchemas !== undefined && answers.additionalSchemas.length > 0) config.additionalTypes = answers.additionalSchemas.map(servedTypeOf);
  return config;
}
