import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_VERSION } from '@ecmahost/sdk';
import type { Capability } from './capabilities.js';
import { capabilityProblems } from './capabilities.js';
import { applyConditions, evaluateCondition } from './conditions.js';
import { packageNameProblem } from './package-name.js';
import type { Placeholders } from './placeholders.js';
import { fillPlaceholders } from './placeholders.js';
import { ScaffoldError } from './scaffold-error.js';
import type { TemplateName } from './template.js';
import { DEFAULT_TEMPLATE, TEMPLATE_INFO, TEMPLATE_MANIFEST, readManifest, readOwnPackageJson, templateDir } from './template.js';
import { textAnswerProblem } from './text-answer.js';

/** What {@link scaffold} creates. */
export interface ScaffoldOptions {
  /** The folder to create the project in; created when missing. */
  targetDir: string;
  /** The npm package name, e.g. `@acme/ecma-connector-hr`. */
  packageName: string;
  /** The name admins see, e.g. `HR export file`. */
  displayName: string;
  /** One sentence for package.json and the README. */
  description: string;
  /** The capabilities to keep; code for the others is left out. Must include `import`. */
  capabilities: readonly Capability[];
  /** The semver range of `@ecmahost/sdk` the project depends on; defaults to the range this scaffolder was built with. */
  sdkRange?: string;
  /** Write into a folder that already has files (files of the template overwrite theirs; nothing else is deleted). */
  force?: boolean;
  /** Which template (default `minimal`); the capabilities must be ones it has. */
  template?: TemplateName;
}

/** What {@link scaffold} did. */
export interface ScaffoldResult {
  /** The absolute path of the project. */
  dir: string;
  /** The files written, relative to `dir`, `/`-separated, sorted. */
  files: string[];
}

// Files renamed on copy: npm never publishes a `.gitignore` (it would become `.npmignore`), so the
// template keeps it as `_gitignore`, as create-vite does; and a nested `package.json` inside this
// package would be taken for a package of its own by tools (publint flags its `exports`).
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore', '_package.json': 'package.json' };
// Files and folders never copied: build output and installs made while working on the template.
const SKIPPED = new Set([TEMPLATE_MANIFEST, 'node_modules', 'dist', 'package-lock.json']);
// Files that get `#if` markers and `{{placeholders}}` applied; everything else is copied byte for byte.
const PATCHED = /\.(?:[cm]?ts|md)$/;

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(path.join(dir, entry.name), relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!info.isDirectory()) throw new ScaffoldError('target-not-empty', `${dir} exists and is not a folder`);
  // An empty git repository counts as empty, so `git init && npm create ecma-connector .` works.
  return (await readdir(dir)).some((name) => name !== '.git');
}

function checkOptions(options: ScaffoldOptions): void {
  const problems = [
    packageNameProblem(options.packageName),
    textAnswerProblem('display name', options.displayName),
    textAnswerProblem('description', options.description),
    ...capabilityProblems(options.capabilities, { template: options.template ?? DEFAULT_TEMPLATE, capabilities: TEMPLATE_INFO[options.template ?? DEFAULT_TEMPLATE].capabilities }),
  ].filter((p): p is string => p !== undefined);
  if (options.sdkRange !== undefined && !/^[\w.^~<>=|*\s-]+$/.test(options.sdkRange)) {
    problems.push(`"${options.sdkRange}" is not a semver range`);
  }
  if (problems.length > 0) throw new ScaffoldError('invalid-argument', problems.join('; '));
}

type PackageJson = Record<string, unknown> & {
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  keywords?: string[];
};

function patchPackageJson(text: string, options: ScaffoldOptions, values: Placeholders): string {
  const pkg = JSON.parse(text) as PackageJson;
  pkg.name = options.packageName;
  pkg.version = '0.1.0';
  pkg.description = options.description;
  pkg.keywords = [...new Set(['ecma-connector', ...(pkg.keywords ?? [])])];
  // The field the host's plugin loader discovers: which module exports the connector and which
  // contract version it was generated for.
  pkg.ecmahost = { connector: './dist/index.js', apiVersion: API_VERSION };
  pkg.peerDependencies = { ...pkg.peerDependencies, '@ecmahost/sdk': values.sdkRange };
  pkg.devDependencies = { ...pkg.devDependencies, '@ecmahost/sdk': values.sdkRange };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * Creates a connector project from a template: copies the template's files, leaves out the files
 * and `#if` blocks of capabilities not selected, fills in the placeholders and writes package.json
 * with the `ecmahost` manifest field and `@ecmahost/sdk` as a peer dependency.
 *
 * Throws `ScaffoldError`: `invalid-argument` for a bad answer, `target-not-empty` when the folder
 * has files and `force` is not set, `template-error` for a broken template.
 */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  checkOptions(options);
  const dir = path.resolve(options.targetDir);
  if (!options.force && (await isNonEmptyDir(dir))) {
    throw new ScaffoldError('target-not-empty', `${dir} is not empty. Choose another folder, or pass --force to write into it.`);
  }
  const source = templateDir(options.template ?? DEFAULT_TEMPLATE);
  const manifest = await readManifest(source);
  const own = await readOwnPackageJson();
  const values: Placeholders = {
    packageName: options.packageName,
    folder: path.basename(dir),
    template: options.template ?? DEFAULT_TEMPLATE,
    displayName: options.displayName,
    description: options.description,
    sdkRange: options.sdkRange ?? own.dependencies?.['@ecmahost/sdk'] ?? `^${own.version}`,
    apiVersion: String(API_VERSION),
  };

  const files = await listFiles(source);
  const unknown = Object.keys(manifest.files ?? {}).filter((f) => !files.includes(f));
  if (unknown.length > 0) throw new ScaffoldError('template-error', `${TEMPLATE_MANIFEST} names files the template does not have: ${unknown.join(', ')}`);
  const written: string[] = [];
  for (const file of files) {
    const condition = manifest.files?.[file];
    if (condition !== undefined && !evaluateCondition(condition, options.capabilities, `${TEMPLATE_MANIFEST} files.${file}`)) continue;
    const base = path.posix.basename(file);
    const target = path.posix.join(path.posix.dirname(file), RENAMED[base] ?? base);
    const from = path.join(source, file);
    let content: string | Buffer;
    if (target === 'package.json') {
      content = patchPackageJson(await readFile(from, 'utf8'), options, values);
    } else if (PATCHED.test(file)) {
      content = fillPlaceholders(applyConditions(await readFile(from, 'utf8'), options.capabilities, file), values, file);
    } else {
      content = await readFile(from);
    }
    await mkdir(path.dirname(path.join(dir, target)), { recursive: true });
    await writeFile(path.join(dir, target), content);
    written.push(target);
  }
  return { dir, files: written.sort() };
}
