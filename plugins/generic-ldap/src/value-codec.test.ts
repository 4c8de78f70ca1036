import { describe, expect, it } from 'vitest';
import { toLdap, valueReader } from './value-codec.js';

describe('values', () => {
  it('converts values by type and refuses values of the wrong type', () => {
    expect(valueReader({ name: 'uidNumber', type: 'integer' })(['42'])).toEqual([42]);
    expect(valueReader({ name: 'flag', type: 'boolean' })(['TRUE', 'FALSE'])).toEqual([true, false]);
    expect(() => valueReader({ name: 'uidNumber', type: 'integer' })(['x'])).toThrow(/not an integer/);
    expect(toLdap({ name: 'uidNumber', type: 'integer' }, 7)).toBe('7');
    expect(toLdap({ name: 'flag', type: 'boolean' }, false)).toBe('FALSE');
    expect(() => toLdap({ name: 'uidNumber', type: 'integer' }, 'seven')).toThrow(/takes an integer/);
    expect(toLdap({ name: 'jpegPhoto', type: 'binary' }, Uint8Array.from([1, 2]))).toEqual(Buffer.from([1, 2]));
  });
});
