import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../src/middleware/json-body.js';
import { isScimError } from '../src/scim/errors.js';
import type { ScimType } from '../src/scim/errors.js';
import { formatFilter, formatPath } from '../src/scim/filter-ast.js';
import type { Filter } from '../src/scim/filter-ast.js';
import { evaluateFilter } from '../src/scim/filter-evaluate.js';
import { MAX_FILTER_LENGTH, MAX_FILTER_TERMS, MAX_PATH_LENGTH, parseFilter, parsePath } from '../src/scim/filter-parser.js';
import { applyPatch, normalizePatch } from '../src/scim/patch.js';
import { anyText, filterLikeText, filterTree, fuzzParameters, patchPath } from './fixtures/fuzz.js';

// Property-based fuzzing of the host's parsers (issue 15): any input gives a value or a SCIM 400
// of the right type, never another exception; valid input (within the limits) round-trips exactly.

/** Runs `parse`; returns 'ok' or the ScimError's "status scimType", and rethrows anything else. */
function outcome(parse: () => unknown): string {
  try {
    parse();
    return 'ok';
  } catch (error) {
    if (!isScimError(error)) throw error;
    return `${error.status} ${error.scimType ?? ''}`;
  }
}

function terms(filter: Filter): number {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return terms(filter.left) + terms(filter.right);
    case 'not':
      return terms(filter.filter);
    default:
      return 1 + (filter.path.filter === undefined ? 0 : terms(filter.path.filter));
  }
}

const USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'ada',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ type: 'work', value: 'ada@example.com', primary: true }],
  active: true,
  'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User': { login: 'ada', employeeNumber: 7 },
};

describe('the SCIM filter parser', () => {
  it('answers any text with a filter or a 400 invalidFilter', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, filterLikeText), (text) => {
        expect(['ok', '400 invalidFilter']).toContain(outcome(() => evaluateFilter(parseFilter(text), USER)));
      }),
      fuzzParameters(4000),
    );
  });

  it('reads back every filter it can format, exactly', () => {
    fc.assert(
      fc.property(
        filterTree.filter((f) => terms(f) <= MAX_FILTER_TERMS && formatFilter(f).length <= MAX_FILTER_LENGTH),
        (filter) => {
          expect(parseFilter(formatFilter(filter))).toEqual(filter);
        },
      ),
      fuzzParameters(3000),
    );
  });
});

describe('the PATCH path parser and engine', () => {
  it('answers any text with a path or a 400 invalidPath', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, filterLikeText), (text) => {
        expect(['ok', '400 invalidPath']).toContain(outcome(() => parsePath(text)));
      }),
      fuzzParameters(4000),
    );
  });

  it('reads back every path it can format, exactly', () => {
    fc.assert(
      fc.property(
        patchPath.filter((p) => (p.filter === undefined || terms(p.filter) <= MAX_FILTER_TERMS) && formatPath(p).length <= MAX_PATH_LENGTH),
        (path) => {
          expect(parsePath(formatPath(path))).toEqual(path);
        },
      ),
      fuzzParameters(3000),
    );
  });

  it('answers any PATCH body with a patched copy or a 400, and never changes the original', () => {
    const operation = fc.record(
      { op: fc.constantFrom('add', 'replace', 'remove', 'Replace', 'copy'), path: fc.oneof(patchPath.map(formatPath), filterLikeText), value: fc.jsonValue({ maxDepth: 3 }) },
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.record({ Operations: fc.array(operation, { maxLength: 4 }) }), fc.jsonValue({ maxDepth: 4 }));
    const allowed: `400 ${ScimType}`[] = ['400 invalidSyntax', '400 invalidPath', '400 invalidValue', '400 noTarget', '400 tooMany'];
    fc.assert(
      fc.property(body, (patch) => {
        const before = structuredClone(USER);
        const result = outcome(() => applyPatch(USER, normalizePatch(patch, ['urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User'])));
        expect(['ok', ...allowed]).toContain(result);
        expect(USER).toEqual(before);
      }),
      fuzzParameters(4000),
    );
  });

  it('stores a replaced value byte for byte', () => {
    fc.assert(
      fc.property(fc.constantFrom('displayName', 'name.givenName', 'emails[type eq "work"].value', 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:login'), fc.string({ unit: 'grapheme', maxLength: 30 }), (path, value) => {
        const patched = applyPatch(USER, normalizePatch({ Operations: [{ op: 'replace', path, value }] }, ['urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User']));
        const filter = parseFilter(`${path.replace(/\[.*\]/, '[type eq "work"]')} eq ${JSON.stringify(value)}`);
        expect(evaluateFilter(filter, patched, { caseExact: () => true })).toBe(true);
      }),
      fuzzParameters(2000),
    );
  });
});

describe('the JSON body reader', () => {
  it('answers any bytes with a value or a 400 invalidSyntax/invalidValue', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s))), (bytes) => {
        expect(['ok', '400 invalidSyntax', '400 invalidValue']).toContain(outcome(() => parseJsonText(bytes)));
      }),
      fuzzParameters(4000),
    );
  });

  it('reads back every JSON text of well-formed strings byte for byte, and refuses lone surrogates', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), anyText);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6, stringUnit: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 1 }), anyText) }), text, (value, extra) => {
        let wellFormed = true;
        // JSON.stringify writes a lone surrogate as a \uD800-style escape, as a hostile client would.
        const serialised = JSON.stringify({ value, extra }, (key, v: unknown) => {
          if (/\p{Surrogate}/u.test(key) || (typeof v === 'string' && /\p{Surrogate}/u.test(v))) wellFormed = false;
          return v;
        });
        if (wellFormed) expect(JSON.stringify(parseJsonText(Buffer.from(serialised)))).toBe(serialised);
        else expect(outcome(() => parseJsonText(Buffer.from(serialised)))).toBe('400 invalidValue');
      }),
      fuzzParameters(3000),
    );
  });
});
