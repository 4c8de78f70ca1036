import type { AttributeValue, ImportEntry } from '@ecmahost/sdk';
import { importEntryChanges } from '@ecmahost/sdk';
import fc from 'fast-check';

/**
 * How the property-based suites run, as the host's fuzz suites do: a fixed seed and bounded case
 * counts in the normal suite, ten times the cases under vitest `--mode fuzz`. `ECMAHOST_FUZZ_SCALE`
 * (a multiplier) and `ECMAHOST_FUZZ_SEED` override both, to run a longer campaign or replay a
 * reported failure.
 */
export const FUZZ_SCALE = Number(process.env.ECMAHOST_FUZZ_SCALE ?? (process.env.MODE === 'fuzz' ? 10 : 1));
export const FUZZ_SEED = Number(process.env.ECMAHOST_FUZZ_SEED ?? 20_261_206);

/** A property's vitest timeout: two minutes at scale 1, longer for larger campaigns. */
export const FUZZ_TIMEOUT_MS = 120_000 * Math.max(1, FUZZ_SCALE);

/** fast-check parameters for a property run `cases` times at scale 1. */
export function fuzzParameters<T>(cases: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(cases * FUZZ_SCALE)) };
}

/**
 * Characters with a meaning somewhere in SQL: string and identifier quotes of every dialect,
 * escapes, LIKE wildcards, placeholders, comment and statement markers, NUL, and a few beyond the
 * BMP (four bytes in UTF-8, which MySQL's three-byte `utf8` cannot hold).
 */
export const sqlSpecial = fc.constantFrom("'", '"', '`', '[', ']', '\\', '%', '_', '?', '$1', '@p0', ':x', ';', '--', '/*', '*/', '#', '\0', '\t', '\r', '\n', ' ', 'é', 'ß', '\u{1F600}', '\u{10FFFD}', '\uFFFE', '\u202E');

/** Well-formed Unicode (any code point but lone surrogates), often the special characters, in any position. */
export function unicodeText(constraints: { minLength?: number; maxLength: number }): fc.Arbitrary<string> {
  const unit = fc.oneof(sqlSpecial, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
  return fc.string({ unit, ...constraints });
}

/**
 * A full import's entry as comparable data: every attribute's added values as a list, binary
 * values as hex. Its own properties, defined rather than assigned, so that an attribute named
 * `__proto__` is kept like any other.
 */
export function importedValues(entry: ImportEntry): Record<string, (Exclude<AttributeValue, Uint8Array> | { hex: string })[]> {
  return Object.fromEntries(
    importEntryChanges(entry).map((change) => [change.name, change.valueChanges.map(({ value }) => (value instanceof Uint8Array ? { hex: Buffer.from(value).toString('hex') } : value))]),
  );
}
