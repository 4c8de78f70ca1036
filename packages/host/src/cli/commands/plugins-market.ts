import { dataDirPaths } from '../../store/data-dir.js';
import { isInitialized, openStore } from '../../store/store.js';
import { installConnector, instancesUsing, uninstallConnector } from '../../plugins/install.js';
import { configuredRegistry, pluginFolder } from '../../plugins/npm.js';
import { SUPPORTED_API_VERSIONS } from '../../plugins/compatibility.js';
import { searchRegistry } from '../../plugins/registry-search.js';
import type { CliContext } from '../context.js';
import { say, warn } from '../context.js';
import { recordCliAction } from './audit.js';

/** Flags of `plugins search` and `plugins install`. */
export interface RegistryFlags {
  registry?: string;
}

/** `ecmahost plugins search [term]`: connector packages the npm registry offers, with compatibility. */
export async function pluginsSearchCommand(ctx: CliContext, dataDir: string, term: string | undefined, flags: RegistryFlags): Promise<void> {
  const registry = await configuredRegistry(pluginFolder(dataDir), flags.registry);
  const found = await searchRegistry(registry, term);
  if (found.length === 0) {
    say(ctx, `No connector packages found on ${registry}${term ? ` for "${term}"` : ''} (packages with the "ecma-connector" keyword).`);
    return;
  }
  say(ctx, `Connector packages on ${registry} (this host supports connector API version ${SUPPORTED_API_VERSIONS.join(', ')}):`);
  for (const p of found) {
    const status = p.problem === undefined ? `compatible (api ${p.apiVersion ?? '?'})` : `INCOMPATIBLE: ${p.problem}${p.code === undefined ? '' : ` [${p.code}]`}`;
    say(ctx, `${p.name}@${p.version}  by ${p.publisher}  ${status}`);
    if (p.description !== '') say(ctx, `    ${p.description}`);
  }
}

/** `ecmahost plugins install <spec>`: npm install next to the host, kept only when it is a loadable connector. */
export async function pluginsInstallCommand(ctx: CliContext, dataDir: string, spec: string, flags: RegistryFlags): Promise<void> {
  const folder = pluginFolder(dataDir);
  warn(ctx, `Installing ${spec} into ${folder} ...`);
  const installed = await installConnector(folder, spec, flags.registry === undefined ? {} : { registry: flags.registry });
  await recordCliAction(ctx, dataDir, { action: 'plugin.install', result: 'ok', detail: { package: installed.name, version: installed.version } });
  say(ctx, `Installed ${installed.name}@${installed.version} (${installed.displayName}, connector API version ${installed.apiVersion}).`);
  say(ctx, `Add an instance: ecmahost connector add <Name> --package ${installed.name} --param ...`);
}

/** `ecmahost plugins remove <name>`: refused while a connector instance uses the package. */
export async function pluginsRemoveCommand(ctx: CliContext, dataDir: string, name: string): Promise<void> {
  if (await isInitialized(dataDir)) {
    const store = await openStore(dataDir, ctx.env);
    const users = instancesUsing(name, await store.listConnectors());
    if (users.length > 0) {
      throw new Error(`${name} is still used by connector instance${users.length > 1 ? 's' : ''} ${users.join(', ')} in ${dataDirPaths(dataDir).root}. Remove ${users.length > 1 ? 'them' : 'it'} first: ecmahost connector remove <Name>.`);
    }
  }
  const folder = pluginFolder(dataDir);
  await uninstallConnector(folder, name);
  await recordCliAction(ctx, dataDir, { action: 'plugin.remove', result: 'ok', detail: { package: name } });
  say(ctx, `Removed ${name} from ${folder}.`);
}
