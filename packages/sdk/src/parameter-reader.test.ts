import { describe, expect, it } from 'vitest';
import type { ConnectorError } from './errors.js';
import { readParameters } from './parameter-reader.js';
import { secret } from './secret.js';

function errorOf(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (error) {
    return error as ConnectorError;
  }
  throw new Error('expected a throw');
}

describe('readParameters', () => {
  const read = readParameters({ host: 'db', blank: '', port: '5432', bad: '54x', huge: '99999999999999999999', tls: 'True', on: true, pw: secret('p') });

  it('reads strings with fallbacks and required errors naming the parameter', () => {
    expect(read.string('host')).toBe('db');
    expect(read.string('blank', 'dflt')).toBe('dflt');
    expect(read.optionalString('blank')).toBeUndefined();
    const error = errorOf(() => read.string('missing'));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'missing', message: 'missing is required' });
  });

  it('reads booleans from checkboxes and their string forms', () => {
    expect(read.boolean('on')).toBe(true);
    expect(read.boolean('tls')).toBe(true);
    expect(read.boolean('absent')).toBe(false);
    expect(read.boolean('absent', true)).toBe(true);
    expect(errorOf(() => read.boolean('host'))).toMatchObject({ code: 'invalid-configuration', parameter: 'host' });
  });

  it('reads whole numbers and refuses anything else', () => {
    expect(read.integer('port')).toBe(5432);
    expect(read.integer('absent', 7)).toBe(7);
    expect(errorOf(() => read.integer('bad')).message).toBe('bad must be a whole number, not "54x"');
    expect(errorOf(() => read.integer('huge'))).toMatchObject({ parameter: 'huge' });
    expect(errorOf(() => read.integer('absent'))).toMatchObject({ message: 'absent is required' });
  });

  it('reads secrets and refuses clear text where a secret is expected', () => {
    expect(read.secret('pw')?.reveal()).toBe('p');
    expect(read.secret('absent')).toBeUndefined();
    expect(errorOf(() => read.secret('host'))).toMatchObject({ parameter: 'host' });
    expect(errorOf(() => read.string('pw')).message).toBe('pw must be text');
  });
});
