import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConnectorDefinition } from '../connectors/loader.js';
import { npmFailure, runNpm } from './npm.js';
import { compatibilityProblem } from './registry-search.js';

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
  ecmahost?: { apiVersion?: unknown };
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

/** Why the installed package `name` is not a connector this host loads, or `undefined` when it is. */
async function connectorProblem(name: string, folder: string): Promise<{ problem: string } | { connector: InstalledConnector }> {
  const dir = path.join(folder, 'node_modules', name);
  const pkg = await readManifest(path.join(dir, 'package.json'));
  if (pkg === undefined) return { problem: `${name} was not installed into ${path.join(folder, 'node_modules')}` };
  if (pkg.ecmahost === undefined || typeof pkg.ecmahost !== 'object') {
    return { problem: `${name} is not an ecmahost connector: its package.json has no "ecmahost" manifest field` };
  }
  const declared = pkg.ecmahost.apiVersion;
  if (declared !== undefined) {
    const problem = compatibilityProblem(typeof declared === 'number' ? declared : Number.NaN);
    if (problem !== undefined) return { problem: `${name}@${pkg.version ?? '?'} cannot be loaded by this host: ${problem}` };
  }
  try {
    const definition = await loadConnectorDefinition(name, folder);
    return { connector: { name, version: pkg.version ?? '?', displayName: definition.displayName, apiVersion: definition.apiVersion } };
  } catch (error) {
    return { problem: `${name}@${pkg.version ?? '?'} cannot be loaded by this host: ${(error as Error).message}` };
  }
}

/**
 * `npm install <spec>` in `folder`, then checks that the package is a connector this host loads
 * (the `ecmahost` manifest field, a `defineConnector` default export, a supported contract version).
 * When it is not, package.json and package-lock.json are put back as they were, the package is
 * removed (or the previous version reinstalled), and an `Error` gives the reason.
 */
export async function installConnector(folder: string, spec: string, options: { registry?: string } = {}): Promise<InstalledConnector> {
  // npm would read a leading dash as one of its own options (--global, --prefix=...).
  if (spec.trim() === '' || spec.startsWith('-')) throw new Error(`"${spec}" is not a package to install: give a name (optionally @version), a tarball or a folder`);
  await mkdir(folder, { recursive: true });
  const packageJson = path.join(folder, 'package.json');
  const lockFile = path.join(folder, 'package-lock.json');
  // npm would otherwise walk up and install into whatever project encloses the folder.
  if (!existsSync(packageJson)) await writeFile(packageJson, `${JSON.stringify({ name: 'ecmahost-connectors', private: true }, null, 2)}\n`);
  const savedPackage = await snapshot(packageJson);
  const savedLock = await snapshot(lockFile);
  const before = (await readManifest(packageJson))?.dependencies ?? {};
  const registryArgs = options.registry === undefined ? [] : ['--registry', options.registry];
  const installed = await runNpm(['install', spec, '--save', '--no-audit', '--no-fund', ...registryArgs], folder);
  if (installed.code !== 0) {
    await restore(packageJson, savedPackage);
    await restore(lockFile, savedLock);
    throw new Error(`npm install ${spec} failed:\n${npmFailure(installed)}`);
  }
  const after = (await readManifest(packageJson))?.dependencies ?? {};
  const name = installedName(spec, before, after);
  const verdict = name === undefined ? { problem: `cannot tell which package npm installed for ${spec}` } : await connectorProblem(name, folder);
  if ('connector' in verdict) return verdict.connector;

  const rollback = name !== undefined && before[name] === undefined ? await runNpm(['uninstall', name, '--no-audit', '--no-fund'], folder) : undefined;
  await restore(packageJson, savedPackage);
  await restore(lockFile, savedLock);
  // A replaced version comes back from the restored files.
  const reinstall = rollback === undefined ? await runNpm(['install', '--no-audit', '--no-fund', ...registryArgs], folder) : undefined;
  const failed = [rollback, reinstall].find((result) => result !== undefined && result.code !== 0);
  const undone = failed === undefined ? 'The installation was rolled back.' : `Rolling back failed too (${npmFailure(failed)}); check ${folder}.`;
  throw new Error(`${verdict.problem}\n${undone}`);
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
  const result = await runNpm(['uninstall', name, '--no-audit', '--no-fund'], folder);
  if (result.code !== 0) throw new Error(`npm uninstall ${name} failed:\n${npmFailure(result)}`);
}
