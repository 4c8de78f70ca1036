import { shownParameters } from '../../configure/shown-parameters.js';
import { stringify } from 'yaml';
import type { ConnectorInstanceConfig } from '../../config/connector-config.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { additionalSchemaAnswersOf, buildConnectorConfig, runProfileAnswersOf, schemaAnswersOf } from '../../configure/build-config.js';
import { testAndDiscover } from '../../configure/connection-test.js';
import { loadDefinition, normalizePackageSpec } from '../../plugins/connector-loading.js';
import type { ConnectorFlags } from '../connector-options.js';
import { chooseSchema, parseCount, parsePairs, runProfilesFrom } from '../connector-options.js';
import { notifyHost } from '../notify-host.js';
import { recordCliAction } from './audit.js';
import { collectParameters } from '../parameter-pages.js';

function describeDisable(config: ConnectorInstanceConfig): string {
  const flow = config.deprovisioning.disable;
  return flow.action === 'attribute' ? `set ${flow.attribute}${flow.activeValue === false ? ' (inverted)' : ''}` : flow.action;
}

/** `ecmahost connector list`. */
export async function connectorListCommand(ctx: CliContext, store: Store): Promise<void> {
  const connectors = await store.listConnectors();
  if (connectors.length === 0) {
    say(ctx, 'No connectors. Add one with "ecmahost connector add <Name> --package <package> ...".');
    return;
  }
  const rows = connectors.map((c) => [c.name, c.package, c.objectType, c.anchor.join('+'), c.autosyncMinutes === 0 ? 'off' : `${c.autosyncMinutes} min`, `/ecma2host_${c.name}/scim`]);
  const header = ['NAME', 'PACKAGE', 'OBJECT TYPE', 'ANCHOR', 'AUTOSYNC', 'SCIM PATH'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) say(ctx, row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

/** `ecmahost connector show <name>`: the configuration, secrets masked, the token as "set". */
export async function connectorShowCommand(ctx: CliContext, store: Store, name: string): Promise<void> {
  const config = await store.readConnector(name);
  const parameters = shownParameters(config.parameters);
  const { tokenHash: _hash, ...rest } = config;
  say(ctx, stringify({ ...rest, token: 'set (only its hash is stored; "ecmahost token rotate" makes a new one)', parameters, deprovisioning: { disable: describeDisable(config), delete: config.deprovisioning.delete.action } }).trimEnd());
}

/** `ecmahost connector remove <name>`. */
export async function connectorRemoveCommand(ctx: CliContext, store: Store, name: string): Promise<void> {
  await store.removeConnector(name);
  await recordCliAction(ctx, store.paths.root, { action: 'connector.remove', connector: name, result: 'ok' });
  say(ctx, `Removed connector ${name}.`);
  await notifyHost(ctx, store);
}

/**
 * `ecmahost connector set <name>`: changes some settings. The changed configuration goes through
 * the same checks as `connector add` before anything is saved: parameter pages validated again,
 * the connection tested and the schema discovered with the new values, the schema choices checked
 * against it. A refused change leaves the file and the running host as they were.
 */
export async function connectorSetCommand(ctx: CliContext, store: Store, name: string, flags: ConnectorFlags): Promise<void> {
  const current = await store.readConnector(name);
  const spec = flags.package === undefined ? current.package : normalizePackageSpec(flags.package, ctx.cwd);
  const definition = await loadDefinition(spec, store.paths.root);
  const given = { ...current.parameters, ...parsePairs(flags.param, '--param') };
  const parameters = await collectParameters(definition, { given });
  const schema = await testAndDiscover(definition, parameters);
  const choices = await chooseSchema(schema, flags, undefined, schemaAnswersOf(current));
  const next = buildConnectorConfig({
    name,
    package: spec,
    autosyncMinutes: parseCount(flags.autosync, '--autosync') ?? current.autosyncMinutes,
    tokenHash: current.tokenHash,
    parameters,
    schema: choices,
    // The object types served beside the top-level one are changed in the file or through /admin.
    additionalSchemas: additionalSchemaAnswersOf(current),
    runProfiles: runProfilesFrom(flags, runProfileAnswersOf(current.runProfiles)),
    deltaSupported: definition.capabilities(parameters).deltaImport === true,
  });
  await store.writeConnector(next);
  await recordCliAction(ctx, store.paths.root, { action: 'connector.edit', connector: name, result: 'ok' });
  say(ctx, `Updated connector ${name}.`);
  await notifyHost(ctx, store);
}
