import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScaffoldError } from './scaffold-error.js';

/** The templates this package ships; each is a real project under `templates/<name>/`. */
export const TEMPLATES = ['csv'] as const;

/** The name of a shipped template. */
export type TemplateName = (typeof TEMPLATES)[number];

/** The file in a template folder that tells the scaffolder what depends on which capability; never copied. */
export const TEMPLATE_MANIFEST = '_template.json';

/**
 * A template's `_template.json`. Conditions use the `#if` marker syntax (`export`, `delta || password`).
 */
export interface TemplateManifest {
  /** Files (paths relative to the template, `/`-separated) copied only when their condition holds. */
  files?: Record<string, string>;
}

/** The absolute path of a shipped template's folder (from `dist/` or `src/`, both one level below the package). */
export function templateDir(name: TemplateName): string {
  return fileURLToPath(new URL(`../templates/${name}/`, import.meta.url));
}

/** Reads and checks a template's manifest. */
export async function readManifest(dir: string): Promise<TemplateManifest> {
  const parsed: unknown = JSON.parse(await readFile(path.join(dir, TEMPLATE_MANIFEST), 'utf8'));
  const files = (parsed as TemplateManifest | null)?.files;
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    (files === undefined || (typeof files === 'object' && files !== null && Object.values(files).every((c) => typeof c === 'string')));
  if (!valid) throw new ScaffoldError('template-error', `${TEMPLATE_MANIFEST} must be { "files": { "<path>": "<condition>" } }`);
  return parsed as TemplateManifest;
}

/** This package's own package.json, read from beside `dist/` (or `src/` under test). */
export async function readOwnPackageJson(): Promise<{ version: string; dependencies?: Record<string, string> }> {
  const text = await readFile(new URL('../package.json', import.meta.url), 'utf8');
  return JSON.parse(text) as { version: string; dependencies?: Record<string, string> };
}
