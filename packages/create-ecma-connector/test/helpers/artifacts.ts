import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeResult, runCommand } from './commands.js';

/** This package's folder. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The built scaffolder, as `npm create` runs it. */
export const CLI = path.join(PACKAGE_DIR, 'dist', 'cli.js');
const SDK_DIR = path.join(PACKAGE_DIR, '..', 'sdk');
const HOST_DIR = path.join(PACKAGE_DIR, '..', 'host');
// Installs of the generated projects' dependencies, kept between runs and keyed by their inputs.
const CACHE_DIR = path.join(tmpdir(), 'create-ecma-connector-test-deps');
const CACHE_MAX_AGE_MS = 60 * 60 * 1000;

function newestFile(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFile(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds this package when `dist/` is missing or older than a source or template file, so the
 * tests always run the scaffolder as published. (turbo builds only a package's dependencies
 * before its tests.) Vitest runs this package's test files one at a time, so builds never overlap.
 */
export async function ensureBuilt(): Promise<void> {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  const sources = Math.max(newestFile(path.join(PACKAGE_DIR, 'src')), newestFile(path.join(PACKAGE_DIR, 'templates')));
  if (built >= sources) return;
  const result = await runCommand('npx', ['tsup', '--silent'], PACKAGE_DIR);
  if (result.code !== 0) throw new Error(describeResult('building create-ecma-connector (tsup)', result));
}

/** The workspace packages a generated project installs from tarballs: the SDK, and the host (its dev loop and the kit's through-the-host part). */
export interface WorkspaceTarballs {
  sdk: string;
  host: string;
}

async function pack(dir: string, dest: string, built: string): Promise<string> {
  if (!existsSync(path.join(dir, built))) {
    throw new Error(`${dir} is not built; run: npx turbo run build --filter=create-ecma-connector...`);
  }
  const result = await runCommand('npm', ['pack', '--pack-destination', dest, '--json'], dir);
  if (result.code !== 0) throw new Error(describeResult(`npm pack ${dir}`, result));
  const [packed] = JSON.parse(result.stdout) as [{ filename: string }];
  return path.join(dest, packed.filename);
}

/**
 * Packs the built SDK and host into `dest`: they are not on the public registry yet, so generated
 * projects install them from these files. Fails when either is not built.
 */
export async function packWorkspace(dest: string): Promise<WorkspaceTarballs> {
  return {
    sdk: await pack(SDK_DIR, dest, path.join('dist', 'testing', 'index.js')),
    host: await pack(HOST_DIR, dest, path.join('dist', 'cli.js')),
  };
}

/**
 * Points a generated project's `@ecmahost/sdk` and `@ecmahost/host` dev dependencies at tarballs
 * (the peer range stays as generated), and makes the host use that same SDK: an override naming
 * the project's own dependency (`$@ecmahost/sdk`), since the host's `^0.1.0` is on no registry.
 */
export async function useWorkspaceTarballs(projectDir: string, tarballs: WorkspaceTarballs): Promise<void> {
  const file = path.join(projectDir, 'package.json');
  const pkg = JSON.parse(await readFile(file, 'utf8')) as { devDependencies: Record<string, string>; overrides?: Record<string, string> };
  pkg.devDependencies['@ecmahost/sdk'] = `file:${tarballs.sdk}`;
  pkg.devDependencies['@ecmahost/host'] = `file:${tarballs.host}`;
  pkg.overrides = { ...pkg.overrides, '@ecmahost/sdk': '$@ecmahost/sdk' };
  await writeFile(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * The `node_modules` of a generated project, installed once and shared: every capability
 * combination has the same dependencies, the CSV template's are a superset of the other
 * templates', and the machine is small. The install is keyed by the
 * template's package.json and the SDK tarball, made in a scratch folder and renamed into place,
 * so concurrent runs never see half an install.
 */
export async function sharedNodeModules(tarballs: WorkspaceTarballs): Promise<string> {
  const key = createHash('sha256')
    .update(await readFile(path.join(PACKAGE_DIR, 'templates', 'csv', '_package.json')))
    .update(await readFile(tarballs.sdk))
    .update(await readFile(tarballs.host))
    .digest('hex')
    .slice(0, 16);
  const ready = path.join(CACHE_DIR, key);
  if (existsSync(path.join(ready, 'node_modules', '@ecmahost', 'sdk', 'package.json'))) return path.join(ready, 'node_modules');

  await mkdir(CACHE_DIR, { recursive: true });
  for (const entry of await readdir(CACHE_DIR)) {
    const old = path.join(CACHE_DIR, entry);
    if (Date.now() - (await stat(old)).mtimeMs > CACHE_MAX_AGE_MS) await rm(old, { recursive: true, force: true });
  }
  const scratch = await mkdtemp(path.join(CACHE_DIR, 'installing-'));
  const project = path.join(scratch, 'project');
  // The CSV template with every capability: its dependencies are a superset of every project's.
  const made = await runCommand(process.execPath, [CLI, project, '--yes', '--template', 'csv', '--capabilities', 'import,delta,export,password'], scratch);
  if (made.code !== 0) throw new Error(describeResult('create-ecma-connector', made));
  const local = { sdk: path.join(scratch, path.basename(tarballs.sdk)), host: path.join(scratch, path.basename(tarballs.host)) };
  await cp(tarballs.sdk, local.sdk);
  await cp(tarballs.host, local.host);
  await useWorkspaceTarballs(project, local);
  const result = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project);
  if (result.code !== 0) {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(describeResult('npm install in the generated project', result));
  }
  try {
    await rename(project, ready);
  } catch (error) {
    // Another run finished the same install first; its copy is as good as ours.
    if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await rm(scratch, { recursive: true, force: true });
  return path.join(ready, 'node_modules');
}

/** Copies a shared install into a project, as if `npm install` had run there. */
export async function copyNodeModules(nodeModules: string, projectDir: string): Promise<void> {
  await cp(nodeModules, path.join(projectDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
}
