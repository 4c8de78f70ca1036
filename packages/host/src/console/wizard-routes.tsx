import type { Context } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './console-routes.js';
import { formOf, pageContext, tenantUrl } from './request-helpers.js';
import { ConnectorCreatedPage } from './pages/connector-page.js';
import { WizardPage } from './pages/wizard-page.js';
import type { WizardView } from './pages/wizard-page.js';
import type { FormFields } from './wizard-flow.js';
import { buildConfig, checkParameterPage, checkProperties, checkRunProfiles, discoverSchema, field, fields, keepParameterInput, nextParameterStep, valuesOf, valuesSoFar } from './wizard-flow.js';
import type { WizardState, WizardStep } from './wizard-state.js';
import { newWizard, stepKey, stepTitle } from './wizard-state.js';

function wizardOf(c: Context<ConsoleEnv>): WizardState {
  const session = c.get('session');
  session.wizard ??= newWizard();
  return session.wizard;
}

/** Renders the wizard's current step. */
export async function renderWizard(c: Context<ConsoleEnv>, deps: ConsoleDeps): Promise<Response> {
  const state = wizardOf(c);
  const view: WizardView = {};
  const step = state.step;
  if (step.kind === 'properties') view.plugins = await deps.findPlugins();
  if (step.kind === 'parameters') view.defs = state.pages.get(stepKey(step)) ?? [];
  if (step.kind === 'summary') view.values = valuesOf(state, state.history);
  if (step.kind === 'runProfiles' && state.definition) view.deltaSupported = state.definition.capabilities(valuesOf(state, state.history)).deltaImport;
  const titles = [...state.history, step].map(stepTitle);
  const status = Object.keys(state.errors).length > 0 ? 400 : 200;
  return c.html(<WizardPage ctx={pageContext(c)} state={state} view={view} titles={titles} />, status);
}

/** Keeps what was typed on the current step, whatever button was pressed. */
function keepInput(state: WizardState, form: FormFields): void {
  const step = state.step;
  switch (step.kind) {
    case 'properties': {
      state.name = (field(form, 'name') ?? state.name).trim();
      state.autosyncMinutes = (field(form, 'autosync') ?? state.autosyncMinutes).trim();
      const token = field(form, 'token') ?? '';
      if (token !== '') state.token = token;
      const spec = field(form, 'package') ?? state.packageSpec;
      if (spec !== state.packageSpec) {
        // Another connector: its parameters and schema are another story.
        state.packageSpec = spec;
        delete state.definition;
        state.raw = {};
        state.pages.clear();
        delete state.schema;
      }
      break;
    }
    case 'parameters':
      keepParameterInput(state, state.pages.get(stepKey(step)) ?? [], form);
      break;
    case 'objectTypes': {
      const type = field(form, 'objectType');
      if (type !== undefined && type !== state.objectType) {
        state.objectType = type;
        delete state.attributes;
        const anchor = state.schema?.objectTypes.find((t) => t.name === type)?.anchors[0];
        if (anchor === undefined) delete state.anchor;
        else state.anchor = anchor;
      } else {
        const anchor = field(form, 'anchor');
        if (anchor !== undefined) state.anchor = anchor;
      }
      state.dnMode = field(form, 'dnMode') === 'attribute' ? 'attribute' : 'autogenerate';
      const dnAttribute = field(form, 'dnAttribute');
      if (dnAttribute !== undefined) state.dnAttribute = dnAttribute;
      break;
    }
    case 'attributes': {
      const single = new Set(fields(form, 'single'));
      state.attributes = new Map(fields(form, 'attr').map((name) => [name, single.has(name)]));
      break;
    }
    case 'deprovisioning':
      state.disable = field(form, 'disable') ?? state.disable;
      state.disableInverted = field(form, 'disableInverted') === 'true';
      state.deleteFlow = field(form, 'deleteFlow') === 'none' ? 'none' : 'delete';
      break;
    case 'runProfiles':
      state.exportBatchSize = (field(form, 'exportBatchSize') ?? state.exportBatchSize).trim();
      state.importPageSize = (field(form, 'importPageSize') ?? state.importPageSize).trim();
      state.deltaPageSize = (field(form, 'deltaPageSize') ?? state.deltaPageSize).trim();
      state.deltaImport = field(form, 'deltaImport') === 'true';
      break;
    case 'summary':
      break;
  }
}

/** Leaves the connector's own pages: discovers the schema and picks the defaults of Object Types. */
async function enterObjectTypes(state: WizardState): Promise<Record<string, string> | WizardStep> {
  if (state.definition === undefined) return { _page: 'Choose the connector on the Properties page first.' };
  try {
    state.schema = await discoverSchema(state.definition, valuesSoFar(state));
  } catch (error) {
    return { _page: `Schema discovery failed: ${(error as Error).message}` };
  }
  const types = state.schema.objectTypes;
  if (types.length === 0) return { _page: 'Schema discovery found no object types: check the schema pages.' };
  const type = types.find((t) => t.name === state.objectType) ?? types[0];
  if (type === undefined) return { _page: 'Schema discovery found no object types.' };
  if (type.name !== state.objectType) {
    state.objectType = type.name;
    delete state.attributes;
    const anchor = type.anchors[0] ?? type.attributes.find((a) => !a.multiValued)?.name;
    if (anchor === undefined) delete state.anchor;
    else state.anchor = anchor;
  }
  return { kind: 'objectTypes' };
}

/** Checks the current step and finds the next; messages by field when the step is not done. */
async function advance(state: WizardState, deps: ConsoleDeps, typeBefore: string | undefined): Promise<Record<string, string> | WizardStep> {
  const step = state.step;
  switch (step.kind) {
    case 'properties': {
      const errors = checkProperties(state);
      if (errors.name === undefined && ((await deps.store.hasConnector(state.name)) || deps.host.connectorNames().includes(state.name))) {
        errors.name = `A connector named ${state.name} exists already.`;
      }
      if (errors.package === undefined && state.definition === undefined) {
        // Only the installed packages offered in the list: the form must not load any module path.
        const offered = (await deps.findPlugins()).find((p) => p.name === state.packageSpec);
        if (offered === undefined) errors.package = `${state.packageSpec} is not an installed connector package.`;
        else if (offered.problem !== undefined) errors.package = `${state.packageSpec} cannot be loaded: ${offered.problem}`;
      }
      if (errors.package === undefined && state.definition === undefined) {
        try {
          state.definition = await deps.loadConnector(state.packageSpec);
        } catch (error) {
          errors.package = (error as Error).message;
        }
      }
      // A refused token is not kept: the field never shows it, so it could not be corrected.
      if (errors.token !== undefined) state.token = '';
      if (Object.keys(errors).length > 0 || state.definition === undefined) return errors;
      const next = await nextParameterStep(state.definition, undefined, {});
      if (next === undefined) return enterObjectTypes(state);
      state.pages.set(stepKey(next.step), next.defs);
      return next.step;
    }
    case 'parameters': {
      const definition = state.definition;
      if (definition === undefined) return { _page: 'Choose the connector on the Properties page first.' };
      const defs = state.pages.get(stepKey(step)) ?? [];
      const errors = await checkParameterPage(definition, step, defs, state);
      if (Object.keys(errors).length > 0) return errors;
      const next = await nextParameterStep(definition, step, valuesSoFar(state));
      if (next === undefined) return enterObjectTypes(state);
      state.pages.set(stepKey(next.step), next.defs);
      return next.step;
    }
    case 'objectTypes': {
      const type = state.schema?.objectTypes.find((t) => t.name === state.objectType);
      if (type === undefined) return { _page: 'Choose an object type.' };
      // A new type shows its own attributes first: the same page again.
      if (typeBefore !== state.objectType) return { kind: 'objectTypes' };
      const single = type.attributes.filter((a) => !a.multiValued).map((a) => a.name);
      const errors: Record<string, string> = {};
      if (state.anchor === undefined || !single.includes(state.anchor)) errors.anchor = `Choose a single-valued attribute of ${type.name}.`;
      if (state.dnMode === 'attribute' && (state.dnAttribute === undefined || !single.includes(state.dnAttribute))) errors.dn = `Choose a single-valued attribute of ${type.name} for the DN.`;
      return Object.keys(errors).length > 0 ? errors : { kind: 'attributes' };
    }
    case 'attributes': {
      const type = state.schema?.objectTypes.find((t) => t.name === state.objectType);
      const known = new Set(type?.attributes.map((a) => a.name) ?? []);
      const unknown = [...(state.attributes?.keys() ?? [])].filter((a) => !known.has(a));
      if (unknown.length > 0) return { attributes: `${state.objectType ?? ''} has no attribute ${unknown.join(', ')}.` };
      return { kind: 'deprovisioning' };
    }
    case 'deprovisioning': {
      if (state.disable.startsWith('attribute:')) {
        const name = state.disable.slice('attribute:'.length);
        const type = state.schema?.objectTypes.find((t) => t.name === state.objectType);
        if (!type?.attributes.some((a) => a.name === name)) return { disable: `${state.objectType ?? ''} has no attribute ${name}.` };
      } else if (state.disable !== 'none' && state.disable !== 'delete') return { disable: 'Choose a disable flow.' };
      return { kind: 'runProfiles' };
    }
    case 'runProfiles': {
      const errors = checkRunProfiles(state);
      return Object.keys(errors).length > 0 ? errors : { kind: 'summary' };
    }
    case 'summary':
      return { kind: 'summary' };
  }
}

function isStep(value: Record<string, string> | WizardStep): value is WizardStep {
  return typeof (value as { kind?: unknown }).kind === 'string';
}

/** Handles the wizard's buttons: Next, Back, Cancel and Finish. */
export async function handleWizardPost(c: Context<ConsoleEnv>, deps: ConsoleDeps): Promise<Response> {
  const state = wizardOf(c);
  const form = await formOf(c);
  const nav = field(form, 'nav');
  const typeBefore = state.objectType;
  keepInput(state, form);
  state.errors = {};
  if (nav === 'cancel') {
    delete c.get('session').wizard;
    return c.redirect('/console', 303);
  }
  if (nav === 'back') {
    state.step = state.history.pop() ?? { kind: 'properties' };
    return c.redirect('/console/wizard', 303);
  }
  if (nav === 'finish' && state.step.kind === 'summary') return finish(c, deps, state);
  let next: Record<string, string> | WizardStep;
  try {
    next = await advance(state, deps, typeBefore);
  } catch (error) {
    // A connector whose page definitions or validation throw: say so on the page, keep what was typed.
    next = { _page: `${state.definition?.displayName ?? 'The connector'} failed: ${(error as Error).message}` };
  }
  if (!isStep(next)) {
    state.errors = next;
    return renderWizard(c, deps);
  }
  if (stepKey(next) !== stepKey(state.step)) {
    state.history.push(state.step);
    state.step = next;
  }
  return c.redirect('/console/wizard', 303);
}

async function finish(c: Context<ConsoleEnv>, deps: ConsoleDeps, state: WizardState): Promise<Response> {
  let built;
  try {
    built = buildConfig(state);
  } catch (error) {
    state.errors = { _page: (error as Error).message };
    return renderWizard(c, deps);
  }
  const { config, token, generated } = built;
  if ((await deps.store.hasConnector(config.name)) || deps.host.connectorNames().includes(config.name)) {
    state.errors = { _page: `A connector named ${config.name} exists already: go back to Properties and choose another name.` };
    return renderWizard(c, deps);
  }
  // The same file "ecmahost connector add" writes; then the running host serves it at once.
  await deps.store.writeConnector(config);
  delete c.get('session').wizard;
  const url = await tenantUrl(c, deps.store, config.name);
  let problem: string | undefined;
  try {
    await deps.host.addConnector(config);
  } catch (error) {
    problem = `Saved, but the running host could not start it: ${(error as Error).message}. It starts with the host next time.`;
  }
  return c.html(<ConnectorCreatedPage ctx={pageContext(c)} name={config.name} tenantUrl={url} token={generated ? token : undefined} {...(problem === undefined ? {} : { problem })} />);
}
