import { describe, expect, it } from 'vitest';
import { genericLdap } from './connector.js';

describe('capabilities', () => {
  const max = (values: Record<string, string>) => genericLdap.capabilities(values).maxConcurrentOperations;

  it('lets the host keep as many writes in flight as the pool has bound connections', () => {
    expect(max({ poolSize: '8' })).toBe(8);
    expect(max({ poolSize: ' 2 ' })).toBe(2);
  });

  it('uses the pool size open() uses otherwise: 4 by default, at least 1', () => {
    expect(max({})).toBe(4);
    expect(max({ poolSize: '0' })).toBe(1);
  });

  it('says nothing about a pool size open() refuses, leaving the host its own bound', () => {
    expect(max({ poolSize: 'many' })).toBeUndefined();
  });
});
