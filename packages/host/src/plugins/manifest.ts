import path from 'node:path';
import semver from 'semver';

/** The npm keyword that marks a connector package (the scaffolder's template sets it). */
export const CONNECTOR_KEYWORD = 'ecma-connector';

/** The SDK a connector package names as a peer dependency, with the range of versions it supports. */
export const SDK_PACKAGE = '@ecmahost/sdk';

/** The `ecmahost` field of a connector package's package.json. */
export interface ConnectorManifest {
  /** The module whose default export is the connector, relative to the package folder, such as `./dist/index.js`. */
  connector: string;
  /** The connector API version (`API_VERSION` of `@ecmahost/sdk`) the package was built for. */
  apiVersion: number;
}

/**
 * What a connector package declares in its package.json (docs/admin/plugins.md, "The manifest"):
 * the `ecma-connector` keyword, `"ecmahost": { "connector": "./dist/index.js", "apiVersion": 1 }`
 * and `"peerDependencies": { "@ecmahost/sdk": "^0.1.0" }`.
 */
export interface PluginManifest {
  /** The npm package name. */
  name: string;
  /** The package version (semver). */
  version: string;
  /** The module whose default export is the connector, relative to the package folder. */
  connector: string;
  /** The connector API version the package was built for. */
  apiVersion: number;
  /** The versions of `@ecmahost/sdk` the package supports (a semver range). */
  sdkRange: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `entry` cannot be a connector module path inside the package, or `undefined` when it can. */
function entryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry === '') return 'ecmahost.connector must be the path of the connector module, such as "./dist/index.js"';
  // A hostile manifest must not make the host import a file outside the package.
  const normalized = path.posix.normalize(entry.replaceAll('\\', '/'));
  if (path.posix.isAbsolute(normalized) || path.win32.isAbsolute(entry) || normalized === '..' || normalized.startsWith('../')) {
    return `ecmahost.connector "${entry}" must be a path inside the package, such as "./dist/index.js"`;
  }
  return undefined;
}

/**
 * Everything wrong with a package.json read as a connector manifest; empty when it is valid.
 * Compatibility with this host (API version, SDK range) is not judged here but in `compatibility.ts`.
 */
export function manifestProblems(pkg: unknown): string[] {
  if (!isRecord(pkg)) return ['package.json is not a JSON object'];
  const problems: string[] = [];
  if (typeof pkg.name !== 'string' || pkg.name === '') problems.push('package.json has no "name"');
  if (typeof pkg.version !== 'string' || semver.valid(pkg.version) === null) problems.push('package.json has no valid semver "version"');
  if (!Array.isArray(pkg.keywords) || !pkg.keywords.includes(CONNECTOR_KEYWORD)) problems.push(`package.json "keywords" do not include "${CONNECTOR_KEYWORD}"`);
  const manifest = pkg.ecmahost;
  if (!isRecord(manifest)) {
    problems.push('its package.json has no "ecmahost" manifest field');
  } else {
    const entry = entryProblem(manifest.connector);
    if (entry !== undefined) problems.push(entry);
    if (typeof manifest.apiVersion !== 'number' || !Number.isInteger(manifest.apiVersion) || manifest.apiVersion < 1) {
      problems.push('ecmahost.apiVersion must be the connector API version the package was built for, a whole number such as 1');
    }
  }
  const range = isRecord(pkg.peerDependencies) ? pkg.peerDependencies[SDK_PACKAGE] : undefined;
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    problems.push(`peerDependencies["${SDK_PACKAGE}"] must be the semver range of the SDK versions the package supports, such as "^0.1.0"`);
  }
  return problems;
}

/** The manifest of a valid package.json (check {@link manifestProblems} first); `undefined` otherwise. */
export function pluginManifest(pkg: unknown): PluginManifest | undefined {
  if (manifestProblems(pkg).length > 0 || !isRecord(pkg)) return undefined;
  const manifest = pkg.ecmahost as ConnectorManifest;
  return {
    name: pkg.name as string,
    version: pkg.version as string,
    connector: manifest.connector,
    apiVersion: manifest.apiVersion,
    sdkRange: (pkg.peerDependencies as Record<string, string>)[SDK_PACKAGE] as string,
  };
}

/** How a package is named in messages: `name@version`, or `fallback` when package.json does not say. */
export function packageLabel(pkg: unknown, fallback: string): string {
  if (!isRecord(pkg) || typeof pkg.name !== 'string') return fallback;
  return `${pkg.name}@${typeof pkg.version === 'string' ? pkg.version : '?'}`;
}
