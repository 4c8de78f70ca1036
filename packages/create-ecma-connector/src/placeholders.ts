import { ScaffoldError } from './scaffold-error.js';

/** The values the template's `{{name}}` placeholders are replaced with. */
export interface Placeholders {
  packageName: string;
  /** The folder the project was created in (its last path segment), as the README's `cd` names it. */
  folder: string;
  /** The template the project was created from. */
  template: string;
  displayName: string;
  description: string;
  sdkRange: string;
  apiVersion: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

// In TypeScript the placeholders sit inside single-quoted string literals.
function escapeForTypeScript(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/**
 * Replaces every `{{name}}` in `text`. In `.ts` files values are escaped for a single-quoted string
 * literal. An unknown placeholder is a `template-error` naming `file`, so a typo in the template
 * never reaches a user's project.
 */
export function fillPlaceholders(text: string, values: Placeholders, file: string): string {
  const typescript = /\.[cm]?ts$/.test(file);
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) throw new ScaffoldError('template-error', `${file}: unknown placeholder {{${name}}}`);
    const value = values[name as keyof Placeholders];
    return typescript ? escapeForTypeScript(value) : value;
  });
}
