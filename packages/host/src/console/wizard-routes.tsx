import type { Context } from 'hono';
import { testAndDiscover } from '../configure/connection-test.js';
import { SCIM_MAPPING_TARGETS, proposeScimMapping, servedAttributes } from '../configure/schema-choices.js';
import type { ConsoleDeps, ConsoleEnv, FormFields } from './console-env.js';
import { field, fields } from './console-env.js';
import { formOf, pageContext, tenantUrl } from './request-helpers.js';
import { ConnectorCreatedPage } from './pages/connector-page.js';
import { WizardPage } from './pages/wizard-page.js';
import type { WizardView } from './pages/wizard-page.js';
import { buildConfig, checkParameterStep, checkProperties, checkRunProfiles, chooseType, keepParameterInput, nextParameterStep, schemaAnswersOfState, schemaErrors, valuesOf, valuesSoFar } from './wizard-flow.js';
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
  if (step.kind === 'scimMapping') view.served = servedAttributes(schemaAnswersOfState(state)).map((a) => a.name);
  const titles = [...state.history, step].map(stepTitle);
  const status = Object.keys(state.errors).length > 0 ? 400 : 200;
  return c.html(<WizardPage ctx={pageContext(c)} state={state} view={view} titles={titles} />, status);
}

/** Keeps what was typed on the current step, whatever button was pressed. */
function keepInput(state: WizardState, form: FormFields): void {
  const step = state.step;
  switch (step.kind) {
    case 'properties': {
      // An edited connector keeps its name and package: they are its URL and its code.
      if (state.editing !== undefined) {
        state.autosyncMinutes = (field(form, 'autosync') ?? state.autosyncMinutes).trim();
        const token = field(form, 'token') ?? '';
        if (token !== '') state.token = token;
        break;
      }
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
      const group = field(form, 'groupObjectType');
      if (group !== undefined && group !== '') state.groupObjectType = group;
      else if (group !== undefined) delete state.groupObjectType;
      const type = field(form, 'objectType');
      if (type !== undefined && type !== state.objectType) {
        chooseType(state, type);
        break;
      }
      state.anchor = fields(form, 'anchor');
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
    case 'scimMapping': {
      const mapping: Record<string, string> = {};
      SCIM_MAPPING_TARGETS.forEach((target, i) => {
        const attribute = field(form, `scim-${i}`);
        if (attribute !== undefined && attribute !== '') mapping[target.path] = attribute;
      });
      // Paths set outside the console (`--scim` flags) have no field: they stay as they were.
      for (const [path, attribute] of Object.entries(state.scimMapping ?? {})) {
        if (!SCIM_MAPPING_TARGETS.some((t) => t.path === path)) mapping[path] = attribute;
      }
      state.scimMapping = mapping;
      break;
    }
    case 'deprovisioning':
      state.disable = field(form, 'disable') ?? state.disable;
      state.disableInverted = field(form, 'disableInverted') === 'true';
      state.deleteFlow = field(form, 'deleteFlow') ?? state.deleteFlow;
      state.deleteValue = field(form, 'deleteValue') ?? state.deleteValue;
      break;
    case 'runProfiles':
      state.importPageSize = (field(form, 'importPageSize') ?? state.importPageSize).trim();
      state.fullImportHours = (field(form, 'fullImportHours') ?? state.fullImportHours).trim();
      state.deltaPageSize = (field(form, 'deltaPageSize') ?? state.deltaPageSize).trim();
      state.deltaImport = field(form, 'deltaImport') === 'true';
      break;
    case 'summary':
      break;
  }
}

/** Leaves the connector's own pages: tests the connection, discovers the schema, keeps or picks the object type. */
async function enterObjectTypes(state: WizardState): Promise<Record<string, string> | WizardStep> {
  if (state.definition === undefined) return { _page: 'Choose the connector on the Properties page first.' };
  try {
    state.schema = await testAndDiscover(state.definition, valuesSoFar(state));
  } catch (error) {
    return { _page: `Connection test or schema discovery failed: ${(error as Error).message}` };
  }
  const types = state.schema.objectTypes;
  const type = types.find((t) => t.name === state.objectType) ?? types[0];
  if (type === undefined) return { _page: 'Schema discovery found no object types: check the schema pages.' };
  if (type.name !== state.objectType) chooseType(state, type.name);
  return { kind: 'objectTypes' };
}

/** Enters the SCIM mapping: proposed from the served attributes the first time, pruned of attributes no longer served. */
function enterScimMapping(state: WizardState): WizardStep {
  const type = state.schema?.objectTypes.find((t) => t.name === state.objectType);
  const answers = schemaAnswersOfState(state);
  if (state.scimMapping === undefined) {
    if (type !== undefined) state.scimMapping = proposeScimMapping(type, answers.anchor, answers.attributes);
  } else {
    const served = new Set(servedAttributes(answers).map((a) => a.name));
    state.scimMapping = Object.fromEntries(Object.entries(state.scimMapping).filter(([, attribute]) => served.has(attribute)));
  }
  return { kind: 'scimMapping' };
}

async function nameTaken(deps: ConsoleDeps, name: string): Promise<boolean> {
  return (await deps.store.hasConnector(name)) || deps.host.connectorNames().includes(name);
}

function orNext(errors: Record<string, string>, next: WizardStep): Record<string, string> | WizardStep {
  return Object.keys(errors).length > 0 ? errors : next;
}

/** Checks the current step and finds the next; messages by field when the step is not done. */
async function advance(state: WizardState, deps: ConsoleDeps, typeBefore: string | undefined): Promise<Record<string, string> | WizardStep> {
  const step = state.step;
  switch (step.kind) {
    case 'properties': {
      const errors = checkProperties(state);
      if (state.editing === undefined && errors.name === undefined && (await nameTaken(deps, state.name))) errors.name = `A connector named ${state.name} exists already.`;
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
      const next = await nextParameterStep(state.definition, state, undefined);
      if (next === undefined) return enterObjectTypes(state);
      state.pages.set(stepKey(next.step), next.defs);
      return next.step;
    }
    case 'parameters': {
      const definition = state.definition;
      if (definition === undefined) return { _page: 'Choose the connector on the Properties page first.' };
      const defs = state.pages.get(stepKey(step)) ?? [];
      const errors = await checkParameterStep(definition, step, defs, state);
      if (Object.keys(errors).length > 0) return errors;
      const next = await nextParameterStep(definition, state, step);
      if (next === undefined) return enterObjectTypes(state);
      state.pages.set(stepKey(next.step), next.defs);
      return next.step;
    }
    case 'objectTypes':
      if (state.schema?.objectTypes.some((t) => t.name === state.objectType) !== true) return { _page: 'Choose an object type.' };
      // A new type shows its own attributes first: the same page again.
      if (typeBefore !== state.objectType) return { kind: 'objectTypes' };
      return orNext(schemaErrors(state, ['anchor', 'dn']), { kind: 'attributes' });
    case 'attributes': {
      const errors = schemaErrors(state, ['attributes']);
      return Object.keys(errors).length > 0 ? errors : enterScimMapping(state);
    }
    case 'scimMapping':
      return orNext(schemaErrors(state, ['scimMapping']), { kind: 'deprovisioning' });
    case 'deprovisioning':
      return orNext(schemaErrors(state, ['disable']), { kind: 'runProfiles' });
    case 'runProfiles':
      return orNext(checkRunProfiles(state), { kind: 'summary' });
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
    return c.redirect(state.editing === undefined ? '/console' : `/console/connectors/${encodeURIComponent(state.editing.name)}`, 303);
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
  const refuse = (message: string): Promise<Response> => {
    state.errors = { _page: message };
    return renderWizard(c, deps);
  };
  let built;
  try {
    built = buildConfig(state);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const problems = Object.values(schemaErrors(state));
  if (problems.length > 0) return refuse(problems.join(' '));
  const { config, token } = built;
  if (state.editing !== undefined) {
    // The running instance is replaced only once the new configuration opens; if it does not, the
    // old one keeps serving and nothing is saved.
    try {
      if (deps.host.connectorNames().includes(config.name)) await deps.host.replaceConnector(config);
      else await deps.host.addConnector(config);
    } catch (error) {
      return refuse(`The change was not saved: the connector did not start with it (${(error as Error).message}). ${config.name} keeps running as it was.`);
    }
    await deps.store.writeConnector(config);
    deps.audit.record({ actor: 'admin', action: 'connector.edit', connector: config.name, result: 'ok' });
    delete c.get('session').wizard;
    c.get('session').flash = `Saved the changes to ${config.name}; the running host serves them.`;
    return c.redirect(`/console/connectors/${encodeURIComponent(config.name)}`, 303);
  }
  if (await nameTaken(deps, config.name)) return refuse(`A connector named ${config.name} exists already: go back to Properties and choose another name.`);
  // The same file "ecmahost connector add" writes; then the running host serves it at once.
  await deps.store.writeConnector(config);
  deps.audit.record({ actor: 'admin', action: 'connector.add', connector: config.name, result: 'ok' });
  delete c.get('session').wizard;
  const url = await tenantUrl(c, deps.store, config.name);
  let problem: string | undefined;
  try {
    await deps.host.addConnector(config);
  } catch (error) {
    problem = `Saved, but the running host could not start it: ${(error as Error).message}. It starts with the host next time.`;
  }
  return c.html(<ConnectorCreatedPage ctx={pageContext(c)} name={config.name} tenantUrl={url} token={token} {...(problem === undefined ? {} : { problem })} />);
}
