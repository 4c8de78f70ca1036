import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectorDefinition } from '@ecmahost/sdk';
import { assertApiVersion, isConnectorDefinition } from '@ecmahost/sdk';

/** The `ecmahost` field of a connector package's package.json. */
export interface ConnectorManifest {
  /** The module whose default export is the connector, relative to the package. */
  connector?: string;
}

interface PackageJson {
  name?: string;
  main?: string;
  exports?: unknown;
  ecmahost?: ConnectorManifest;
}

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

/** The entry of a package: its `ecmahost.connector`, else its main export. */
function packageEntry(dir: string): string {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  if (typeof pkg.ecmahost?.connector === 'string') return path.resolve(dir, pkg.ecmahost.connector);
  const main = mainExport(pkg.exports);
  if (main !== undefined) return path.resolve(dir, main);
  return path.resolve(dir, pkg.main ?? 'index.js');
}

function mainExport(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const record = exports as Record<string, unknown>;
  const dot = '.' in record ? record['.'] : record;
  if (typeof dot === 'string') return dot;
  if (typeof dot !== 'object' || dot === null) return undefined;
  const conditions = dot as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const target = conditions[key];
    if (typeof target === 'string') return target;
    const nested = mainExport(target);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/**
 * Loads a connector named by a connector instance: an installed package name (found in
 * `node_modules` from `resolveFrom` upwards, entry from the package's `ecmahost.connector` manifest
 * field or its main export) or a path to a module or a package directory (relative to
 * `resolveFrom`). The module's default export must be a connector made by `defineConnector`
 * (recognised by its brand, from any SDK copy) built for a contract version this host supports.
 *
 * Throws an `Error` naming the spec and the problem; `ConnectorError('unsupported-api-version')`
 * for a version mismatch.
 */
export async function loadConnectorDefinition(spec: string, resolveFrom: string): Promise<ConnectorDefinition> {
  let file: string;
  if (isPathSpec(spec)) {
    const target = spec.startsWith('file:') ? new URL(spec).pathname : path.resolve(resolveFrom, spec);
    if (!existsSync(target)) throw new Error(`connector ${spec}: ${target} does not exist`);
    file = statSync(target).isDirectory() ? packageEntry(target) : target;
  } else {
    const dir = findPackageDir(spec, resolveFrom);
    if (dir === undefined) throw new Error(`connector ${spec} is not installed (looked for node_modules/${spec} from ${resolveFrom} upwards)`);
    file = packageEntry(dir);
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const definition = module.default;
  if (!isConnectorDefinition(definition)) {
    throw new Error(`connector ${spec}: ${file} has no default export made by defineConnector from @ecmahost/sdk`);
  }
  assertApiVersion(definition);
  return definition;
}
