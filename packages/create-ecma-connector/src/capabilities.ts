import { ScaffoldError } from './scaffold-error.js';

/** The capabilities a generated connector can be given, as named on the command line and in the template's markers. */
export const CAPABILITIES = ['import', 'delta', 'export', 'password'] as const;

/** One capability of a generated connector: full `import`, `delta` import, `export`, `password` set/change. */
export type Capability = (typeof CAPABILITIES)[number];

/** What `--yes` selects: a connector Entra can provision into and read back incrementally. */
export const DEFAULT_CAPABILITIES: readonly Capability[] = ['import', 'delta', 'export'];

/** One-line explanations shown next to each capability in the prompt and in `--help`. */
export const CAPABILITY_HINTS: Readonly<Record<Capability, string>> = {
  import: 'full import: the host fills its cache from the CSV file (required)',
  delta: 'delta import: only rows changed since the last import, from a change journal',
  export: 'export: add, update, replace and delete rows when Entra provisions',
  password: 'password: set and change passwords, stored as scrypt hashes',
};

function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}

/**
 * Problems with a capability selection, as messages; empty when it is usable. Import is required
 * because the host answers Entra's lookups from a cache that only imports fill.
 */
export function capabilityProblems(selected: readonly Capability[]): string[] {
  const problems: string[] = [];
  if (!selected.includes('import')) {
    problems.push('import is required: the host answers Entra\u2019s lookups from the cache that imports fill');
  }
  return problems;
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
