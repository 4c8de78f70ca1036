import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The name of the host's own package. */
const HOST_PACKAGE = '@ecmahost/host';

/** Where the running `@ecmahost/host` is installed, its version, and its CLI script. */
export interface HostPackage {
  root: string;
  version: string;
  /** `dist/cli.js`: what the `ecmahost` bin (bin/ecmahost.js) loads, and what a service runs with Node. */
  cliPath: string;
}

let found: HostPackage | undefined;

/**
 * The running host's package, found above this module (its `dist/` bundle, or `src/` in tests):
 * the package.json named `@ecmahost/host`.
 */
export function hostPackage(): HostPackage {
  if (found !== undefined) return found;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    let pkg: { name?: unknown; version?: unknown };
    try {
      pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    } catch {
      continue;
    }
    if (pkg.name === HOST_PACKAGE && typeof pkg.version === 'string') return (found = { root: dir, version: pkg.version, cliPath: path.join(dir, 'dist', 'cli.js') });
  }
  throw new Error(`cannot find the package.json of ${HOST_PACKAGE} above ${fileURLToPath(import.meta.url)}`);
}
