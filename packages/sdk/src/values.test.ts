import { describe, expect, it } from 'vitest';
import { isValueOfType, toValueArray, valuesEqual } from './values.js';

describe('attribute values', () => {
  it.each([
    ['x', 'string', true],
    [1, 'string', false],
    [42, 'integer', true],
    [4.2, 'integer', false],
    [2 ** 60, 'integer', false],
    [false, 'boolean', true],
    ['false', 'boolean', false],
    [Buffer.from('ab'), 'binary', true],
    ['YWI=', 'binary', false],
    ['CN=a,DC=b', 'reference', true],
    ['2026-01-31T12:00:00.000Z', 'datetime', true],
    ['not a date', 'datetime', false],
    ['2026-01-31T13:00:00+01:00', 'datetime', true],
    ['2026-01-31', 'datetime', true],
    ['January 31, 2026', 'datetime', false],
    ['2026-13-45T99:00:00Z', 'datetime', false],
  ] as const)('isValueOfType(%j, %s) is %s', (value, type, expected) => {
    expect(isValueOfType(value, type)).toBe(expected);
  });

  it('compares binary values bytewise and others strictly', () => {
    expect(valuesEqual(Buffer.from([1, 2]), Uint8Array.from([1, 2]))).toBe(true);
    expect(valuesEqual(Uint8Array.from([1, 2]), Uint8Array.from([1, 3]))).toBe(false);
    expect(valuesEqual(Uint8Array.from([1]), '1')).toBe(false);
    expect(valuesEqual(1, '1')).toBe(false);
  });

  it('normalises one-or-many to a fresh array', () => {
    const many = ['a', 'b'];
    expect(toValueArray(undefined)).toEqual([]);
    expect(toValueArray('a')).toEqual(['a']);
    expect(toValueArray(many)).not.toBe(many);
  });
});
