import { describe, expect, it } from 'vitest';
import { fromGeneralizedTime, toGeneralizedTime, typeOfSyntax } from './syntax.js';

describe('syntaxes', () => {
  it('maps syntax OIDs to data types', () => {
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.27')).toBe('integer');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.7')).toBe('boolean');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.24')).toBe('datetime');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.12')).toBe('reference');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.34')).toBe('reference');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.40')).toBe('binary');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.23')).toBe('binary');
    expect(typeOfSyntax(undefined)).toBe('string');
  });

  it('converts generalized times both ways', () => {
    expect(fromGeneralizedTime('20260131120000Z')).toBe('2026-01-31T12:00:00.000Z');
    expect(fromGeneralizedTime('20260131140000.5+0200')).toBe('2026-01-31T12:00:00.500Z');
    expect(toGeneralizedTime('2026-01-31T12:00:00.250Z')).toBe('20260131120000.250Z');
    expect(() => fromGeneralizedTime('yesterday')).toThrow(/not a generalized time/);
  });
});
