import { describe, expect, it } from 'vitest';
import type { ParameterDefinition } from './parameters.js';
import { checkParameterValues, normalizeParameterValues, parametersJsonSchema } from './parameter-validation.js';
import { isSecret, secret } from './secret.js';

const page: ParameterDefinition[] = [
  { type: 'label', name: 'intro', text: 'Connect to the server.' },
  { type: 'string', name: 'host', label: 'Host', required: true, default: 'localhost' },
  { type: 'string', name: 'port', label: 'Port', pattern: '[0-9]{1,5}', patternMessage: 'Port is a number from 0 to 65535.' },
  { type: 'string', name: 'code', pattern: '[A-Z]+' },
  { type: 'encryptedString', name: 'password', label: 'Password', required: true, pattern: '.{8,}' },
  { type: 'divider', name: 'd1' },
  { type: 'checkbox', name: 'tls', label: 'Use TLS', default: true },
  { type: 'dropdown', name: 'mode', label: 'Mode', options: ['fast', 'safe'], default: 'safe' },
  { type: 'dropdown', name: 'dialect', label: 'Dialect', options: ['pg', 'mysql'], extensible: true },
  { type: 'text', name: 'query', required: true },
  { type: 'file', name: 'caFile' },
];

const valid = { host: 'db', port: '5432', password: secret('longenough'), tls: true, mode: 'fast', dialect: 'pg', query: 'SELECT 1' };

describe('parametersJsonSchema', () => {
  const schema = parametersJsonSchema(page) as { properties: Record<string, Record<string, unknown>>; required: string[] };

  it('derives one property per value-holding parameter, with types and defaults', () => {
    expect(Object.keys(schema.properties)).toEqual(['host', 'port', 'code', 'password', 'tls', 'mode', 'dialect', 'query', 'caFile']);
    expect(schema.properties.host).toMatchObject({ type: 'string', title: 'Host', default: 'localhost', minLength: 1 });
    expect(schema.properties.tls).toEqual({ type: 'boolean', title: 'Use TLS', default: true });
    expect(schema.properties.mode).toEqual({ type: 'string', title: 'Mode', enum: ['fast', 'safe'], default: 'safe' });
    expect(schema.properties.dialect).toEqual({ type: 'string', title: 'Dialect' });
    expect(schema.properties.password).toMatchObject({ type: 'string', writeOnly: true });
    expect(schema.properties.password).not.toHaveProperty('default');
    expect(schema.required).toEqual(['host', 'password', 'query']);
  });

  it('anchors patterns so the whole value must match', () => {
    expect(schema.properties.port?.pattern).toBe('^(?:[0-9]{1,5})$');
  });
});

describe('checkParameterValues', () => {
  it('accepts valid values', () => {
    expect(checkParameterValues(page, valid)).toEqual([]);
  });

  it('reports every missing required parameter by name and label', () => {
    expect(checkParameterValues(page, {})).toEqual([
      { parameter: 'host', message: 'Host is required.' },
      { parameter: 'password', message: 'Password is required.' },
      { parameter: 'query', message: 'query is required.' },
    ]);
    expect(checkParameterValues(page, { ...valid, host: '' })).toEqual([{ parameter: 'host', message: 'Host is required.' }]);
  });

  it('uses the custom message when a pattern does not match', () => {
    expect(checkParameterValues(page, { ...valid, port: 'eighty' })).toEqual([{ parameter: 'port', message: 'Port is a number from 0 to 65535.' }]);
  });

  it('matches the whole value, not a part of it', () => {
    expect(checkParameterValues(page, { ...valid, port: '80a' })).toHaveLength(1);
    expect(checkParameterValues(page, { ...valid, code: 'ABc' })).toEqual([{ parameter: 'code', message: 'code must match [A-Z]+.' }]);
  });

  it('treats an empty optional value as not given', () => {
    expect(checkParameterValues(page, { ...valid, port: '', code: '' })).toEqual([]);
  });

  it('checks secrets against their pattern through the clear text, without revealing it in the message', () => {
    const issues = checkParameterValues(page, { ...valid, password: secret('short') });
    expect(issues).toEqual([{ parameter: 'password', message: 'Password must match .{8,}.' }]);
    expect(JSON.stringify(issues)).not.toContain('short');
    expect(checkParameterValues(page, { ...valid, password: secret('') })).toEqual([{ parameter: 'password', message: 'Password is required.' }]);
  });

  it('allows only the listed options of a closed dropdown', () => {
    expect(checkParameterValues(page, { ...valid, mode: 'reckless' })).toEqual([{ parameter: 'mode', message: 'Mode must be one of: fast, safe.' }]);
  });

  it('accepts any string in an extensible dropdown', () => {
    expect(checkParameterValues(page, { ...valid, dialect: 'oracle' })).toEqual([]);
  });

  it('rejects a checkbox given as a non-boolean', () => {
    expect(checkParameterValues(page, { ...valid, tls: 'yes' })).toEqual([{ parameter: 'tls', message: 'Use TLS must be a boolean.' }]);
  });

  it('ignores values of parameters it does not define', () => {
    expect(checkParameterValues(page, { ...valid, fromAnotherPage: 42 })).toEqual([]);
  });
});

describe('normalizeParameterValues', () => {
  it('turns checkbox strings into booleans, case-insensitively', () => {
    expect(normalizeParameterValues(page, { tls: 'False' }).tls).toBe(false);
    expect(normalizeParameterValues(page, { tls: 'TRUE' }).tls).toBe(true);
    expect(normalizeParameterValues(page, { tls: false }).tls).toBe(false);
  });

  it('fills defaults for absent and unusable values', () => {
    const values = normalizeParameterValues(page, { tls: 'maybe' });
    expect(values).toMatchObject({ host: 'localhost', tls: true, mode: 'safe' });
    expect(values).not.toHaveProperty('port');
  });

  it('wraps encrypted strings as secrets and drops unknown names', () => {
    const values = normalizeParameterValues(page, { password: 'pa55word!', intruder: 'x' });
    expect(isSecret(values.password)).toBe(true);
    expect(values).not.toHaveProperty('intruder');
    expect(values).not.toHaveProperty('intro');
  });

  it('produces values that pass the check when the raw values were right', () => {
    const raw = { host: 'db', port: '5432', password: 'longenough', tls: 'true', mode: 'fast', query: 'SELECT 1' };
    expect(checkParameterValues(page, normalizeParameterValues(page, raw))).toEqual([]);
  });
});
