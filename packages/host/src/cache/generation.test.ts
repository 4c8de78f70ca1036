import { describe, expect, it } from 'vitest';
import type { CachedObject } from './cached-object.js';
import { Generation } from './generation.js';

const object = (id: string, mail: string[]): CachedObject => ({
  id,
  anchor: { login: id },
  attributes: { login: [id], mail },
  created: '2024-01-01T00:00:00.000Z',
  lastModified: '2024-01-01T00:00:00.000Z',
});

describe('Generation index', () => {
  it('finds every object sharing a value, and each again once the others are gone or changed', () => {
    const generation = new Generation([{ name: 'mail', caseExact: false }]);
    generation.put(object('a', ['shared@x', 'a@x']));
    generation.put(object('b', ['SHARED@x']));
    generation.put(object('c', ['shared@x', 'shared@x']));
    expect(generation.lookup('mail', 'shared@X').sort()).toEqual(['a', 'b', 'c']);
    generation.remove('b');
    expect(generation.lookup('mail', 'shared@x').sort()).toEqual(['a', 'c']);
    generation.put(object('c', ['c@x']));
    expect(generation.lookup('mail', 'shared@x')).toEqual(['a']);
    expect(generation.lookup('mail', 'c@x')).toEqual(['c']);
    generation.remove('a');
    expect(generation.lookup('mail', 'shared@x')).toEqual([]);
    expect(generation.lookup('mail', 'a@x')).toEqual([]);
    generation.put(object('d', ['shared@x']));
    expect(generation.lookup('mail', 'shared@x')).toEqual(['d']);
  });

  it('indexes only the attributes it was given', () => {
    const generation = new Generation([{ name: 'login', caseExact: false }]);
    generation.put(object('a', ['a@x']));
    expect(generation.isIndexed('login')).toBe(true);
    expect(generation.isIndexed('mail')).toBe(false);
    expect(() => generation.lookup('mail', 'a@x')).toThrow('mail is not indexed');
  });

  it('builds an index on its first lookup, from the objects already there, and keeps it from then on', () => {
    const generation = new Generation([{ name: 'mail', caseExact: false }, { name: 'login', caseExact: true }]);
    generation.put(object('a', ['A@x']));
    generation.put(object('b', ['b@x']));
    expect(generation.builtIndexes()).toEqual([]);
    expect(generation.lookup('mail', 'a@X')).toEqual(['a']);
    expect(generation.builtIndexes()).toEqual(['mail']);
    generation.put(object('a', ['c@x']));
    generation.put(object('d', ['a@x']));
    expect(generation.lookup('mail', 'a@x')).toEqual(['d']);
    expect(generation.lookup('mail', 'c@x')).toEqual(['a']);
    generation.remove('b');
    expect(generation.lookup('mail', 'b@x')).toEqual([]);
    expect(generation.builtIndexes()).toEqual(['mail']);
  });

  it('maintains from the start the indexes it is given as built, and ignores names it does not index', () => {
    const generation = new Generation([{ name: 'mail', caseExact: false }], ['mail', 'phone']);
    expect(generation.builtIndexes()).toEqual(['mail']);
    generation.put(object('a', ['a@x']));
    expect(generation.lookup('mail', 'a@x')).toEqual(['a']);
    expect(generation.isIndexed('phone')).toBe(false);
  });

  it('answers from a packed space: carried and lazily built indexes, objects replaced, removed and added after it', () => {
    const generation = new Generation([{ name: 'mail', caseExact: false }, { name: 'login', caseExact: true }], ['login']);
    generation.beginPacking();
    generation.put(object('a', ['A@x']));
    generation.put(object('b', ['shared@x']));
    generation.put(object('a', ['a2@x'])); // the later record of an id wins, as in a map
    generation.put(object('c', ['shared@x']));
    generation.remove('c'); // a delete in the import drops what came before it
    generation.put(object('d', ['shared@x']));
    generation.seal('last');
    expect(generation.size).toBe(3);
    expect(generation.get('a')).toEqual(object('a', ['a2@x']));
    expect(generation.get('c')).toBeUndefined();
    expect(generation.lookup('login', 'a')).toEqual(['a']);
    expect(generation.lookup('login', 'A')).toEqual([]);
    expect(generation.lookup('mail', 'SHARED@x').sort()).toEqual(['b', 'd']);
    expect(generation.builtIndexes()).toEqual(['login', 'mail']);

    generation.put(object('b', ['b@x']));
    generation.remove('d');
    generation.put(object('e', ['shared@x']));
    expect(generation.lookup('mail', 'shared@x')).toEqual(['e']);
    expect(generation.lookup('mail', 'b@x')).toEqual(['b']);
    expect(generation.lookup('login', 'b')).toEqual(['b']);
    expect(generation.lookupObjects('login', 'e')).toEqual([object('e', ['shared@x'])]);
    expect([...generation.values()].map((o) => o.id)).toEqual(['a', 'b', 'e']);
    expect(generation.size).toBe(3);
    // Each read of a packed object is a new object: changing it changes nothing cached.
    generation.get('a')!.attributes.mail!.push('x@x');
    expect(generation.get('a')!.attributes.mail).toEqual(['a2@x']);
  });

  it('gives the objects of a lookup undecoded where they are packed, in the order lookupObjects gives them', () => {
    const generation = new Generation([{ name: 'mail', caseExact: false }, { name: 'login', caseExact: true }], ['login']);
    generation.beginPacking();
    for (const id of ['a', 'b', 'c']) generation.put(object(id, ['shared@x']));
    generation.seal('last');
    generation.put(object('b', ['shared@x', 'b@x']));
    generation.put(object('d', ['SHARED@x']));
    generation.remove('c');
    const read = (records: ReturnType<Generation['lookupRecords']>): unknown[] => records.map((r) => ('space' in r ? { packed: r.space.decode(r.slot) } : { overlay: r }));
    // `login` is carried by the records; `mail` is built over them on its first lookup (by id).
    for (const [attribute, value] of [
      ['login', 'a'],
      ['mail', 'SHARED@X'],
    ] as const) {
      const records = generation.lookupRecords(attribute, value);
      expect(read(records)).toEqual(generation.lookupObjects(attribute, value).map((o) => (o.id === 'a' ? { packed: o } : { overlay: o })));
    }
    expect(read(generation.lookupRecords('mail', 'shared@x')).map((r) => Object.keys(r as object)[0])).toEqual(['packed', 'overlay', 'overlay']);
    expect(generation.lookupRecords('login', 'c')).toEqual([]);
  });

  it('finds packed objects by ids and keys of any length and script, and never by a prefix of them', () => {
    const generation = new Generation([{ name: 'mail', caseExact: false }, { name: 'login', caseExact: true }], ['login']);
    // Records whose room is reserved from their strings' length (2-, 3- and 4-byte characters), long ones included.
    const ids = ['ä'.repeat(3000), '日本語'.repeat(700), '\u{1F600}é', 'plain', 'plai'];
    generation.beginPacking();
    for (const id of ids) generation.put(object(id, [`${id}@X`]));
    generation.seal('last');
    for (const id of ids) {
      expect(generation.get(id)?.id).toBe(id);
      expect(generation.lookup('login', id)).toEqual([id]);
      expect(generation.lookup('mail', `${id.toUpperCase()}@x`)).toEqual([id]);
    }
    expect(generation.get('pla')).toBeUndefined();
    expect(generation.get('plainx')).toBeUndefined();
    expect(generation.lookup('login', 'ä'.repeat(2999))).toEqual([]);
    expect(generation.lookup('login', '日本語'.repeat(701))).toEqual([]);
  });
});
