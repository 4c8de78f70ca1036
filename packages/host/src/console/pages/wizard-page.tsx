import { isSecret } from '@ecmahost/sdk';
import type { ObjectTypeDefinition, ParameterDefinition, ParameterValue } from '@ecmahost/sdk';
import { SCIM_MAPPING_TARGETS, disableFlowAttributes } from '../../configure/schema-choices.js';
import type { PluginReport } from '../../plugins/find-plugins.js';
import { Csrf, FieldError, Layout } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { WizardState } from '../wizard-state.js';
import { stepTitle } from '../wizard-state.js';
import { ParameterField } from './parameter-field.js';
import { Shown, visibleText } from '../visible-text.js';

/** What a wizard page shows besides the state. */
export interface WizardView {
  /** The current parameter page's definitions (parameter steps only). */
  defs?: readonly ParameterDefinition[];
  /** Installed connector packages (Properties only). */
  plugins?: readonly PluginReport[];
  /** The parameter values of the pages on the path taken (Finish only). */
  values?: Readonly<Record<string, ParameterValue>>;
  /** Whether the connector supports delta import with these values (Run Profiles only). */
  deltaSupported?: boolean;
  /** The attributes served, anchors first (SCIM Mapping only). */
  served?: readonly string[];
}

function AutosyncField(props: { state: WizardState }) {
  const error = props.state.errors.autosync;
  return (
    <div class="field">
      <label for="autosync">Autosync timer (minutes)</label>
      <p class="help">Minutes between automatic imports; 0 turns autosync off.</p>
      <input type="number" id="autosync" name="autosync" min="0" value={props.state.autosyncMinutes} class={error ? 'invalid' : undefined} />
      <FieldError id="autosync" message={error} />
    </div>
  );
}

function Properties(props: { state: WizardState; plugins: readonly PluginReport[] }) {
  const { state } = props;
  const e = state.errors;
  if (state.editing !== undefined) {
    return (
      <>
        <dl>
          <dt>Name</dt>
          <dd id="name">
            <Shown text={state.name} />
          </dd>
          <dt>Connector</dt>
          <dd id="package">{state.packageSpec}</dd>
        </dl>
        <AutosyncField state={state} />
        <div class="field">
          <label for="token">Secret token</label>
          <p class="help">Leave empty to keep the current token (rotate it on the connector page to get a new one shown).</p>
          <input type="password" id="token" name="token" value="" placeholder="unchanged" autocomplete="new-password" class={e.token ? 'invalid' : undefined} />
          <FieldError id="token" message={e.token} />
        </div>
      </>
    );
  }
  return (
    <>
      <div class="field">
        <label for="name">Name</label>
        <p class="help">Becomes the tenant URL segment: /ecma2host_&lt;name&gt;/scim (case-sensitive).</p>
        <input type="text" id="name" name="name" value={state.name} class={e.name ? 'invalid' : undefined} autocomplete="off" />
        <FieldError id="name" message={e.name} />
      </div>
      <div class="field">
        <label for="package">Connector</label>
        <p class="help">Connector packages installed next to the host (as "ecmahost plugins list" shows them).</p>
        <select id="package" name="package" class={e.package ? 'invalid' : undefined}>
          <option value="">Choose a connector…</option>
          {props.plugins.map((p) => (
            <option value={p.name} selected={p.name === state.packageSpec} disabled={p.problem !== undefined}>
              {visibleText(`${p.name}@${p.version}${p.problem === undefined ? '' : ` (not loadable: ${p.problem})`}`)}
            </option>
          ))}
        </select>
        <FieldError id="package" message={e.package} />
      </div>
      <AutosyncField state={state} />
      <div class="field">
        <label for="token">Secret token</label>
        <p class="help">What Entra sends as the bearer token. Leave empty to have one generated at Finish (shown once); the host keeps only its hash.</p>
        <input type="password" id="token" name="token" value="" placeholder={state.token === '' ? '' : 'unchanged'} autocomplete="new-password" class={e.token ? 'invalid' : undefined} />{' '}
        <button type="button" class="secondary" data-generate-token="token" hidden>
          Generate
        </button>
        <FieldError id="token" message={e.token} />
      </div>
    </>
  );
}

function ObjectTypes(props: { state: WizardState; type: ObjectTypeDefinition | undefined }) {
  const { state, type } = props;
  const types = state.schema?.objectTypes ?? [];
  const single = type?.attributes.filter((a) => !a.multiValued) ?? [];
  return (
    <>
      <div class="field">
        <label for="objectType">Target object type (served as SCIM Users)</label>
        <select id="objectType" name="objectType">
          {types.map((t) => (
            <option value={t.name} selected={t.name === state.objectType}>
              {visibleText(t.name)}
            </option>
          ))}
        </select>
        {types.length > 1 ? <p class="help">Changing the type and pressing Next shows that type's attributes.</p> : null}
      </div>
      {types.length > 1 ? (
        <div class="field">
          <label for="groupObjectType">Object type also served as SCIM Groups</label>
          <select id="groupObjectType" name="groupObjectType">
            <option value="" selected={state.groupObjectType === undefined}>
              (none)
            </option>
            {types
              .filter((t) => t.name !== state.objectType)
              .map((t) => (
                <option value={t.name} selected={t.name === state.groupObjectType}>
                  {visibleText(t.name)}
                </option>
              ))}
          </select>
          <p class="help">Served at /Groups with its anchor, its attributes, displayName and members mapped as proposed; change them later in the connector file or through /admin.</p>
        </div>
      ) : null}
      <fieldset class="field">
        <legend>Anchor</legend>
        <p class="help">The attribute(s) that identify an object for good; the SCIM id is derived from their values.</p>
        {single.map((a) => (
          <label>
            <input type="checkbox" name="anchor" value={a.name} id={`anchor-${a.name}`} checked={state.anchor?.includes(a.name) === true} /> <Shown text={`${a.name} (${a.type})`} />
          </label>
        ))}
        <FieldError id="anchor" message={state.errors.anchor} />
      </fieldset>
      <fieldset class="field">
        <legend>DN</legend>
        <label>
          <input type="radio" name="dnMode" value="autogenerate" checked={state.dnMode === 'autogenerate'} /> Autogenerated (CN=&lt;anchor&gt;,OBJECT=&lt;type&gt;)
        </label>
        <label>
          <input type="radio" name="dnMode" value="attribute" checked={state.dnMode === 'attribute'} /> From an attribute:
        </label>
        <select name="dnAttribute" aria-label="DN attribute">
          {single.map((a) => (
            <option value={a.name} selected={a.name === state.dnAttribute}>
              {visibleText(a.name)}
            </option>
          ))}
        </select>
        <FieldError id="dn" message={state.errors.dn} />
      </fieldset>
    </>
  );
}

function Attributes(props: { state: WizardState; type: ObjectTypeDefinition | undefined }) {
  const { state, type } = props;
  const chosen = state.attributes;
  return (
    <>
      <p class="help">Only the attributes chosen here are imported, cached and exported. The anchor is always served. Hidden (operational) and binary attributes are not preselected.</p>
      <table>
        <thead>
          <tr>
            <th>Serve</th>
            <th>Attribute</th>
            <th>Type</th>
            <th>Treat as single value</th>
          </tr>
        </thead>
        <tbody>
          {(type?.attributes ?? []).map((a) => {
            const anchor = state.anchor?.includes(a.name) === true;
            return (
              <tr>
                <td>
                  <input type="checkbox" name="attr" value={a.name} id={`attr-${a.name}`} checked={anchor || chosen?.has(a.name) === true} disabled={anchor} />
                  {anchor ? <input type="hidden" name="attr" value={a.name} /> : null}
                </td>
                <td>
                  <label for={`attr-${a.name}`} class="inline">
                    <Shown text={a.name} />
                  </label>
                  {anchor ? ' (anchor)' : ''}
                </td>
                <td>{`${a.type}${a.multiValued ? ', multi-valued' : ''}${a.operation && a.operation !== 'importExport' ? `, ${a.operation}` : ''}`}</td>
                <td>{a.multiValued ? <input type="checkbox" name="single" value={a.name} checked={chosen?.get(a.name) === true} aria-label={`treat ${a.name} as single value`} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FieldError id="attributes" message={state.errors.attributes} />
    </>
  );
}

function ScimMapping(props: { state: WizardState; served: readonly string[] }) {
  const { state } = props;
  const mapping = state.scimMapping ?? {};
  return (
    <>
      <p class="help">
        Which served attribute Entra's core SCIM attributes read and write. userName is Entra's usual matching attribute. Every served attribute stays reachable as
        urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:&lt;attribute&gt;.
      </p>
      {SCIM_MAPPING_TARGETS.map((target, i) => (
        <div class="field">
          <label for={`scim-${i}`}>{target.label}</label>
          <select id={`scim-${i}`} name={`scim-${i}`} data-scim-path={target.path}>
            <option value="" selected={mapping[target.path] === undefined}>
              (not mapped)
            </option>
            {props.served.map((name) => (
              <option value={name} selected={mapping[target.path] === name}>
                {visibleText(name)}
              </option>
            ))}
          </select>
        </div>
      ))}
      <FieldError id="scimMapping" message={state.errors.scimMapping} />
    </>
  );
}

function Deprovisioning(props: { state: WizardState; type: ObjectTypeDefinition | undefined }) {
  const { state, type } = props;
  const flags = type === undefined ? [] : disableFlowAttributes(type);
  return (
    <>
      <div class="field">
        <label for="disable">Disable flow (when Entra sets active = false)</label>
        <select id="disable" name="disable">
          <option value="none" selected={state.disable === 'none'}>
            None
          </option>
          <option value="delete" selected={state.disable === 'delete'}>
            Delete
          </option>
          {flags.map((a) => (
            <option value={`attribute:${a.name}`} selected={state.disable === `attribute:${a.name}`}>
              {visibleText(`Set attribute value: ${a.name}`)}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" name="disableInverted" value="true" checked={state.disableInverted} /> The attribute holds true for a disabled user (an "AccountDisabled" flag)
        </label>
        <FieldError id="disable" message={state.errors.disable} />
      </div>
      <div class="field">
        <label for="deleteFlow">Delete flow (when Entra deletes the user)</label>
        <select id="deleteFlow" name="deleteFlow">
          <option value="delete" selected={state.deleteFlow === 'delete'}>
            Delete
          </option>
          <option value="none" selected={state.deleteFlow === 'none'}>
            None
          </option>
          {[...(state.attributes?.keys() ?? [])].map((name) => (
            <option value={`attribute:${name}`} selected={state.deleteFlow === `attribute:${name}`}>
              {visibleText(`Set attribute value: ${name}`)}
            </option>
          ))}
        </select>
        <label for="deleteValue">Value the delete flow sets (with "Set attribute value")</label>
        <input id="deleteValue" name="deleteValue" value={state.deleteValue} />
      </div>
    </>
  );
}

function RunProfiles(props: { state: WizardState; deltaSupported: boolean }) {
  const { state } = props;
  const e = state.errors;
  return (
    <>
      <div class="field">
        <label for="importPageSize">Full import: page size</label>
        <input type="number" min="1" id="importPageSize" name="importPageSize" value={state.importPageSize} class={e.importPageSize ? 'invalid' : undefined} />
        <FieldError id="importPageSize" message={e.importPageSize} />
      </div>
      <div class="field">
        <label for="fullImportHours">Full import schedule (hours)</label>
        <p class="help">Hours between scheduled full imports, the only imports that see objects deleted in the target; 0 = never.</p>
        <input type="number" min="0" id="fullImportHours" name="fullImportHours" value={state.fullImportHours} class={e.fullImportHours ? 'invalid' : undefined} />
        <FieldError id="fullImportHours" message={e.fullImportHours} />
      </div>
      {props.deltaSupported ? (
        <div class="field">
          <label>
            <input type="checkbox" name="deltaImport" value="true" checked={state.deltaImport} /> Delta import
          </label>
          <label for="deltaPageSize">Delta import: page size</label>
          <input type="number" min="1" id="deltaPageSize" name="deltaPageSize" value={state.deltaPageSize} class={e.deltaPageSize ? 'invalid' : undefined} />
          <FieldError id="deltaPageSize" message={e.deltaPageSize} />
        </div>
      ) : (
        <p class="help">This connector offers no delta import with these settings: autosync runs full imports.</p>
      )}
    </>
  );
}

function Summary(props: { state: WizardState; values: Readonly<Record<string, ParameterValue>> }) {
  const { state } = props;
  const shown = Object.entries(props.values).filter(([, v]) => v !== '');
  return (
    <>
      <dl>
        <dt>Name</dt>
        <dd>
          <Shown text={state.name} />
        </dd>
        <dt>Connector</dt>
        <dd>{state.packageSpec}</dd>
        <dt>Autosync</dt>
        <dd>{state.autosyncMinutes === '0' ? 'off' : `every ${state.autosyncMinutes} minutes`}</dd>
        <dt>Secret token</dt>
        <dd>{state.token !== '' ? 'as typed (not shown)' : state.editing === undefined ? 'generated at Finish, shown once' : 'unchanged'}</dd>
        {shown.map(([name, value]) => (
          <>
            <dt>
              <Shown text={name} />
            </dt>
            <dd class="mono">{isSecret(value) ? '(set, encrypted when saved)' : <Shown text={String(value)} />}</dd>
          </>
        ))}
        <dt>Object type</dt>
        <dd>{state.objectType}</dd>
        <dt>Served as SCIM Groups</dt>
        <dd>{state.groupObjectType ?? 'none'}</dd>
        <dt>Anchor</dt>
        <dd>{(state.anchor ?? []).join(', ')}</dd>
        <dt>DN</dt>
        <dd>{state.dnMode === 'attribute' ? `attribute ${state.dnAttribute ?? ''}` : 'autogenerated'}</dd>
        <dt>Attributes</dt>
        <dd>{[...(state.attributes ?? new Map<string, boolean>())].map(([n, s]) => (s ? `${n} (single value)` : n)).join(', ')}</dd>
        <dt>SCIM mapping</dt>
        <dd>{Object.entries(state.scimMapping ?? {}).map(([path, attribute]) => `${path} → ${attribute}`).join(', ') || 'none'}</dd>
        <dt>Disable flow</dt>
        <dd>{state.disable + (state.disableInverted ? ' (inverted)' : '')}</dd>
        <dt>Delete flow</dt>
        <dd>{state.deleteFlow}</dd>
        <dt>Run profiles</dt>
        <dd>{`full import pages of ${state.importPageSize}${state.deltaImport ? `, delta import pages of ${state.deltaPageSize}` : ''}`}</dd>
        <dt>Full import schedule</dt>
        <dd>{state.fullImportHours === '0' ? 'never' : `every ${state.fullImportHours} hours`}</dd>
      </dl>
    </>
  );
}

/** One page of the connector wizard. */
export function WizardPage(props: { ctx: PageContext; state: WizardState; view: WizardView; titles: string[] }) {
  const { state, view } = props;
  const step = state.step;
  const title = stepTitle(step);
  const type = state.schema?.objectTypes.find((t) => t.name === state.objectType);
  let body;
  switch (step.kind) {
    case 'properties':
      body = <Properties state={state} plugins={view.plugins ?? []} />;
      break;
    case 'parameters':
      body = (view.defs ?? []).map((def) => <ParameterField def={def} value={state.raw[def.name]} error={state.errors[def.name]} />);
      break;
    case 'objectTypes':
      body = <ObjectTypes state={state} type={type} />;
      break;
    case 'attributes':
      body = <Attributes state={state} type={type} />;
      break;
    case 'scimMapping':
      body = <ScimMapping state={state} served={view.served ?? []} />;
      break;
    case 'deprovisioning':
      body = <Deprovisioning state={state} type={type} />;
      break;
    case 'runProfiles':
      body = <RunProfiles state={state} deltaSupported={view.deltaSupported ?? false} />;
      break;
    case 'summary':
      body = <Summary state={state} values={view.values ?? {}} />;
      break;
  }
  return (
    <Layout title={state.editing === undefined ? `New connector: ${title}` : `Edit connector ${state.editing.name}: ${title}`} ctx={props.ctx}>
      <ol class="steps" aria-label="wizard steps">
        {props.titles.map((t, i) => (
          <li class={i === props.titles.length - 1 ? 'current' : undefined}>{t}</li>
        ))}
      </ol>
      {state.errors._page !== undefined ? (
        <div class="failure" role="alert" id="page-error">
          {state.errors._page}
        </div>
      ) : null}
      <form method="post" action="/console/wizard" class="card" id="wizard-form">
        <Csrf token={props.ctx.csrf} />
        {body}
        <div class="actions">
          <button type="submit" name="nav" value={step.kind === 'summary' ? 'finish' : 'next'} id="next">
            {step.kind === 'summary' ? 'Finish' : 'Next'}
          </button>
          {state.history.length > 0 ? (
            <button type="submit" name="nav" value="back" class="secondary" id="back">
              Back
            </button>
          ) : null}
          <button type="submit" name="nav" value="cancel" class="secondary" id="cancel">
            Cancel
          </button>
        </div>
      </form>
    </Layout>
  );
}
