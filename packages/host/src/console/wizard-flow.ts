import { PARAMETER_PAGES, checkParameterValues, holdsValue, normalizeParameterValues } from '@ecmahost/sdk';
import type { ConnectorDefinition, ParameterDefinition, ParameterValue, Schema } from '@ecmahost/sdk';
import { MIN_TOKEN_LENGTH, generateToken, hashToken } from '../auth/token.js';
import type { ConnectorInstanceConfig, SelectedAttribute } from '../config/connector-config.js';
import { withInstance } from '../plugins/connector-loading.js';
import { checkboxMarkerName, parameterFieldName } from './pages/parameter-field.js';
import type { WizardState, WizardStep } from './wizard-state.js';
import { stepKey } from './wizard-state.js';

// A connector computing pages may return a series that never ends; the CLI uses the same bound.
const MAX_PAGES_PER_SECTION = 20;

/** A posted form: field name → value (the last one when repeated). */
export type FormFields = Record<string, string | File | (string | File)[]>;

/** The string value of a form field. */
export function field(form: FormFields, name: string): string | undefined {
  const value = form[name];
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof one === 'string' ? one : undefined;
}

/** Every string value of a repeated form field. */
export function fields(form: FormFields, name: string): string[] {
  const value = form[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
}

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
    if (defs !== undefined) Object.assign(values, normalizeParameterValues(defs, state.raw));
  }
  return values;
}

/** The values of every parameter page visited so far (history and the current step). */
export function valuesSoFar(state: WizardState): Record<string, ParameterValue> {
  return valuesOf(state, [...state.history, state.step]);
}

/**
 * The parameter page after `from` (or the first one), skipping pages without parameters and ending
 * a series at its first empty page, as Microsoft's wizard asks the connector; `undefined` when the
 * connector's own pages are done. Definitions are asked with the values given so far, so pages can
 * depend on earlier answers.
 */
export async function nextParameterStep(
  definition: ConnectorDefinition,
  from: { page: (typeof PARAMETER_PAGES)[number]; pageNumber: number } | undefined,
  values: Record<string, ParameterValue>,
): Promise<{ step: WizardStep; defs: readonly ParameterDefinition[] } | undefined> {
  if (from !== undefined && from.pageNumber < MAX_PAGES_PER_SECTION) {
    const defs = await definition.getParameters({ page: from.page, pageNumber: from.pageNumber + 1, values });
    if (defs.length > 0) return { step: { kind: 'parameters', page: from.page, pageNumber: from.pageNumber + 1 }, defs };
  }
  const start = from === undefined ? 0 : PARAMETER_PAGES.indexOf(from.page) + 1;
  for (const page of PARAMETER_PAGES.slice(start)) {
    const defs = await definition.getParameters({ page, pageNumber: 1, values });
    if (defs.length > 0) return { step: { kind: 'parameters', page, pageNumber: 1 }, defs };
  }
  return undefined;
}

/**
 * Checks a parameter page as the wizard's Next does: the SDK's declarative rules first, then the
 * connector's own `validate`. Returns messages by parameter name (`_page` for page-wide ones).
 */
export async function checkParameterPage(definition: ConnectorDefinition, step: Extract<WizardStep, { kind: 'parameters' }>, defs: readonly ParameterDefinition[], state: WizardState): Promise<Record<string, string>> {
  const pageValues = normalizeParameterValues(defs, state.raw);
  let issues = checkParameterValues(defs, pageValues);
  if (issues.length === 0) issues = await definition.validate({ page: step.page, pageNumber: step.pageNumber, values: { ...valuesSoFar(state), ...pageValues } });
  const errors: Record<string, string> = {};
  const names = new Set(defs.map((d) => d.name));
  for (const issue of issues) {
    const key = issue.parameter !== undefined && names.has(issue.parameter) ? issue.parameter : '_page';
    const text = key === '_page' && issue.parameter !== undefined ? `${issue.parameter}: ${issue.message}` : issue.message;
    errors[key] = errors[key] === undefined ? text : `${errors[key]} ${text}`;
  }
  return errors;
}

/** Opens the connector with the values given, tests the connection and discovers its schema. */
export async function discoverSchema(definition: ConnectorDefinition, values: Record<string, ParameterValue>): Promise<Schema> {
  return withInstance(definition, values, async (instance) => {
    await instance.testConnection();
    return instance.getSchema();
  });
}

/** Checks the Properties page; returns messages by field. */
export function checkProperties(state: WizardState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(state.name)) errors.name = 'Use 1 to 64 letters, digits, "_" or "-": the name becomes the URL segment ecma2host_<name>.';
  if (state.packageSpec === '') errors.package = 'Choose the connector package.';
  if (!/^\d+$/.test(state.autosyncMinutes)) errors.autosync = 'A whole number of minutes (0 turns autosync off).';
  if (state.token !== '' && state.token.length < MIN_TOKEN_LENGTH) errors.token = `The token must be at least ${MIN_TOKEN_LENGTH} characters (Entra's rule for secret tokens).`;
  return errors;
}

function count(text: string, min: number): number | undefined {
  return /^\d+$/.test(text) && Number(text) >= min ? Number(text) : undefined;
}

/** Checks the Run Profiles page; returns messages by field. */
export function checkRunProfiles(state: WizardState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (count(state.exportBatchSize, 1) === undefined) errors.exportBatchSize = 'A whole number of at least 1.';
  if (count(state.importPageSize, 1) === undefined) errors.importPageSize = 'A whole number of at least 1.';
  if (state.deltaImport && count(state.deltaPageSize, 1) === undefined) errors.deltaPageSize = 'A whole number of at least 1.';
  return errors;
}

/**
 * The configuration the wizard describes, as the CLI's `connector add` builds it, and the token
 * to show once (generated when the admin left the field empty).
 */
export function buildConfig(state: WizardState): { config: ConnectorInstanceConfig; token: string; generated: boolean } {
  const definition = state.definition;
  if (definition === undefined || state.objectType === undefined || state.anchor === undefined || state.attributes === undefined) {
    throw new Error('the wizard is incomplete: go back to the steps before Finish.');
  }
  // Only the pages on the path the admin took: a page seen before a Back that changed an earlier
  // answer (another dialect, say) is not part of the configuration.
  const parameters = valuesOf(state, state.history);
  const generated = state.token === '';
  const token = generated ? generateToken() : state.token;
  const attributes: SelectedAttribute[] = [...state.attributes].map(([name, singleValue]) => (singleValue ? { name, singleValue: true } : { name }));
  if (!attributes.some((a) => a.name === state.anchor)) attributes.unshift({ name: state.anchor });
  const disable: ConnectorInstanceConfig['deprovisioning']['disable'] =
    state.disable === 'none' || state.disable === 'delete'
      ? { action: state.disable }
      : state.disableInverted
        ? { action: 'attribute', attribute: state.disable.slice('attribute:'.length), activeValue: false }
        : { action: 'attribute', attribute: state.disable.slice('attribute:'.length) };
  const runProfiles: ConnectorInstanceConfig['runProfiles'] = {
    export: { batchSize: Number(state.exportBatchSize) },
    fullImport: { pageSize: Number(state.importPageSize) },
  };
  if (state.deltaImport && definition.capabilities(parameters).deltaImport) runProfiles.deltaImport = { pageSize: Number(state.deltaPageSize) };
  const config: ConnectorInstanceConfig = {
    name: state.name,
    package: state.packageSpec,
    autosyncMinutes: Number(state.autosyncMinutes),
    tokenHash: hashToken(token),
    parameters,
    objectType: state.objectType,
    anchor: [state.anchor],
    dn: state.dnMode === 'attribute' && state.dnAttribute !== undefined ? { attribute: state.dnAttribute } : { autogenerate: true },
    attributes,
    deprovisioning: { disable, delete: { action: state.deleteFlow } },
    runProfiles,
  };
  return { config, token, generated };
}
