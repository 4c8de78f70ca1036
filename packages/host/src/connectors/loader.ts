import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectorDefinition } from '@ecmahost/sdk';
import { isConnectorDefinition } from '@ecmahost/sdk';
import { apiVersionError, checkPluginManifest } from '../plugins/compatibility.js';
import { SDK_PACKAGE } from '../plugins/manifest.js';
import { PluginLoadError } from '../plugins/plugin-load-error.js';

export type { ConnectorManifest } from '../plugins/manifest.js';

/** Whether a connector spec is a filesystem path rather than a package name. */
function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:') || path.isAbsolute(spec);
}

/**
 * Finds `<dir>/node_modules/<name>` from `from` upwards, as Node resolves packages, so a connector
 * is looked up in the host's own installation and never fetched.
 */
function findPackageDir(name: string, from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The connector module of the package in `dir`, after its manifest passed the compatibility checks. */
async function packageEntry(dir: string, spec: string): Promise<{ file: string; subject: string }> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  } catch (error) {
    throw new PluginLoadError('not-a-connector', `connector ${spec}: ${path.join(dir, 'package.json')} cannot be read as JSON (${(error as Error).message})`, { cause: error });
  }
  const manifest = checkPluginManifest(pkg, spec);
  return { file: path.resolve(dir, manifest.connector), subject: `${manifest.name}@${manifest.version}` };
}

/**
 * The connector a module exported, checked the way every connector is: made by `defineConnector`
 * (its brand, from any SDK copy) for a connector API version this host supports.
 *
 * Throws `PluginLoadError('not-a-connector' | 'incompatible-api-version')` naming `subject`.
 */
export function checkConnectorDefinition(value: unknown, subject: string): ConnectorDefinition {
  if (!isConnectorDefinition(value)) {
    throw new PluginLoadError('not-a-connector', `${subject} is not an ecmahost connector: its module has no default export made by defineConnector from ${SDK_PACKAGE}`);
  }
  const error = apiVersionError(subject, value.apiVersion);
  if (error !== undefined) throw error;
  return value;
}

/** Why importing the module failed, with the fix when it is the usual one (the SDK peer not installed). */
function importFailure(subject: string, file: string, error: unknown): PluginLoadError {
  const message = (error as Error).message;
  const hint = message.includes(`'${SDK_PACKAGE}'`)
    ? ` The connector imports ${SDK_PACKAGE}, which must be installed where it can find it: next to the host, or in the folder the connector was installed into (docs/admin/plugins.md).`
    : '';
  return new PluginLoadError('load-failed', `${subject}: loading ${file} failed: ${message}${hint}`, { cause: error });
}

/**
 * Loads a connector named by a connector instance: an installed package name (found in
 * `node_modules` from `resolveFrom` upwards) or a path to a package folder or a module file
 * (relative to `resolveFrom`). A package must carry a valid manifest compatible with this host
 * (`checkPluginManifest`: the `ecmahost` field, a supported `apiVersion`, an `@ecmahost/sdk` peer
 * range including the running SDK); its `ecmahost.connector` module, like a module given by path,
 * must default-export a connector made by `defineConnector` for a supported API version.
 *
 * Throws {@link PluginLoadError} with a code saying what is wrong (`not-installed`,
 * `not-a-connector`, `incompatible-sdk`, `incompatible-api-version`, `load-failed`).
 */
export async function loadConnectorDefinition(spec: string, resolveFrom: string): Promise<ConnectorDefinition> {
  let file: string;
  let subject = `connector ${spec}`;
  if (isPathSpec(spec)) {
    const target = spec.startsWith('file:') ? new URL(spec).pathname : path.resolve(resolveFrom, spec);
    if (!existsSync(target)) throw new PluginLoadError('not-installed', `connector ${spec}: ${target} does not exist`);
    if (statSync(target).isDirectory()) ({ file, subject } = await packageEntry(target, spec));
    else file = target;
  } else {
    const dir = findPackageDir(spec, resolveFrom);
    if (dir === undefined) throw new PluginLoadError('not-installed', `connector ${spec} is not installed (looked for node_modules/${spec} from ${resolveFrom} upwards)`);
    ({ file, subject } = await packageEntry(dir, spec));
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw importFailure(subject, file, error);
  }
  return checkConnectorDefinition(module.default, subject);
}
