import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { hostInstallDir } from './connector-loading.js';

/** How an npm command ended. */
export interface NpmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm <args>` in `cwd` to its end; never rejects for a non-zero exit. */
export function runNpm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    // On Windows npm is a .cmd script, which only a shell starts.
    const child = spawn('npm', [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run npm: ${error.message}`, { cause: error })));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The `npm error` lines of a failed npm run (or its last lines), for a message the admin can act on. */
export function npmFailure(result: NpmResult): string {
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('npm error') && !/complete log of this run|A complete log/.test(line));
  const chosen = lines.length > 0 ? lines : result.stderr.trim().split('\n').slice(-5);
  return chosen.map((line) => line.replace(/^npm error\s*/, '')).filter((line) => line !== '').join('\n') || `npm exited with ${String(result.code)}`;
}

/**
 * The folder whose `node_modules` holds the host's connector packages: the project the host is
 * installed in (`<folder>/node_modules/@ecmahost/host`), so `plugins list` and the loader find what
 * `plugins install` puts there. A host run from a source checkout has no such folder; there the
 * data directory is used, which the loader also searches.
 */
export function pluginFolder(dataDir: string, installDir: string = hostInstallDir()): string {
  const parts = path.resolve(installDir).split(path.sep);
  const index = parts.lastIndexOf('node_modules');
  if (index > 0) return parts.slice(0, index).join(path.sep) || path.sep;
  return path.resolve(dataDir);
}

/** The registry npm uses in `cwd`: `--registry` when given, else the user's npm configuration. */
export async function configuredRegistry(cwd: string, explicit?: string): Promise<string> {
  if (explicit !== undefined && explicit !== '') return explicit;
  // The data directory may not exist yet; npm reads the same .npmrc files from its nearest existing parent.
  let dir = path.resolve(cwd);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const result = await runNpm(['config', 'get', 'registry'], dir);
  const value = result.stdout.trim();
  if (result.code !== 0 || value === '') throw new Error(`cannot read the npm registry setting: ${npmFailure(result)}`);
  return value;
}
