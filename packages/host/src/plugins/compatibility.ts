import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { API_VERSION } from '@ecmahost/sdk';
import semver from 'semver';
import type { PluginManifest } from './manifest.js';
import { SDK_PACKAGE, manifestProblems, packageLabel, pluginManifest } from './manifest.js';
import { PluginLoadError, isPluginLoadError } from './plugin-load-error.js';

/** Connector API versions this host loads: the manifest's `ecmahost.apiVersion` and the connector object's `apiVersion`. */
export const SUPPORTED_API_VERSIONS: readonly number[] = [API_VERSION];

let sdkVersion: string | undefined;

/** The version of the `@ecmahost/sdk` package this host runs with, read from that package's package.json. */
export function runningSdkVersion(): string {
  if (sdkVersion !== undefined) return sdkVersion;
  // The SDK's exports map does not publish its package.json, so walk up from its entry module.
  const entry = createRequire(import.meta.url).resolve(SDK_PACKAGE);
  for (let dir = path.dirname(entry); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    let pkg: { name?: unknown; version?: unknown } | undefined;
    try {
      pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    } catch {
      continue;
    }
    if (pkg.name === SDK_PACKAGE && typeof pkg.version === 'string') return (sdkVersion = pkg.version);
  }
  throw new Error(`cannot find the package.json of ${SDK_PACKAGE} above ${entry}`);
}

/** A `PluginLoadError('incompatible-api-version')` when this host cannot load `apiVersion`, else `undefined`. */
export function apiVersionError(subject: string, apiVersion: number): PluginLoadError | undefined {
  if (SUPPORTED_API_VERSIONS.includes(apiVersion)) return undefined;
  const supported = SUPPORTED_API_VERSIONS.join(', ');
  return new PluginLoadError(
    'incompatible-api-version',
    `${subject} was built for connector API version ${apiVersion}; this host supports ${supported}. Install a version of the connector built for API ${supported}, or a host that supports API ${apiVersion}.`,
  );
}

/** A `PluginLoadError('incompatible-sdk')` when `range` excludes the SDK version, else `undefined`. */
export function sdkRangeError(subject: string, range: string, version: string = runningSdkVersion()): PluginLoadError | undefined {
  // Prereleases count: a snapshot build of the SDK line a connector supports should load it.
  if (semver.satisfies(version, range, { includePrerelease: true })) return undefined;
  return new PluginLoadError(
    'incompatible-sdk',
    `${subject} supports ${SDK_PACKAGE} ${range}; this host runs ${SDK_PACKAGE} ${version}. Install a version of the connector that supports ${SDK_PACKAGE} ${version}, or a host whose SDK is in ${range}.`,
  );
}

/**
 * Reads a package.json as a connector manifest and checks it against this host: a valid manifest
 * (`not-a-connector`), a supported `ecmahost.apiVersion` (`incompatible-api-version`) and an
 * `@ecmahost/sdk` peer range that includes the running SDK (`incompatible-sdk`). The one check that
 * loading, `plugins list`, `plugins search` and `plugins install` share.
 *
 * Throws {@link PluginLoadError}; `subject` names the package when package.json does not.
 */
export function checkPluginManifest(pkg: unknown, subject: string, version: string = runningSdkVersion()): PluginManifest {
  const label = packageLabel(pkg, subject);
  const manifest = pluginManifest(pkg);
  if (manifest === undefined) {
    throw new PluginLoadError('not-a-connector', `${label} is not an ecmahost connector: ${manifestProblems(pkg).join('; ')}`);
  }
  const error = apiVersionError(label, manifest.apiVersion) ?? sdkRangeError(label, manifest.sdkRange, version);
  if (error !== undefined) throw error;
  return manifest;
}

/** {@link checkPluginManifest} as a value: the error, or `undefined` when the package is compatible. */
export function pluginManifestError(pkg: unknown, subject: string): PluginLoadError | undefined {
  try {
    checkPluginManifest(pkg, subject);
    return undefined;
  } catch (error) {
    if (isPluginLoadError(error)) return error;
    throw error;
  }
}
