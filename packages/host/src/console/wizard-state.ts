import type { ConnectorDefinition, ParameterDefinition, ParameterPage, Schema } from '@ecmahost/sdk';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { additionalSchemaAnswersOf, fullImportHoursOf } from '../configure/build-config.js';
import type { SchemaAnswers } from '../configure/schema-choices.js';
import { DEFAULT_AUTOSYNC_MINUTES, DEFAULT_DELETE_FLOW, DEFAULT_DISABLE_FLOW, DEFAULT_FULL_IMPORT_HOURS, DEFAULT_PAGE_SIZE } from '../configure/defaults.js';
import { rawAnswerOf } from '../configure/parameter-pages.js';

/** A step of the connector wizard, in Microsoft's order (the SCIM mapping after the attributes). */
export type WizardStep =
  | { kind: 'properties' }
  | { kind: 'parameters'; page: ParameterPage; pageNumber: number }
  | { kind: 'objectTypes' }
  | { kind: 'attributes' }
  | { kind: 'scimMapping' }
  | { kind: 'deprovisioning' }
  | { kind: 'runProfiles' }
  | { kind: 'summary' };

/**
 * What the admin typed so far, kept on the server per session so Back and Next never lose a value
 * and secrets never travel back to the browser (nor sit in hidden fields). Defaults and rules are
 * `configure/`'s; this is only the form's memory.
 */
export interface WizardState {
  step: WizardStep;
  /** Steps behind the current one, for Back. */
  history: WizardStep[];
  /** Set when the wizard edits an existing connector: its name (fixed) and token hash (kept unless a token is typed). */
  editing?: { name: string; tokenHash: string };
  name: string;
  packageSpec: string;
  /** The connector chosen on Properties, loaded through the host's loader. */
  definition?: ConnectorDefinition;
  autosyncMinutes: string;
  /** The SCIM token the admin typed or generated; generated at Finish when empty (kept when editing). */
  token: string;
  /** Raw parameter values as typed, by parameter name (secrets included: server-side only). */
  raw: Record<string, string | boolean>;
  /** The definitions of each parameter page visited, by step key, for normalising at Finish. */
  pages: Map<string, readonly ParameterDefinition[]>;
  /** Messages shown next to fields (`_page` for the page as a whole). */
  errors: Record<string, string>;
  schema?: Schema;
  objectType?: string;
  anchor?: string[];
  dnMode: 'autogenerate' | 'attribute';
  dnAttribute?: string;
  /** Attribute name → treat as single value; absent names are not served. */
  attributes?: Map<string, boolean>;
  /** Core SCIM path → attribute; proposed when the SCIM mapping page is first shown. */
  scimMapping?: Record<string, string>;
  disable: string;
  disableInverted: boolean;
  /** The object type also served as SCIM Groups (with the defaults for a group type), if any. */
  groupObjectType?: string;
  /** The further object types of the configuration being edited, kept as they are unless the Groups choice changes. */
  additionalSchemas?: SchemaAnswers[];
  /** `none`, `delete` or `attribute:<name>` (set that attribute to {@link deleteValue}). */
  deleteFlow: string;
  /** The value the "set attribute value" delete flow writes. */
  deleteValue: string;
  importPageSize: string;
  /** Hours between scheduled full imports, as typed. */
  fullImportHours: string;
  deltaImport: boolean;
  deltaPageSize: string;
}

/** A fresh wizard at the Properties page with the configuration defaults. */
export function newWizard(): WizardState {
  return {
    step: { kind: 'properties' },
    history: [],
    name: '',
    packageSpec: '',
    autosyncMinutes: String(DEFAULT_AUTOSYNC_MINUTES),
    token: '',
    raw: {},
    pages: new Map(),
    errors: {},
    dnMode: 'autogenerate',
    disable: DEFAULT_DISABLE_FLOW.action,
    disableInverted: false,
    deleteFlow: DEFAULT_DELETE_FLOW.action,
    deleteValue: '',
    importPageSize: String(DEFAULT_PAGE_SIZE),
    fullImportHours: String(DEFAULT_FULL_IMPORT_HOURS),
    deltaImport: true,
    deltaPageSize: String(DEFAULT_PAGE_SIZE),
  };
}

/**
 * A wizard that edits a stored connector: every page pre-filled with its values. Secrets sit in
 * the server-side state only; their fields stay empty and an empty field keeps them.
 */
export function editWizard(config: ConnectorInstanceConfig, definition: ConnectorDefinition): WizardState {
  const state = newWizard();
  state.editing = { name: config.name, tokenHash: config.tokenHash };
  state.name = config.name;
  state.packageSpec = config.package;
  state.definition = definition;
  state.autosyncMinutes = String(config.autosyncMinutes);
  for (const [name, value] of Object.entries(config.parameters)) {
    const raw = rawAnswerOf(value);
    if (raw !== undefined) state.raw[name] = raw;
  }
  state.objectType = config.objectType;
  state.anchor = [...config.anchor];
  if ('attribute' in config.dn) {
    state.dnMode = 'attribute';
    state.dnAttribute = config.dn.attribute;
  }
  state.attributes = new Map(config.attributes.map((a) => [a.name, a.singleValue === true]));
  state.scimMapping = { ...config.scimMapping };
  const disable = config.deprovisioning.disable;
  state.disable = disable.action === 'attribute' ? `attribute:${disable.attribute}` : disable.action;
  state.disableInverted = disable.action === 'attribute' && disable.activeValue === false;
  state.additionalSchemas = additionalSchemaAnswersOf(config);
  const group = config.additionalTypes?.find((t) => t.resourceType === 'Group');
  if (group !== undefined) state.groupObjectType = group.objectType;
  const deleteFlow = config.deprovisioning.delete;
  state.deleteFlow = deleteFlow.action === 'attribute' ? `attribute:${deleteFlow.attribute}` : deleteFlow.action;
  if (deleteFlow.action === 'attribute') state.deleteValue = deleteFlow.value;
  state.importPageSize = String(config.runProfiles.fullImport.pageSize);
  state.fullImportHours = String(fullImportHoursOf(config.runProfiles));
  state.deltaImport = config.runProfiles.deltaImport !== undefined;
  if (config.runProfiles.deltaImport !== undefined) state.deltaPageSize = String(config.runProfiles.deltaImport.pageSize);
  return state;
}

/** A stable key of a step (the map key of its parameter definitions). */
export function stepKey(step: WizardStep): string {
  return step.kind === 'parameters' ? `parameters:${step.page}:${step.pageNumber}` : step.kind;
}

const PAGE_TITLES: Record<ParameterPage, string> = {
  capabilities: 'Capabilities',
  connectivity: 'Connectivity',
  schema: 'Schema',
  global: 'Global',
  partition: 'Partitions',
  runStep: 'Run step',
};

/** The title of a step, as the wizard's heading shows it. */
export function stepTitle(step: WizardStep): string {
  switch (step.kind) {
    case 'properties':
      return 'Properties';
    case 'parameters':
      return step.page === 'schema' ? `Schema ${step.pageNumber}` : step.pageNumber > 1 ? `${PAGE_TITLES[step.page]} ${step.pageNumber}` : PAGE_TITLES[step.page];
    case 'objectTypes':
      return 'Object Types';
    case 'attributes':
      return 'Select Attributes';
    case 'scimMapping':
      return 'SCIM Mapping';
    case 'deprovisioning':
      return 'Deprovisioning';
    case 'runProfiles':
      return 'Run Profiles';
    case 'summary':
      return 'Finish';
  }
}
