import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition, ConnectorInstance, ParameterValues } from '@ecmahost/sdk';
import { silentLogger } from '@ecmahost/sdk';
import { loadConnectorDefinition } from '../connectors/loader.js';
import { OpsError, isOpsError } from '../store/errors.js';
import { isPluginLoadError } from './plugin-load-error.js';

/**
 * The directory connectors are resolved from when the host itself is the starting point: the
 * installed `@ecmahost/host` package, so packages installed next to it (`npm install
 * @acme/connector-x` beside the host) are found.
 */
export function hostInstallDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

/**
 * Where connector packages are looked up, in order: the data directory (and its parents), then
 * the host's installation.
 */
export function connectorSearchDirs(dataDir: string): string[] {
  return [...new Set([dataDir, hostInstallDir()])];
}

/** Turns a `--package` value into what is stored: paths absolute (resolved against `cwd`), names as given. */
export function normalizePackageSpec(spec: string, cwd: string): string {
  if (spec.startsWith('.') || spec.startsWith('/') || path.isAbsolute(spec)) return path.resolve(cwd, spec);
  return spec;
}

/**
 * Loads a connector through the host's loader (the one third-party connectors go through),
 * trying each search directory until one has it. Throws `OpsError('connector-load-failed')` with the
 * loader's reason; its `cause` is the loader's `PluginLoadError`, whose `code` says what is wrong.
 */
export async function loadDefinition(spec: string, dataDir: string): Promise<ConnectorDefinition> {
  let lastError: unknown;
  for (const dir of connectorSearchDirs(dataDir)) {
    try {
      return await loadConnectorDefinition(spec, dir);
    } catch (error) {
      lastError = error;
      if (!isPluginLoadError(error) || error.code !== 'not-installed') break;
    }
  }
  throw new OpsError('connector-load-failed', `cannot load connector ${spec}: ${(lastError as Error).message}`, { cause: lastError });
}

/**
 * Opens a connector with a configuration for a one-off CLI operation, runs `use`, and closes it.
 * Connector failures become `OpsError('connector-failed')` carrying the connector's message.
 */
export async function withInstance<T>(definition: ConnectorDefinition, values: ParameterValues, use: (instance: ConnectorInstance) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let instance: ConnectorInstance;
  try {
    instance = await definition.open(values, { log: silentLogger, signal: controller.signal });
  } catch (error) {
    throw new OpsError('connector-failed', `${definition.displayName} could not open: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await use(instance);
  } catch (error) {
    if (isOpsError(error)) throw error;
    throw new OpsError('connector-failed', `${definition.displayName}: ${(error as Error).message}`, { cause: error });
  } finally {
    controller.abort();
    await instance.close().catch(() => undefined);
  }
}
