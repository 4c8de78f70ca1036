/**
 * How the property-based suites run, as the host's and the generic SQL connector's do: a fixed seed
 * and bounded case counts in the normal suite, ten times the cases under `npm run fuzz` (vitest
 * `--mode fuzz`). `ECMAHOST_FUZZ_SCALE` (a multiplier) and `ECMAHOST_FUZZ_SEED` override both, to
 * run a longer campaign or replay a reported failure.
 */
export const FUZZ_SCALE = Number(process.env.ECMAHOST_FUZZ_SCALE ?? (process.env.MODE === 'fuzz' ? 10 : 1));

/** fast-check parameters for a property with its own fixed seed, run `cases` times at scale 1. */
export function fuzzParameters(seed: number, cases: number): { seed: number; numRuns: number } {
  return { seed: Number(process.env.ECMAHOST_FUZZ_SEED ?? seed), numRuns: Math.max(1, Math.round(cases * FUZZ_SCALE)) };
}

/** A property's vitest timeout: two minutes at scale 1, longer for larger campaigns. */
export const FUZZ_TIMEOUT_MS = 120_000 * Math.max(1, FUZZ_SCALE);
