import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConnectorDefinition } from '../connectors/loader.js';
import { connectorSearchDirs } from './connector-loading.js';
import { CONNECTOR_KEYWORD } from './manifest.js';
import type { PluginLoadErrorCode } from './plugin-load-error.js';
import { isPluginLoadError } from './plugin-load-error.js';

export { CONNECTOR_KEYWORD } from './manifest.js';

/** One connector package found next to the host. */
export interface PluginReport {
  name: string;
  version: string;
  directory: string;
  apiVersion?: number;
  /** Absent when the package loads; else why it does not. */
  problem?: string;
  /** Absent when the package loads; else the loader's error code. */
  code?: PluginLoadErrorCode;
}

interface PackageJson {
  name?: string;
  version?: string;
  keywords?: string[];
  ecmahost?: unknown;
}

async function readPackageJson(dir: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

async function packageDirs(nodeModules: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(nodeModules).catch(() => [] as string[])) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of await readdir(path.join(nodeModules, entry)).catch(() => [] as string[])) out.push(path.join(nodeModules, entry, sub));
    } else out.push(path.join(nodeModules, entry));
  }
  return out;
}

/**
 * Finds connector packages (keyword `ecma-connector` or an `ecmahost` manifest field) in every
 * `node_modules` the host resolves connectors from, and tries to load each through the host's
 * loader, reporting its contract version or why it cannot be used.
 */
export async function findPlugins(dataDir: string): Promise<PluginReport[]> {
  const seen = new Map<string, PluginReport>();
  for (const start of connectorSearchDirs(dataDir)) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const nodeModules = path.join(dir, 'node_modules');
      if (existsSync(nodeModules)) {
        for (const pkgDir of await packageDirs(nodeModules)) {
          const pkg = await readPackageJson(pkgDir);
          if (!pkg?.name || seen.has(pkg.name)) continue;
          if (!(pkg.keywords ?? []).includes(CONNECTOR_KEYWORD) && pkg.ecmahost === undefined) continue;
          const report: PluginReport = { name: pkg.name, version: pkg.version ?? '?', directory: pkgDir };
          try {
            report.apiVersion = (await loadConnectorDefinition(pkgDir, dir)).apiVersion;
          } catch (error) {
            report.problem = (error as Error).message;
            if (isPluginLoadError(error)) report.code = error.code;
          }
          seen.set(pkg.name, report);
        }
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}
