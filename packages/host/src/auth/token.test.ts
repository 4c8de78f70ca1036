import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TOKEN_SCRYPT, generateToken, hashToken, knownVerification, needsRehash, verifyToken } from './token.js';

/** A hash as versions before scrypt wrote it. */
function legacyHash(token: string): string {
  const salt = randomBytes(16);
  return `sha256:${salt.toString('base64url')}:${createHash('sha256').update(salt).update(token, 'utf8').digest('base64url')}`;
}

describe('verifyToken', () => {
  it('accepts the token a hash was made from, again and again, and nothing else', () => {
    const token = generateToken();
    const stored = hashToken(token);
    for (let i = 0; i < 3; i++) expect(verifyToken(token, stored)).toBe(true);
    expect(verifyToken(`${token}x`, stored)).toBe(false);
    expect(verifyToken('', stored)).toBe(false);
  });

  it('writes scrypt hashes with their parameters', () => {
    const stored = hashToken(generateToken());
    expect(stored).toMatch(new RegExp(`^scrypt:${TOKEN_SCRYPT.log2N}:${TOKEN_SCRYPT.r}:${TOKEN_SCRYPT.p}:[\\w-]{22}:[\\w-]{43}$`));
    expect(needsRehash(stored)).toBe(false);
  });

  it('checks a token against a hash written by another process with scrypt, then remembers the outcome', () => {
    const token = generateToken();
    const salt = randomBytes(16);
    const digest = scryptSync(token, salt, 32, { N: 2 ** TOKEN_SCRYPT.log2N, r: TOKEN_SCRYPT.r, p: TOKEN_SCRYPT.p });
    const stored = `scrypt:${TOKEN_SCRYPT.log2N}:${TOKEN_SCRYPT.r}:${TOKEN_SCRYPT.p}:${salt.toString('base64url')}:${digest.toString('base64url')}`;
    expect(knownVerification(token, stored)).toBeUndefined();
    expect(verifyToken(token, stored)).toBe(true);
    expect(knownVerification(token, stored)).toBe(true);
    expect(knownVerification('wrong-token', stored)).toBeUndefined();
    expect(verifyToken('wrong-token', stored)).toBe(false);
    expect(knownVerification('wrong-token', stored)).toBe(false);
  });

  it('knows a remembered token at once, and nothing that differs from it in one byte or in length', () => {
    const token = generateToken();
    const stored = hashToken(token);
    expect(knownVerification(token, stored)).toBe(true);
    const oneByteOff = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const other of [oneByteOff, token.slice(0, -1), `${token}A`, token.toUpperCase(), '']) {
      expect(knownVerification(other, stored)).toBeUndefined();
      expect(verifyToken(other, stored)).toBe(false);
      expect(knownVerification(other, stored)).toBe(false);
    }
    expect(verifyToken(token, stored)).toBe(true);
  });

  it('still accepts the SHA-256 hashes of earlier versions, and says they need a new hash', () => {
    const token = 'a-token-set-before-scrypt-0123456789';
    const stored = legacyHash(token);
    expect(verifyToken(token, stored)).toBe(true);
    expect(verifyToken(`${token}!`, stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
    expect(needsRehash(`scrypt:10:8:1:${randomBytes(16).toString('base64url')}:${randomBytes(32).toString('base64url')}`)).toBe(true);
  });

  it('keeps each stored hash apart: a rotated token is refused under the new hash', () => {
    const [oldToken, newToken] = [generateToken(), generateToken()];
    const [oldHash, newHash] = [hashToken(oldToken), hashToken(newToken)];
    expect(verifyToken(oldToken, oldHash)).toBe(true);
    expect(verifyToken(oldToken, newHash)).toBe(false);
    expect(verifyToken(newToken, newHash)).toBe(true);
  });

  it('refuses every token against a stored value that is not a hash it reads, or with parameters out of bounds', () => {
    const salt = randomBytes(16).toString('base64url');
    const digest = randomBytes(32).toString('base64url');
    for (const stored of ['', 'plain-text-token', 'md5:abc:def', 'sha256:only-salt', `scrypt:30:8:1:${salt}:${digest}`, `scrypt:14:99:1:${salt}:${digest}`, `scrypt:x:8:1:${salt}:${digest}`]) {
      expect(verifyToken('plain-text-token', stored)).toBe(false);
      expect(needsRehash(stored)).toBe(false);
    }
  });
});
