import { describe, expect, it } from 'vitest';
import { formatFilter } from './filter-ast.js';
import { evaluateFilter, evaluationBudget } from './filter-evaluate.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_TERMS, MAX_PATH_LENGTH, parseFilter, parsePath } from './filter-parser.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';

describe('parseFilter', () => {
  it('parses a comparison with any operator case', () => {
    expect(parseFilter('userName EQ "bjensen"')).toEqual({ kind: 'compare', path: { attr: 'userName' }, op: 'eq', value: 'bjensen' });
  });

  it('takes any JavaScript white space between words, ASCII or not, and ends words at (, ), [, ] and quotes', () => {
    expect(parseFilter('\tuserName\u00a0eq\u2003"x"\r\n')).toEqual({ kind: 'compare', path: { attr: 'userName' }, op: 'eq', value: 'x' });
    expect(formatFilter(parseFilter('not\u3000(a eq 1)\vand\fb pr'))).toBe('(not (a eq 1) and b pr)');
    expect(parseFilter('emails[type eq "work"]')).toEqual({ kind: 'has', path: { attr: 'emails', filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' } } });
    // A character outside the BMP is no space: it stays in the word.
    expect(parseFilter('a eq x\u{1F600}y')).toMatchObject({ value: 'x\u{1F600}y' });
    expect(() => parseFilter('a\u200beq 1')).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
  });

  it('gives not > and > or precedence (RFC 7644 §3.4.2.2)', () => {
    expect(formatFilter(parseFilter('a eq 1 or b eq 2 and not (c eq 3)'))).toBe('(a eq 1 or (b eq 2 and not (c eq 3)))');
    expect(formatFilter(parseFilter('(a eq 1 or b eq 2) and c pr'))).toBe('((a eq 1 or b eq 2) and c pr)');
  });

  it('parses literals: strings with JSON escapes, numbers, booleans, null', () => {
    expect(parseFilter('a eq "say \\"hi\\" \\u00e9\\\\"')).toMatchObject({ value: 'say "hi" é\\' });
    expect(parseFilter('a gt -1.5e2')).toMatchObject({ value: -150 });
    expect(parseFilter('a eq True')).toMatchObject({ value: true });
    expect(parseFilter('a eq null')).toMatchObject({ value: null });
  });

  it('takes an unquoted word as a string, as older Microsoft docs write (externalId eq jyoung)', () => {
    expect(parseFilter('externalId eq jyoung')).toMatchObject({ value: 'jyoung' });
  });

  it('parses URN-qualified attributes, including names starting with a dash', () => {
    expect(parseFilter(`${EXT}:-dn- eq "CN=a,DC=b"`)).toMatchObject({ path: { schema: EXT, attr: '-dn-' }, value: 'CN=a,DC=b' });
    expect(parseFilter(`${EXT}:msDS-UserAccountDisabled eq "True"`)).toMatchObject({ path: { schema: EXT, attr: 'msDS-UserAccountDisabled' } });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "B"')).toMatchObject({
      path: { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'name', sub: 'givenName' },
    });
  });

  it('parses value paths, alone and followed by a sub-attribute comparison (Entra matching)', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toMatchObject({ kind: 'has', path: { attr: 'emails', filter: { kind: 'and' } } });
    expect(parseFilter('emails[type eq "work"].value eq "a@b.c"')).toMatchObject({
      kind: 'compare',
      path: { attr: 'emails', sub: 'value', filter: { kind: 'compare', op: 'eq', value: 'work' } },
      value: 'a@b.c',
    });
  });

  it('treats keywords inside strings and attribute names as data', () => {
    expect(parseFilter('displayName eq "black and white or not"')).toMatchObject({ kind: 'compare', value: 'black and white or not' });
    expect(parseFilter('order eq "x" and notes pr')).toMatchObject({ kind: 'and', left: { path: { attr: 'order' } }, right: { kind: 'present', path: { attr: 'notes' } } });
  });

  it.each([
    ['userName eq', 'expected a value'],
    ['userName', 'expected an operator'],
    ['userName xx "a"', 'unknown operator'],
    ['(userName eq "a"', 'missing ")"'],
    ['userName eq "a', 'unterminated string'],
    ['userName eq "a" and', 'expected an attribute name'],
    ['userName eq "a" b', 'unexpected text'],
    ['a.b.c eq 1', 'invalid attribute path'],
    ['userName eq "\\x"', 'invalid escape'],
    ['emails[type eq "w"', 'missing "]"'],
  ])('refuses %s with invalidFilter (%s)', (text, message) => {
    expect(() => parseFilter(text)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter', detail: expect.stringContaining(message) }));
  });

  it('refuses filters nested too deeply or too long instead of exhausting the stack', () => {
    expect(() => parseFilter(`${'('.repeat(500)}a eq 1${')'.repeat(500)}`)).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
    expect(() => parseFilter(`a eq "${'x'.repeat(20_000)}"`)).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
  });

  it(`accepts ${MAX_FILTER_TERMS} terms and ${MAX_FILTER_DEPTH} levels, and refuses one more of either`, () => {
    const terms = (n: number): string => Array.from({ length: n }, () => 'a pr').join(' and ');
    const nested = (n: number): string => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
    expect(() => parseFilter(terms(MAX_FILTER_TERMS))).not.toThrow();
    expect(() => parseFilter(terms(MAX_FILTER_TERMS + 1))).toThrow(expect.objectContaining({ scimType: 'invalidFilter', detail: expect.stringContaining(`more than ${MAX_FILTER_TERMS} terms`) }));
    expect(() => parseFilter(nested(MAX_FILTER_DEPTH))).not.toThrow();
    expect(() => parseFilter(nested(MAX_FILTER_DEPTH + 1))).toThrow(expect.objectContaining({ scimType: 'invalidFilter', detail: expect.stringContaining(`more than ${MAX_FILTER_DEPTH} levels`) }));
  });

  it('stops evaluating a filter once its budget is spent', () => {
    const filter = parseFilter('a eq 1 or b eq 2');
    const options = { budget: evaluationBudget(4) };
    expect(evaluateFilter(filter, { a: 2, b: 2 }, options)).toBe(true);
    // Two terms, then one: `or` stops at a match.
    expect(evaluateFilter(filter, { a: 1 }, options)).toBe(true);
    expect(() => evaluateFilter(filter, { a: 2 }, options)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter', detail: expect.stringContaining('more than 4 term evaluations') }));
    // Another request's budget is its own; without one, evaluation is not bounded.
    expect(evaluateFilter(filter, { a: 1 }, { budget: evaluationBudget(4) })).toBe(true);
    expect(evaluateFilter(filter, { a: 1 })).toBe(true);
  });
});

describe('parsePath', () => {
  it('parses PATCH paths', () => {
    expect(parsePath('name.familyName')).toEqual({ attr: 'name', sub: 'familyName' });
    expect(parsePath('emails[type eq "work"].value')).toMatchObject({ attr: 'emails', sub: 'value', filter: { kind: 'compare' } });
    expect(parsePath('members[value eq "7f4b"]')).toMatchObject({ attr: 'members', filter: { value: '7f4b' } });
    expect(parsePath(`${EXT}:employeeNumber`)).toEqual({ schema: EXT, attr: 'employeeNumber' });
  });

  it('refuses a bad path with invalidPath', () => {
    expect(() => parsePath('emails[type eq')).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidPath' }));
    expect(() => parsePath('a b')).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  });

  it(`refuses a path over ${MAX_PATH_LENGTH} characters or with a value filter over the term limit`, () => {
    expect(() => parsePath(`a${'b'.repeat(MAX_PATH_LENGTH)}`)).toThrow(expect.objectContaining({ scimType: 'invalidPath', detail: expect.stringContaining(`longer than ${MAX_PATH_LENGTH}`) }));
    expect(() => parsePath(`emails[${Array.from({ length: MAX_FILTER_TERMS + 1 }, () => 'a pr').join(' or ')}]`)).toThrow(
      expect.objectContaining({ scimType: 'invalidPath', detail: expect.stringContaining(`more than ${MAX_FILTER_TERMS} terms`) }),
    );
  });
});
