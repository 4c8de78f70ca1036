import { ScaffoldError } from './scaffold-error.js';

/** The capabilities a generated connector can be given, as named on the command line and in the template's markers. */
export const CAPABILITIES = ['import', 'delta', 'export', 'password'] as const;

/** One capability of a generated connector: full `import`, `delta` import, `export`, `password` set/change. */
export type Capability = (typeof CAPABILITIES)[number];

/** What `--yes` selects: a connector Entra can provision into and read back incrementally. */
export const DEFAULT_CAPABILITIES: readonly Capability[] = ['import', 'delta', 'export'];

/** One-line explanations shown next to each capability in the prompt and in `--help`. */
export const CAPABILITY_HINTS: Readonly<Record<Capability, string>> = {
  import: 'full import: the host fills its cache from the target (required)',
  delta: 'delta import: only users changed since the last import',
  export: 'export: add, update, replace and delete users when Entra provisions',
  password: 'password: set and change passwords',
};

function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}

/**
 * Problems with a capability selection, as messages; empty when it is usable. Import is required
 * because the host answers Entra's lookups from a cache that only imports fill; a template can
 * only leave out code it has, so a capability outside `supported` (with its template's name) is refused.
 */
export function capabilityProblems(selected: readonly Capability[], supported?: { template: string; capabilities: readonly Capability[] }): string[] {
  const problems: string[] = [];
  if (!selected.includes('import')) {
    problems.push('import is required: the host answers Entra\u2019s lookups from the cache that imports fill');
  }
  const missing = supported === undefined ? [] : selected.filter((c) => !supported.capabilities.includes(c));
  if (supported !== undefined && missing.length > 0) {
    problems.push(`the ${supported.template} template has no ${missing.join(', ')} (it has ${supported.capabilities.join(', ')}); choose the csv template for every capability`);
  }
  return problems;
}

/** The capabilities `--yes` selects for a template: the defaults it has. */
export function defaultCapabilitiesFor(supported: readonly Capability[]): Capability[] {
  return DEFAULT_CAPABILITIES.filter((c) => supported.includes(c));
}

/**
 * Parses `--capabilities import,delta,export`: a comma-separated list in any order, duplicates
 * ignored, returned in canonical order. Throws `ScaffoldError('invalid-argument')` naming an
 * unknown capability or an unusable selection.
 */
export function parseCapabilities(list: string): Capability[] {
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  for (const name of names) {
    if (!isCapability(name)) {
      throw new ScaffoldError('invalid-argument', `Unknown capability "${name}". Choose from: ${CAPABILITIES.join(', ')}.`);
    }
  }
  const selected = CAPABILITIES.filter((c) => names.includes(c));
  const problems = capabilityProblems(selected);
  if (problems.length > 0) throw new ScaffoldError('invalid-argument', `--capabilities ${list}: ${problems.join('; ')}.`);
  return selected;
}
