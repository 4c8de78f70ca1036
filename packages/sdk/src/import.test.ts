import { describe, expect, it } from 'vitest';
import { attributeChange } from './changes.js';
import type { ImportEntryOfValues } from './import.js';
import { importEntryChanges, importValuesProblem, isAttributeValue } from './import.js';

const ofValues = (attributes: unknown, modification: unknown = 'add'): ImportEntryOfValues =>
  ({ objectType: 'person', modification, anchor: { id: 'a' }, attributes }) as ImportEntryOfValues;

describe('entries of values', () => {
  it('read as the add of each attribute with values, whichever form they came in', () => {
    const entry = ofValues({ id: 'a', mail: ['a@x', 'b@x'], none: [], gone: undefined, photo: new Uint8Array([1]) });
    expect(importEntryChanges(entry)).toEqual([attributeChange.add('id', 'a'), attributeChange.add('mail', ['a@x', 'b@x']), attributeChange.add('photo', new Uint8Array([1]))]);
    const changes = [attributeChange.add('id', 'a')];
    expect(importEntryChanges({ ...entry, attributes: undefined, attributeChanges: changes })).toBe(changes);
  });

  it('are refused with what is wrong: another modification, no object of values, a value of another type', () => {
    expect(importValuesProblem(ofValues({ id: 'a', n: 1, b: false, list: ['x', 2] }))).toBeUndefined();
    expect(importValuesProblem(ofValues({ id: 'a' }, 'update'))).toBe('an entry of values is an add or a replace, not update');
    expect(importValuesProblem(ofValues(null))).toBe('the attributes of an entry of values are an object of values by name');
    expect(importValuesProblem(ofValues(['id', 'a']))).toBe('the attributes of an entry of values are an object of values by name');
    const cases: [unknown, string][] = [
      [null, 'null'],
      [{}, 'of type object'],
      [[['nested']], 'a list'],
      [Number.NaN, 'NaN'],
      [-Infinity, '-Infinity'],
      [10n, 'of type bigint'],
      [Symbol('s'), 'of type symbol'],
      [new Date(0), 'of type object'],
    ];
    for (const [value, described] of cases) {
      expect(importValuesProblem(ofValues({ id: 'a', bad: value }))).toBe(`attribute bad has a value that is ${described}, not a string, a finite number, a boolean or a Uint8Array`);
    }
    expect([isAttributeValue('x'), isAttributeValue(0), isAttributeValue(true), isAttributeValue(new Uint8Array()), isAttributeValue(Buffer.from('x'))]).toEqual([true, true, true, true, true]);
  });
});
