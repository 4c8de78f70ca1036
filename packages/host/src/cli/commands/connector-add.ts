import { generateToken, hashToken } from '../../auth/token.js';
import { buildConnectorConfig } from '../../configure/build-config.js';
import { testAndDiscover } from '../../configure/connection-test.js';
import { assertConnectorName } from '../../configure/connector-name.js';
import { DEFAULT_AUTOSYNC_MINUTES, DEFAULT_FULL_IMPORT_HOURS } from '../../configure/defaults.js';
import { OpsError } from '../../store/errors.js';
import { initStore, isInitialized, openStore } from '../../store/store.js';
import type { Store } from '../../store/store.js';
import { installConnector } from '../../plugins/install.js';
import { pluginFolder } from '../../plugins/npm.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { loadDefinition, normalizePackageSpec } from '../../plugins/connector-loading.js';
import type { ConnectorFlags } from '../connector-options.js';
import { chooseGroupSchema, chooseSchema, parseCount, parsePairs, runProfilesFrom } from '../connector-options.js';
import { notifyHost } from '../notify-host.js';
import { recordCliAction } from './audit.js';
import { collectParameters } from '../parameter-pages.js';
import { checkToken, printTokenOnce } from './token.js';

const wholeNumber = (unit: string) => (value: string): string | undefined => (/^\d+$/.test(value) ? undefined : `a whole number of ${unit}`);

/**
 * `ecmahost connector add <name>`: Microsoft's wizard as a command. Loads the connector, walks its
 * parameter pages (from flags; on a TTY, asking what is missing and re-asking what fails
 * validation), tests the connection and discovers the schema, chooses object type, anchor,
 * attributes, DN, SCIM mapping and deprovisioning, then saves the instance and prints its SCIM
 * token once.
 */
export async function connectorAddCommand(ctx: CliContext, store: Store, name: string, flags: ConnectorFlags): Promise<void> {
  assertConnectorName(name);
  if (await store.hasConnector(name)) throw new OpsError('connector-exists', `a connector named "${name}" exists already; change it with "ecmahost connector set ${name}" or remove it first.`);
  const { prompter } = ctx;
  let spec = flags.package;
  if (spec === undefined) {
    if (!prompter) throw new OpsError('invalid-argument', '--package is required (an installed connector package name or a path to a connector module).');
    spec = await prompter.text('Connector package (installed package name or path)', { validate: (v) => (v.trim() === '' ? 'required' : undefined) });
  }
  spec = normalizePackageSpec(spec, ctx.cwd);
  const definition = await loadDefinition(spec, store.paths.root);
  prompter?.note(`${definition.displayName} ${definition.version} (${definition.name})`);
  const given = parsePairs(flags.param, '--param');
  const parameters = await collectParameters(definition, prompter ? { given, prompter } : { given });
  const schema = await testAndDiscover(definition, parameters);
  const choices = await chooseSchema(schema, flags, prompter);
  const groups = await chooseGroupSchema(schema, flags, prompter, choices.objectType);
  let autosync = parseCount(flags.autosync, '--autosync');
  const runProfiles = runProfilesFrom(flags);
  // The two schedules are one question: a schedule flag answers it, and the other keeps its default.
  if (autosync === undefined && flags.fullImportHours === undefined && prompter) {
    autosync = Number(await prompter.text('Autosync timer (minutes between imports, delta when possible; 0 = off)', { initial: String(DEFAULT_AUTOSYNC_MINUTES), validate: wholeNumber('minutes') }));
    runProfiles.fullImportHours = Number(await prompter.text('Full import schedule (hours between full imports, which see deletions; 0 = never)', { initial: String(DEFAULT_FULL_IMPORT_HOURS), validate: wholeNumber('hours') }));
  }
  const token = flags.token ?? generateToken();
  checkToken(token);
  const config = buildConnectorConfig({
    name,
    package: spec,
    autosyncMinutes: autosync ?? DEFAULT_AUTOSYNC_MINUTES,
    tokenHash: hashToken(token),
    parameters,
    schema: choices,
    ...(groups === undefined ? {} : { additionalSchemas: [groups] }),
    runProfiles,
    deltaSupported: definition.capabilities(parameters).deltaImport === true,
  });
  await store.writeConnector(config);
  await recordCliAction(ctx, store.paths.root, { action: 'connector.add', connector: name, result: 'ok' });
  say(ctx, `Added connector ${name} (${definition.displayName}), serving ${config.objectType} with anchor ${config.anchor.join('+')}${groups === undefined ? '' : ` and ${groups.objectType} as SCIM Groups`}.`);
  const settings = await store.readSettings();
  printTokenOnce(ctx, name, flags.token === undefined ? token : undefined, settings.hostName, settings.port);
  await notifyHost(ctx, store);
}

/** Flags of `ecmahost connector add`: the shared connector flags, and `--install`. */
export interface ConnectorAddFlags extends ConnectorFlags {
  install?: string;
}

/**
 * `ecmahost connector add <name> --install <spec>`: the admin's quick start in one command. Creates
 * the data directory when there is none (as `init` does, with a self-signed certificate), installs
 * the package as `plugins install` does (refused and rolled back when it is not a loadable
 * connector), then adds the instance with it as `--package`.
 */
export async function connectorInstallAndAddCommand(ctx: CliContext, dataDir: string, name: string, flags: ConnectorAddFlags & { install: string }): Promise<void> {
  const { install, ...rest } = flags;
  if (rest.package !== undefined) throw new OpsError('invalid-argument', '--install names the package already; leave out --package.');
  assertConnectorName(name);
  if (!(await isInitialized(dataDir))) {
    await initStore(dataDir, { env: ctx.env });
    say(ctx, `Initialized ${dataDir}`);
  }
  const store = await openStore(dataDir, ctx.env);
  if (await store.hasConnector(name)) throw new OpsError('connector-exists', `a connector named "${name}" exists already; change it with "ecmahost connector set ${name}" or remove it first.`);
  const installed = await installConnector(pluginFolder(dataDir), install);
  say(ctx, `Installed ${installed.name}@${installed.version} (${installed.displayName}, connector API version ${installed.apiVersion}).`);
  await connectorAddCommand(ctx, store, name, { ...rest, package: installed.name });
}
