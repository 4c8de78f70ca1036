import { describe, expect, it } from 'vitest';
import genericSql from './connector.js';

describe('capabilities', () => {
  const max = (values: Record<string, string>) => genericSql.capabilities(values).maxConcurrentOperations;

  it('lets the host keep as many writes in flight as the pool has connections', () => {
    expect(max({ dialect: 'postgresql', poolSize: '8' })).toBe(8);
    expect(max({ dialect: 'mysql', poolSize: '2' })).toBe(2);
  });

  it('uses the pool size open() uses when none is given: 5, and 1 for SQLite', () => {
    expect(max({ dialect: 'postgresql' })).toBe(5);
    expect(max({ dialect: 'sqlite', poolSize: '8' })).toBe(1);
    expect(max({})).toBe(1);
  });

  it('says nothing about a pool size open() refuses, leaving the host its own bound', () => {
    expect(max({ dialect: 'postgresql', poolSize: 'eight' })).toBeUndefined();
    expect(max({ dialect: 'postgresql', poolSize: '0' })).toBeUndefined();
  });
});
