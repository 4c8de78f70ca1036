import { describe, expect, it } from 'vitest';
import type { CachedObject } from './cached-object.js';
import { ConnectorCache } from './connector-cache.js';

const object = (id: string, login: string, extra: Record<string, (string | number)[]> = {}): CachedObject => ({
  id,
  anchor: { login },
  attributes: { login: [login], ...extra },
  created: '2024-01-01T00:00:00.000Z',
  lastModified: '2024-01-01T00:00:00.000Z',
});

const indexed = [
  { name: 'login', caseExact: false },
  { name: 'code', caseExact: true },
  { name: 'number', caseExact: false },
];

function ready(objects: CachedObject[]): ConnectorCache {
  const cache = new ConnectorCache(indexed);
  const generation = cache.beginFull();
  for (const o of objects) generation.put(o);
  cache.commitFull(generation);
  return cache;
}

describe('ConnectorCache', () => {
  it('is importing until a first generation is committed', () => {
    const cache = new ConnectorCache(indexed);
    expect(cache.state).toBe('importing');
    const generation = cache.beginFull();
    generation.put(object('a', 'alice'));
    expect(cache.state).toBe('importing');
    expect(cache.get('a')).toBeUndefined();
    expect(() => cache.query({ predicate: () => true })).toThrow();
    cache.commitFull(generation);
    expect(cache.state).toBe('ready');
    expect(cache.get('a')?.anchor).toEqual({ login: 'alice' });
  });

  it('looks up eq through the index, case-insensitively unless caseExact', () => {
    const cache = ready([object('a', 'Alice', { code: ['AbC'], number: [42] }), object('b', 'bob', { code: ['abc'] })]);
    expect(cache.query({ lookup: { attribute: 'login', value: 'ALICE' }, predicate: () => true })).toMatchObject({ objects: [{ id: 'a' }], plan: { index: 'login', scanned: 1 } });
    expect(cache.query({ lookup: { attribute: 'code', value: 'abc' }, predicate: () => true }).objects.map((o) => o.id)).toEqual(['b']);
    expect(cache.query({ lookup: { attribute: 'number', value: '42' }, predicate: () => true }).objects.map((o) => o.id)).toEqual(['a']);
    expect(cache.query({ lookup: { id: 'b' }, predicate: () => true }).plan).toEqual({ index: 'id', scanned: 1 });
  });

  it('scans when the attribute has no index, and always applies the predicate', () => {
    const cache = ready([object('a', 'alice'), object('b', 'bob'), object('c', 'carol')]);
    expect(cache.query({ lookup: { attribute: 'mail', value: 'x' }, predicate: (o) => o.id !== 'b' })).toMatchObject({ plan: { index: null, scanned: 3 } });
    expect(cache.query({ lookup: { attribute: 'login', value: 'alice' }, predicate: () => false }).objects).toEqual([]);
  });

  it('keeps indexes right through updates and removals', () => {
    const cache = ready([object('a', 'alice', { code: ['one'] })]);
    cache.put(object('a', 'alice', { code: ['two'] }));
    expect(cache.query({ lookup: { attribute: 'code', value: 'one' }, predicate: () => true }).objects).toEqual([]);
    expect(cache.query({ lookup: { attribute: 'code', value: 'two' }, predicate: () => true }).objects).toHaveLength(1);
    cache.remove('a');
    expect(cache.query({ lookup: { attribute: 'code', value: 'two' }, predicate: () => true }).objects).toEqual([]);
    expect(cache.size).toBe(0);
  });

  it('keeps the live generation during a full import and replays writes made meanwhile onto the new one', () => {
    const cache = ready([object('a', 'alice'), object('b', 'bob')]);
    const next = cache.beginFull();
    next.put(object('a', 'alice'));
    expect(cache.size).toBe(2);
    cache.put(object('c', 'carol'));
    cache.remove('a');
    expect(cache.get('c')).toBeDefined();
    cache.commitFull(next);
    expect(cache.all().map((o) => o.id).sort()).toEqual(['c']);
  });

  it('drops an aborted generation and keeps serving the live one', () => {
    const cache = ready([object('a', 'alice')]);
    const next = cache.beginFull();
    cache.abortFull(next);
    expect(cache.get('a')).toBeDefined();
    expect(() => cache.commitFull(next)).toThrow();
  });

  it('gives a full import’s generation the indexes lookups used on the live one', () => {
    const cache = ready([object('a', 'alice', { code: ['one'] })]);
    expect(cache.beginFull().builtIndexes()).toEqual([]);
    cache.query({ lookup: { attribute: 'code', value: 'one' }, predicate: () => true });
    const next = cache.beginFull();
    expect(next.builtIndexes()).toEqual(['code']);
    next.put(object('b', 'bob', { code: ['two'] }));
    cache.commitFull(next);
    expect(cache.query({ lookup: { attribute: 'code', value: 'two' }, predicate: () => true })).toMatchObject({ objects: [{ id: 'b' }], plan: { index: 'code', scanned: 1 } });
  });
});
