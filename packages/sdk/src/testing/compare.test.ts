import { describe, expect, it } from 'vitest';
import { objectDifferences, sameAnchor, sameValue, sameValues } from './compare.js';

describe('sameValue', () => {
  it('compares binary bytewise, whatever the Uint8Array subclass', () => {
    expect(sameValue({ type: 'binary' }, Buffer.from([1, 2, 3]), Uint8Array.from([1, 2, 3]))).toBe(true);
    expect(sameValue({ type: 'binary' }, Uint8Array.from([1, 2, 3]), Uint8Array.from([1, 2]))).toBe(false);
    expect(sameValue({ type: 'binary' }, 'AQID', Uint8Array.from([1, 2, 3]))).toBe(false);
  });

  it('compares datetimes as instants', () => {
    expect(sameValue({ type: 'datetime' }, '2026-01-31T12:00:00.000Z', '2026-01-31T13:00:00+01:00')).toBe(true);
    expect(sameValue({ type: 'datetime' }, '2026-01-31T12:00:00Z', '2026-01-31T12:00:00.001Z')).toBe(false);
    expect(sameValue({ type: 'datetime' }, 'garbage', 'garbage')).toBe(false);
  });

  it('compares references as DNs unless case-exact, and integers as numbers', () => {
    expect(sameValue({ type: 'reference' }, 'CN=A, DC=Example', 'cn=a,dc=example')).toBe(true);
    expect(sameValue({ type: 'reference', caseExact: true }, 'CN=A', 'cn=a')).toBe(false);
    expect(sameValue({ type: 'integer' }, 42, '42' as never)).toBe(true);
    expect(sameValue({ type: 'string' }, 'Ann', 'ann')).toBe(false);
  });
});

describe('sameValues', () => {
  it('treats multi-valued attributes as sets, counting duplicates', () => {
    expect(sameValues({ type: 'string' }, ['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValues({ type: 'string' }, ['a', 'a'], ['a', 'b'])).toBe(false);
    expect(sameValues({ type: 'string' }, ['a'], ['a', 'b'])).toBe(false);
  });
});

describe('objectDifferences', () => {
  const attributes = [
    { name: 'mail', type: 'string', multiValued: true },
    { name: 'password', type: 'string', multiValued: false, operation: 'exportOnly' },
  ] as const;

  it('names each attribute read back differently, and skips export-only ones', () => {
    expect(objectDifferences(attributes, { mail: ['a', 'b'], password: 'x' }, { mail: ['a'] })).toEqual([
      'mail (string, multi-valued): expected ["a", "b"], read back ["a"]',
    ]);
    expect(objectDifferences(attributes, { nickname: 'x' }, {})).toEqual(['nickname is not an attribute of the object type in the discovered schema']);
  });
});

describe('sameAnchor', () => {
  it('matches every anchor attribute, numbers and strings alike', () => {
    expect(sameAnchor({ id: 7 }, { id: '7' })).toBe(true);
    expect(sameAnchor({ id: 7, tenant: 'a' }, { id: 7 })).toBe(false);
    expect(sameAnchor({}, {})).toBe(false);
    expect(sameAnchor({ '-dn-': 'CN=A,DC=X' }, { '-dn-': 'cn=a, dc=x' })).toBe(true);
  });
});
