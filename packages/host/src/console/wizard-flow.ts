import { holdsValue } from '@ecmahost/sdk';
import type { ConnectorDefinition, ParameterDefinition, ParameterValue } from '@ecmahost/sdk';
import { MIN_TOKEN_LENGTH, generateToken, hashToken } from '../auth/token.js';
import type { ConnectorInstanceConfig, DeleteFlow, DisableFlow } from '../config/connector-config.js';
import { buildConnectorConfig } from '../configure/build-config.js';
import type { RunProfileAnswers } from '../configure/build-config.js';
import { connectorNameProblem } from '../configure/connector-name.js';
import { checkParameterPage, nextParameterPage, pageValues } from '../configure/parameter-pages.js';
import type { ParameterStep } from '../configure/parameter-pages.js';
import type { SchemaAnswers, SchemaIssue } from '../configure/schema-choices.js';
import { checkSchemaAnswers, defaultSchemaAnswers } from '../configure/schema-choices.js';
import type { FormFields } from './console-env.js';
import { field } from './console-env.js';
import { checkboxMarkerName, parameterFieldName } from './pages/parameter-field.js';
import type { WizardState, WizardStep } from './wizard-state.js';
import { stepKey } from './wizard-state.js';

/**
 * Keeps what was typed on a parameter page, valid or not (Back keeps it too). An empty secret
 * field keeps the value given before: the page never shows it, so empty means "unchanged".
 */
export function keepParameterInput(state: WizardState, defs: readonly ParameterDefinition[], form: FormFields): void {
  for (const def of defs) {
    if (!holdsValue(def)) continue;
    const name = parameterFieldName(def.name);
    if (def.type === 'checkbox') {
      if (field(form, checkboxMarkerName(def.name)) !== undefined) state.raw[def.name] = field(form, name) === 'true';
      continue;
    }
    const value = field(form, name);
    if (value === undefined) continue;
    if (def.type === 'encryptedString' && value === '') continue;
    state.raw[def.name] = value;
  }
}

/** The normalised values of the given parameter pages (visited before the current one, and it). */
export function valuesOf(state: WizardState, steps: readonly WizardStep[]): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = {};
  for (const step of steps) {
    const defs = state.pages.get(stepKey(step));
    if (defs !== undefined) Object.assign(values, pageValues(defs, state.raw));
  }
  return values;
}

/** The values of every parameter page visited so far (history and the current step). */
export function valuesSoFar(state: WizardState): Record<string, ParameterValue> {
  return valuesOf(state, [...state.history, state.step]);
}

/**
 * The parameter page after `from` (or the first one), as `configure/` sequences them (the same
 * series rules as the CLI, repeated names included); `undefined` when the connector's pages are done.
 */
export async function nextParameterStep(definition: ConnectorDefinition, state: WizardState, from: ParameterStep | undefined): Promise<{ step: WizardStep; defs: readonly ParameterDefinition[] } | undefined> {
  const path = from === undefined ? [] : [...state.history, state.step];
  const asked = new Set(path.flatMap((step) => state.pages.get(stepKey(step)) ?? []).map((d) => d.name));
  const next = await nextParameterPage(definition, from, from === undefined ? {} : valuesSoFar(state), asked);
  return next === undefined ? undefined : { step: { kind: 'parameters', ...next.step }, defs: next.defs };
}

/**
 * Checks a parameter page as the wizard's Next does (`configure/`'s check). Returns messages by
 * parameter name (`_page` for page-wide ones and those naming a parameter of another page).
 */
export async function checkParameterStep(definition: ConnectorDefinition, step: Extract<WizardStep, { kind: 'parameters' }>, defs: readonly ParameterDefinition[], state: WizardState): Promise<Record<string, string>> {
  const before = valuesOf(state, state.history);
  const { issues } = await checkParameterPage(definition, { step: { page: step.page, pageNumber: step.pageNumber }, defs }, state.raw, before);
  const errors: Record<string, string> = {};
  const names = new Set(defs.map((d) => d.name));
  for (const issue of issues) {
    const key = issue.parameter !== undefined && names.has(issue.parameter) ? issue.parameter : '_page';
    const text = key === '_page' && issue.parameter !== undefined ? `${issue.parameter}: ${issue.message}` : issue.message;
    errors[key] = errors[key] === undefined ? text : `${errors[key]} ${text}`;
  }
  return errors;
}

/** Checks the Properties page; returns messages by field. */
export function checkProperties(state: WizardState): Record<string, string> {
  const errors: Record<string, string> = {};
  const nameProblem = connectorNameProblem(state.name);
  if (nameProblem !== undefined) errors.name = nameProblem;
  if (state.packageSpec === '') errors.package = 'Choose the connector package.';
  if (!/^\d+$/.test(state.autosyncMinutes)) errors.autosync = 'A whole number of minutes (0 turns autosync off).';
  if (state.token !== '' && state.token.length < MIN_TOKEN_LENGTH) errors.token = `The token must be at least ${MIN_TOKEN_LENGTH} characters (Entra accepts 12, but a token this host stores must resist guessing: docs/admin/security.md).`;
  return errors;
}

/** Starts the schema pages of a type with `configure/`'s defaults: anchor, preselection, proposed mapping, flows. */
export function chooseType(state: WizardState, typeName: string): void {
  const type = state.schema?.objectTypes.find((t) => t.name === typeName);
  state.objectType = typeName;
  if (type === undefined) return;
  const defaults = defaultSchemaAnswers(type);
  state.anchor = defaults.anchor;
  state.attributes = new Map(defaults.attributes.map((a) => [a.name, a.singleValue === true]));
  delete state.scimMapping;
  state.dnMode = 'autogenerate';
  delete state.dnAttribute;
}

function disableFlowOf(state: WizardState): DisableFlow {
  if (state.disable === 'none' || state.disable === 'delete') return { action: state.disable };
  const attribute = state.disable.slice('attribute:'.length);
  return state.disableInverted ? { action: 'attribute', attribute, activeValue: false } : { action: 'attribute', attribute };
}

function deleteFlowOf(state: WizardState): DeleteFlow {
  if (state.deleteFlow.startsWith('attribute:')) return { action: 'attribute', attribute: state.deleteFlow.slice('attribute:'.length), value: state.deleteValue };
  return { action: state.deleteFlow === 'none' ? 'none' : 'delete' };
}

/**
 * The further object types: the edited configuration's, with its Groups type replaced by the one
 * chosen on the Object Types page (kept as it was when unchanged, else the defaults for a group type).
 */
function additionalSchemasOfState(state: WizardState): SchemaAnswers[] {
  const kept = state.additionalSchemas ?? [];
  const others = kept.filter((a) => a.resourceType !== 'Group');
  const chosen = state.groupObjectType;
  if (chosen === undefined || chosen === state.objectType) return others;
  const type = state.schema?.objectTypes.find((t) => t.name === chosen);
  if (type === undefined) return others;
  return [...others, kept.find((a) => a.resourceType === 'Group' && a.objectType === chosen) ?? defaultSchemaAnswers(type, 'Group')];
}

/** The schema answers the wizard holds, as `configure/` takes them. */
export function schemaAnswersOfState(state: WizardState): SchemaAnswers {
  return {
    objectType: state.objectType ?? '',
    anchor: state.anchor ?? [],
    dn: state.dnMode === 'attribute' && state.dnAttribute !== undefined ? { attribute: state.dnAttribute } : { autogenerate: true },
    attributes: [...(state.attributes ?? new Map<string, boolean>())].map(([name, singleValue]) => (singleValue ? { name, singleValue: true } : { name })),
    scimMapping: state.scimMapping ?? {},
    deprovisioning: { disable: disableFlowOf(state), delete: deleteFlowOf(state) },
  };
}

/** `configure/`'s schema issues as messages by form field. */
export function schemaErrors(state: WizardState, only?: readonly SchemaIssue['field'][]): Record<string, string> {
  if (state.schema === undefined) return { _page: 'Schema discovery has not run: go back to the connector\'s pages.' };
  const errors: Record<string, string> = {};
  for (const issue of checkSchemaAnswers(state.schema, schemaAnswersOfState(state))) {
    if (only !== undefined && !only.includes(issue.field)) continue;
    const key = issue.field === 'objectType' ? '_page' : issue.field;
    errors[key] = errors[key] === undefined ? issue.message : `${errors[key]} ${issue.message}`;
  }
  return errors;
}

function count(text: string, min: number): number | undefined {
  return /^\d+$/.test(text) && Number(text) >= min ? Number(text) : undefined;
}

/** Checks the Run Profiles page; returns messages by field. */
export function checkRunProfiles(state: WizardState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (count(state.importPageSize, 1) === undefined) errors.importPageSize = 'A whole number of at least 1.';
  if (count(state.fullImportHours, 0) === undefined) errors.fullImportHours = 'A whole number of hours (0 = never).';
  if (state.deltaImport && count(state.deltaPageSize, 1) === undefined) errors.deltaPageSize = 'A whole number of at least 1.';
  return errors;
}

/**
 * The configuration the wizard describes, built by `configure/` as for the CLI, and the token to
 * show once (generated when the admin left the field empty on a new connector; an edit keeps the
 * stored token unless one was typed).
 */
export function buildConfig(state: WizardState): { config: ConnectorInstanceConfig; token: string | undefined } {
  const definition = state.definition;
  if (definition === undefined || state.objectType === undefined || state.anchor === undefined || state.attributes === undefined) {
    throw new Error('the wizard is incomplete: go back to the steps before Finish.');
  }
  // Only the pages on the path the admin took: a page seen before a Back that changed an earlier
  // answer (another dialect, say) is not part of the configuration.
  const parameters = valuesOf(state, state.history);
  const typed = state.token === '' ? undefined : state.token;
  const token = typed ?? (state.editing === undefined ? generateToken() : undefined);
  const runProfiles: RunProfileAnswers = { fullPageSize: Number(state.importPageSize), fullImportHours: Number(state.fullImportHours) };
  if (state.deltaImport) runProfiles.deltaPageSize = Number(state.deltaPageSize);
  const config = buildConnectorConfig({
    name: state.name,
    package: state.packageSpec,
    autosyncMinutes: Number(state.autosyncMinutes),
    tokenHash: token === undefined ? (state.editing?.tokenHash ?? '') : hashToken(token),
    parameters,
    schema: schemaAnswersOfState(state),
    additionalSchemas: additionalSchemasOfState(state),
    runProfiles,
    deltaSupported: definition.capabilities(parameters).deltaImport === true,
  });
  return { config, token: typed === undefined ? token : undefined };
}
