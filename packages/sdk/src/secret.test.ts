import { inspect, format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret, isSecret, secret } from './secret.js';

const CLEAR = 'hunter2-very-secret';

describe('Secret', () => {
  const s = secret(CLEAR);

  it.each([
    ['String()', () => String(s)],
    ['a template string', () => `password=${s}`],
    ['string concatenation', () => 'password=' + s],
    ['JSON.stringify', () => JSON.stringify({ password: s, nested: [s] })],
    ['util.inspect', () => inspect({ password: s }, { depth: 5 })],
    ['util.inspect with showHidden', () => inspect(s, { showHidden: true })],
    ['util.inspect without custom inspectors', () => inspect(s, { customInspect: false })],
    ['util.format %s %j %o %O', () => format('%s %j %o %O', s, s, s, s)],
    ['an error message', () => new Error(`login failed for ${s}`).message],
    ['Object.entries', () => JSON.stringify(Object.entries(s))],
  ])('never shows the clear text through %s', (_how, render) => {
    const text = render();
    expect(text).not.toContain(CLEAR);
  });

  it('prints as [secret]', () => {
    expect(String(s)).toBe('[secret]');
    expect(JSON.stringify({ password: s })).toBe('{"password":"[secret]"}');
    expect(inspect(s)).toBe('[secret]');
  });

  it('gives the clear text only to reveal()', () => {
    expect(s.reveal()).toBe(CLEAR);
    expect(s.isEmpty).toBe(false);
    expect(secret('').isEmpty).toBe(true);
  });

  it('is recognised by brand, also from another copy of the SDK', () => {
    // What a second copy of secret.ts would create: the same registry symbol, another class.
    const foreign = { [Symbol.for('ecmahost.secret')]: true, reveal: () => 'x' };
    expect(isSecret(s)).toBe(true);
    expect(isSecret(foreign)).toBe(true);
    expect(isSecret({ reveal: () => 'x' })).toBe(false);
    expect(isSecret('[secret]')).toBe(false);
    expect(isSecret(null)).toBe(false);
  });

  it('secret() passes a Secret through unchanged', () => {
    expect(secret(s)).toBe(s);
    expect(new Secret('a').reveal()).toBe('a');
  });
});
