import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Capability } from './capabilities.js';
import { ScaffoldError } from './scaffold-error.js';

/** The templates this package ships, in the order the prompt offers them; each is a real project under `templates/<name>/`. */
export const TEMPLATES = ['minimal', 'rest', 'csv'] as const;

/** The name of a shipped template. */
export type TemplateName = (typeof TEMPLATES)[number];

/** The template `--yes` uses: the skeleton an author grows into their own connector. */
export const DEFAULT_TEMPLATE: TemplateName = 'minimal';

/** What the prompt and `--help` say about a template, and the answers it suggests. */
export interface TemplateInfo {
  /** What the connector talks to, shown next to the template's name. */
  hint: string;
  /** The capabilities the template's code has; a selection may leave some out, never add one. */
  capabilities: readonly Capability[];
  displayName: string;
  description: string;
}

/** Every shipped template's {@link TemplateInfo}. */
export const TEMPLATE_INFO: Readonly<Record<TemplateName, TemplateInfo>> = {
  minimal: {
    hint: 'anything: the smallest skeleton (about 100 lines), keeping users in a JSON file until you point it at your system',
    capabilities: ['import', 'export'],
    displayName: 'My connector',
    description: 'An ecmahost connector.',
  },
  rest: {
    hint: 'a REST/HTTP API, with fetch; its tests run against a small local fake of the API',
    capabilities: ['import', 'export'],
    displayName: 'REST API',
    description: 'An ecmahost connector for a REST API.',
  },
  csv: {
    hint: 'a CSV file, one row per user: import, delta import, export and passwords',
    capabilities: ['import', 'delta', 'export', 'password'],
    displayName: 'CSV file',
    description: 'An ecmahost connector that keeps users in a CSV file.',
  },
};

/** Parses `--template <name>`; throws `ScaffoldError('invalid-argument')` naming the choices. */
export function parseTemplate(name: string): TemplateName {
  const found = TEMPLATES.find((t) => t === name.trim().toLowerCase());
  if (found === undefined) throw new ScaffoldError('invalid-argument', `Unknown template "${name}". Choose from: ${TEMPLATES.join(', ')}.`);
  return found;
}

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
export async function readOwnPackageJson(): Promise<{ version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }> {
  const text = await readFile(new URL('../package.json', import.meta.url), 'utf8');
  return JSON.parse(text) as { version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
}
