import { describe, expect, it } from 'vitest';
import { applyAttributeChanges, attributeChange, attributeChangesOf } from './changes.js';

describe('attributeChange builders', () => {
  it('build the ECMA2 shapes', () => {
    expect(attributeChange.add('mail', ['a', 'b'])).toEqual({
      name: 'mail',
      modification: 'add',
      valueChanges: [
        { modification: 'add', value: 'a' },
        { modification: 'add', value: 'b' },
      ],
    });
    expect(attributeChange.replace('title', 'Boss').valueChanges).toEqual([{ modification: 'add', value: 'Boss' }]);
    expect(attributeChange.update('mail', { add: ['c'], delete: ['a'] }).valueChanges).toEqual([
      { modification: 'add', value: 'c' },
      { modification: 'delete', value: 'a' },
    ]);
    expect(attributeChange.delete('title')).toEqual({ name: 'title', modification: 'delete', valueChanges: [] });
  });

  it('attributeChangesOf leaves out attributes without values', () => {
    expect(attributeChangesOf({ a: 'x', b: [], c: [1, 2] }).map((c) => c.name)).toEqual(['a', 'c']);
  });
});

describe('applyAttributeChanges', () => {
  const current = { title: 'Dev', mail: ['a@x', 'b@x'], badge: [Uint8Array.from([1, 2])] };

  it('replaces, adds and deletes whole attributes', () => {
    const next = applyAttributeChanges(current, [
      attributeChange.replace('title', 'Lead'),
      attributeChange.add('phone', ['123']),
      attributeChange.delete('mail'),
    ]);
    expect(next).toEqual({ title: ['Lead'], phone: ['123'], badge: [Uint8Array.from([1, 2])] });
  });

  it('keeps an attribute named __proto__ like any other (a target may name a column so)', () => {
    const added = applyAttributeChanges({}, [attributeChange.add('__proto__', ['x'])]);
    expect(Object.keys(added)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(added)).toBe(Object.prototype);
    const updated = applyAttributeChanges(added, [attributeChange.update('__proto__', { add: ['y'], delete: ['x'] })]);
    expect(Object.getOwnPropertyDescriptor(updated, '__proto__')?.value).toEqual(['y']);
    expect(Object.keys(applyAttributeChanges(updated, [attributeChange.delete('__proto__')]))).toEqual([]);
  });

  it('keeps attributes named as Object.prototype members as own values', () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
    const added = applyAttributeChanges({ toString: ['kept'] }, names.slice(1).map((name, i) => attributeChange.add(name, [String(i)])));
    expect(Object.keys(added).sort()).toEqual(names.slice(1).sort());
    expect(Object.getOwnPropertyDescriptor(added, 'toString')?.value).toEqual(['0']);
    const updated = applyAttributeChanges(added, [attributeChange.update('constructor', { add: ['c'] }), attributeChange.update('valueOf', { add: ['v'] })]);
    expect(Object.getOwnPropertyDescriptor(updated, 'constructor')?.value).toEqual(['c']);
    expect(Object.getOwnPropertyDescriptor(updated, 'valueOf')?.value).toEqual(['2', 'v']);
    expect(Object.getPrototypeOf(updated)).toBe(Object.prototype);
  });

  it('adds and deletes single values of a multi-valued attribute without duplicates', () => {
    const next = applyAttributeChanges(current, [attributeChange.update('mail', { add: ['c@x', 'b@x'], delete: ['a@x'] })]);
    expect(next.mail).toEqual(['b@x', 'c@x']);
  });

  it('compares binary values bytewise by default', () => {
    const next = applyAttributeChanges(current, [attributeChange.update('badge', { delete: [Uint8Array.from([1, 2])] })]);
    expect(next).not.toHaveProperty('badge');
  });

  it('drops an attribute left without values, and accepts a custom equality', () => {
    const ci = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
    const next = applyAttributeChanges(current, [attributeChange.update('mail', { delete: ['A@X', 'B@X'] })], ci);
    expect(next).not.toHaveProperty('mail');
  });

  it('leaves the current values untouched', () => {
    applyAttributeChanges(current, [attributeChange.update('mail', { delete: ['a@x'] })]);
    expect(current.mail).toEqual(['a@x', 'b@x']);
  });
});
