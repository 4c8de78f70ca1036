import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, verifyToken } from './token.js';

describe('verifyToken', () => {
  it('accepts the token a hash was made from, again and again, and nothing else', () => {
    const token = generateToken();
    const stored = hashToken(token);
    for (let i = 0; i < 3; i++) expect(verifyToken(token, stored)).toBe(true);
    expect(verifyToken(`${token}x`, stored)).toBe(false);
    expect(verifyToken('', stored)).toBe(false);
  });

  it('keeps each stored hash apart: a rotated token is refused under the new hash', () => {
    const [oldToken, newToken] = [generateToken(), generateToken()];
    const [oldHash, newHash] = [hashToken(oldToken), hashToken(newToken)];
    expect(verifyToken(oldToken, oldHash)).toBe(true);
    expect(verifyToken(oldToken, newHash)).toBe(false);
    expect(verifyToken(newToken, newHash)).toBe(true);
  });

  it('refuses every token against a stored value that is not a sha256 hash', () => {
    for (const stored of ['', 'plain-text-token', 'md5:abc:def', 'sha256:only-salt']) expect(verifyToken('plain-text-token', stored)).toBe(false);
  });
});
