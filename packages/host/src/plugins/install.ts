import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConnectorDefinition } from '../connectors/loader.js';
import { npmFailure, runNpm } from './npm.js';
import { PluginLoadError, isPluginLoadError } from './plugin-load-error.js';

/** What `plugins install` installed. */
export interface InstalledConnector {
  name: string;
  version: string;
  displayName: string;
  apiVersion: number;
}

interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
}

async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

async function snapshot(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

async function restore(file: string, content: string | undefined): Promise<void> {
  if (content === undefined) await rm(file, { force: true });
  else await writeFile(file, content);
}

/** The package name in an npm spec like `@acme/x@^1`, `x@latest` or `x` (not paths or URLs). */
function nameOfSpec(spec: string): string | undefined {
  const match = /^(@[^/@\s]+\/[^/@\s]+|[^/@\s.][^/@\s]*)(@.*)?$/.exec(spec);
  return match?.[1];
}

/**
 * Which dependency `npm install <spec>` added or changed: the entry of package.json whose value
 * differs from before, else (a re-install of the same version) the name in the spec.
 */
function installedName(spec: string, before: Record<string, string>, after: Record<string, string>): string | undefined {
  const changed = Object.keys(after).filter((name) => before[name] !== after[name]);
  if (changed.length === 1) return changed[0];
  return nameOfSpec(spec);
}

/** Loads the installed package `name` the way the host will (manifest, SDK range, API version, brand). */
async function checkInstalled(name: string, folder: string): Promise<InstalledConnector> {
  const pkg = await readManifest(path.join(folder, 'node_modules', name, 'package.json'));
  if (pkg === undefined) throw new PluginLoadError('not-installed', `${name} was not installed into ${path.join(folder, 'node_modules')}`);
  const definition = await loadConnectorDefinition(name, folder);
  return { name, version: pkg.version ?? '?', displayName: definition.displayName, apiVersion: definition.apiVersion };
}

/** What the folder held before an install, so a refused one can be undone. */
interface FolderState {
  packageJson: string | undefined;
  lock: string | undefined;
  hadNodeModules: boolean;
  dependencies: Record<string, string>;
}

/**
 * Puts the folder back as it was: package.json and package-lock.json restored (or removed when the
 * install created them), `node_modules` removed when the install created it, else the new package
 * uninstalled or the replaced version reinstalled. Returns a sentence for the admin.
 */
async function rollBack(folder: string, state: FolderState, name: string | undefined, npmArgs: readonly string[]): Promise<string> {
  const nodeModules = path.join(folder, 'node_modules');
  const added = name !== undefined && state.dependencies[name] === undefined;
  const uninstall = state.hadNodeModules && added ? await runNpm(['uninstall', name, ...npmArgs], folder) : undefined;
  await restore(path.join(folder, 'package.json'), state.packageJson);
  await restore(path.join(folder, 'package-lock.json'), state.lock);
  if (!state.hadNodeModules) {
    await rm(nodeModules, { recursive: true, force: true });
    return 'The installation was rolled back.';
  }
  // A replaced version comes back from the restored files.
  const reinstall = added ? undefined : await runNpm(['install', ...npmArgs], folder);
  const failed = [uninstall, reinstall].find((result) => result !== undefined && result.code !== 0);
  return failed === undefined ? 'The installation was rolled back.' : `Rolling back failed too (${npmFailure(failed)}); check ${folder}.`;
}

/**
 * `npm install <spec>` in `folder`, then loads the package the way the host will (the `ecmahost`
 * manifest, its `@ecmahost/sdk` peer range against the SDK this host runs, the connector API version,
 * a `defineConnector` default export). When npm fails or the package does not load, the folder is
 * put back as it was (nothing the install created is left behind) and the error says why: a
 * {@link PluginLoadError} with its code for a package that does not load.
 *
 * npm runs with `--legacy-peer-deps`: the host, not npm, judges the SDK peer range (against the SDK
 * it runs, which npm cannot see from a data directory), and npm never fetches an SDK of its own.
 */
export async function installConnector(folder: string, spec: string, options: { registry?: string } = {}): Promise<InstalledConnector> {
  // npm would read a leading dash as one of its own options (--global, --prefix=...).
  if (spec.trim() === '' || spec.startsWith('-')) throw new Error(`"${spec}" is not a package to install: give a name (optionally @version), a tarball or a folder`);
  await mkdir(folder, { recursive: true });
  const packageJson = path.join(folder, 'package.json');
  const state: FolderState = {
    packageJson: await snapshot(packageJson),
    lock: await snapshot(path.join(folder, 'package-lock.json')),
    hadNodeModules: existsSync(path.join(folder, 'node_modules')),
    dependencies: {},
  };
  // npm would otherwise walk up and install into whatever project encloses the folder.
  if (state.packageJson === undefined) await writeFile(packageJson, `${JSON.stringify({ name: 'ecmahost-connectors', private: true }, null, 2)}\n`);
  state.dependencies = (await readManifest(packageJson))?.dependencies ?? {};
  const npmArgs = ['--no-audit', '--no-fund', '--legacy-peer-deps', ...(options.registry === undefined ? [] : ['--registry', options.registry])];
  const installed = await runNpm(['install', spec, '--save', ...npmArgs], folder);
  if (installed.code !== 0) {
    const undone = await rollBack(folder, state, undefined, npmArgs);
    throw new Error(`npm install ${spec} failed:\n${npmFailure(installed)}\n${undone}`);
  }
  const name = installedName(spec, state.dependencies, (await readManifest(packageJson))?.dependencies ?? {});
  try {
    if (name === undefined) throw new PluginLoadError('not-installed', `cannot tell which package npm installed for ${spec}`);
    return await checkInstalled(name, folder);
  } catch (error) {
    const undone = await rollBack(folder, state, name, npmArgs);
    const code = isPluginLoadError(error) ? ` [${error.code}]` : '';
    const message = `${(error as Error).message}${code}\n${undone}`;
    throw isPluginLoadError(error) ? new PluginLoadError(error.code, message, { cause: error }) : new Error(message, { cause: error });
  }
}

/** The connector instances (names) in `instances` that use package `name`. */
export function instancesUsing(name: string, instances: readonly { name: string; package: string }[]): string[] {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}`;
  return instances.filter((i) => i.package === name || i.package.includes(`${marker}${path.sep}`) || i.package.endsWith(marker)).map((i) => i.name);
}

/** `npm uninstall <name>` in `folder`; an `Error` when the folder's package.json does not list it. */
export async function uninstallConnector(folder: string, name: string): Promise<void> {
  if (nameOfSpec(name) !== name) throw new Error(`"${name}" is not a package name`);
  const pkg = await readManifest(path.join(folder, 'package.json'));
  if (pkg?.dependencies?.[name] === undefined) throw new Error(`${name} is not installed in ${folder} (not in its package.json dependencies)`);
  const result = await runNpm(['uninstall', name, '--no-audit', '--no-fund', '--legacy-peer-deps'], folder);
  if (result.code !== 0) throw new Error(`npm uninstall ${name} failed:\n${npmFailure(result)}`);
}
