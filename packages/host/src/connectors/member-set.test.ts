import { describe, expect, it } from 'vitest';
import { MemberSet } from './member-set.js';

describe('MemberSet', () => {
  it('adds once, removes by swapping the last value in, and keeps every position right', () => {
    const values: string[] = ['a', 'b', 'c', 'd'];
    const set = new MemberSet(values, true);
    expect(set.add('b')).toBe(false);
    expect(set.add('e')).toBe(true);
    expect(set.delete('b')).toBe(true);
    expect(values).toEqual(['a', 'e', 'c', 'd']);
    expect(set.delete('e')).toBe(true);
    expect(set.delete('e')).toBe(false);
    expect(set.delete('d')).toBe(true);
    expect(values).toEqual(['a', 'c']);
    // A second MemberSet over the same array reuses its positions and sees the same members.
    const again = new MemberSet(values, true);
    expect(['a', 'b', 'c', 'd', 'e'].filter((v) => again.has(v))).toEqual(['a', 'c']);
    expect(again.delete('a')).toBe(true);
    expect(values).toEqual(['c']);
  });

  it('compares as the attribute does: DNs that differ only in case are one member unless caseExact', () => {
    const values = ['CN=Alice,DC=example'];
    const set = new MemberSet(values, false);
    expect(set.has('cn=alice,dc=example')).toBe(true);
    expect(set.add('cn=ALICE,dc=example')).toBe(false);
    expect(set.delete('cn=alice,DC=EXAMPLE')).toBe(true);
    expect(values).toEqual([]);
    expect(new MemberSet(['X'], true).has('x')).toBe(false);
  });
});
