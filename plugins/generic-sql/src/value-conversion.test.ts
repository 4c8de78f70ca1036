import { describe, expect, it } from 'vitest';
import { fromDatabase, toIsoUtc, valueProblem } from './value-conversion.js';

describe('fromDatabase', () => {
  it('reads integers from numbers, bigints and numeric text; refuses unsafe ones', () => {
    expect(fromDatabase(42, 'integer')).toBe(42);
    expect(fromDatabase(42n, 'integer')).toBe(42);
    expect(fromDatabase('9007199254740991', 'integer')).toBe(9007199254740991);
    expect(fromDatabase('9007199254740993', 'integer')).toBeUndefined();
    expect(fromDatabase(null, 'integer')).toBeUndefined();
  });

  it('reads booleans from PostgreSQL booleans and MySQL/SQLite 0/1', () => {
    expect(fromDatabase(true, 'boolean')).toBe(true);
    expect(fromDatabase(0, 'boolean')).toBe(false);
    expect(fromDatabase(1, 'boolean')).toBe(true);
    expect(fromDatabase('t', 'boolean')).toBe(true);
    expect(fromDatabase('0', 'boolean')).toBe(false);
  });

  it('keeps binary as bytes and strings as text', () => {
    expect(fromDatabase(Buffer.from([0, 255]), 'binary')).toEqual(Buffer.from([0, 255]));
    expect(fromDatabase(Buffer.from('abc'), 'string')).toBe('abc');
    expect(fromDatabase(7, 'string')).toBe('7');
  });
});

describe('toIsoUtc', () => {
  it('reads zone-less database text as UTC', () => {
    expect(toIsoUtc('2026-01-31 12:00:00')).toBe('2026-01-31T12:00:00.000Z');
    expect(toIsoUtc('2026-01-31 12:00:00.123456')).toBe('2026-01-31T12:00:00.123Z');
    expect(toIsoUtc('2026-01-31')).toBe('2026-01-31T00:00:00.000Z');
  });

  it('honours an explicit zone (PostgreSQL timestamptz text)', () => {
    expect(toIsoUtc('2026-01-31 12:00:00+02')).toBe('2026-01-31T10:00:00.000Z');
    expect(toIsoUtc('2026-01-31 12:00:00.5-0130')).toBe('2026-01-31T13:30:00.500Z');
    expect(toIsoUtc('2026-01-31T12:00:00Z')).toBe('2026-01-31T12:00:00.000Z');
    expect(toIsoUtc(new Date('2026-01-31T12:00:00Z'))).toBe('2026-01-31T12:00:00.000Z');
  });

  it('returns undefined for text that is no date', () => {
    expect(toIsoUtc('yesterday')).toBeUndefined();
  });
});

describe('valueProblem', () => {
  it('names what is wrong with a value for its type', () => {
    expect(valueProblem('x', 'integer')).toBe('must be a whole number');
    expect(valueProblem(1.5, 'integer')).toBe('must be a whole number');
    expect(valueProblem('true', 'boolean')).toBe('must be true or false');
    expect(valueProblem('2026-13-45', 'datetime')).toBe('must be an ISO 8601 date and time');
    expect(valueProblem('2026-01-31T12:00:00Z', 'datetime')).toBeUndefined();
    expect(valueProblem(new Uint8Array([1]), 'binary')).toBeUndefined();
  });
});
