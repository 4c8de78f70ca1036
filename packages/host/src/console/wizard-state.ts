import type { ConnectorDefinition, ParameterDefinition, ParameterPage, Schema } from '@ecmahost/sdk';

/** A step of the connector wizard, in Microsoft's order. */
export type WizardStep =
  | { kind: 'properties' }
  | { kind: 'parameters'; page: ParameterPage; pageNumber: number }
  | { kind: 'objectTypes' }
  | { kind: 'attributes' }
  | { kind: 'deprovisioning' }
  | { kind: 'runProfiles' }
  | { kind: 'summary' };

/**
 * What the admin typed so far, kept on the server per session so Back and Next never lose a value
 * and secrets never travel back to the browser (nor sit in hidden fields).
 */
export interface WizardState {
  step: WizardStep;
  /** Steps behind the current one, for Back. */
  history: WizardStep[];
  name: string;
  packageSpec: string;
  /** The connector chosen on Properties, loaded through the host's loader. */
  definition?: ConnectorDefinition;
  autosyncMinutes: string;
  /** The SCIM token the admin typed or generated; generated at Finish when empty. */
  token: string;
  /** Raw parameter values as typed, by parameter name (secrets included: server-side only). */
  raw: Record<string, string | boolean>;
  /** The definitions of each parameter page visited, by step key, for normalising at Finish. */
  pages: Map<string, readonly ParameterDefinition[]>;
  /** Messages shown next to fields (`_page` for the page as a whole). */
  errors: Record<string, string>;
  schema?: Schema;
  objectType?: string;
  anchor?: string;
  dnMode: 'autogenerate' | 'attribute';
  dnAttribute?: string;
  /** Attribute name → treat as single value; absent names are not served. */
  attributes?: Map<string, boolean>;
  disable: string;
  disableInverted: boolean;
  deleteFlow: 'none' | 'delete';
  exportBatchSize: string;
  importPageSize: string;
  deltaImport: boolean;
  deltaPageSize: string;
}

/** A fresh wizard at the Properties page with Microsoft's defaults. */
export function newWizard(): WizardState {
  return {
    step: { kind: 'properties' },
    history: [],
    name: '',
    packageSpec: '',
    autosyncMinutes: '120',
    token: '',
    raw: {},
    pages: new Map(),
    errors: {},
    dnMode: 'autogenerate',
    disable: 'none',
    disableInverted: false,
    deleteFlow: 'delete',
    exportBatchSize: '100',
    importPageSize: '5000',
    deltaImport: true,
    deltaPageSize: '5000',
  };
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
    case 'deprovisioning':
      return 'Deprovisioning';
    case 'runProfiles':
      return 'Run Profiles';
    case 'summary':
      return 'Finish';
  }
}
