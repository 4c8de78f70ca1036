import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The shortest secret token accepted, as Microsoft's host requires. */
export const MIN_TOKEN_LENGTH = 12;

/**
 * Hashes a SCIM bearer token for storage as `sha256:<salt>:<digest>` (base64url). A fast salted
 * hash rather than a password KDF: it is checked on every request, and a short token is refused
 * up front instead of being made expensive to guess.
 */
export function hashToken(token: string, salt: Buffer = randomBytes(16)): string {
  const digest = createHash('sha256').update(salt).update(token, 'utf8').digest();
  return `sha256:${salt.toString('base64url')}:${digest.toString('base64url')}`;
}

/** Compares a presented token with a stored hash in constant time. */
export function verifyToken(token: string, stored: string): boolean {
  const [scheme, saltText, digestText] = stored.split(':');
  if (scheme !== 'sha256' || saltText === undefined || digestText === undefined) return false;
  const expected = Buffer.from(digestText, 'base64url');
  const actual = createHash('sha256').update(Buffer.from(saltText, 'base64url')).update(token, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A new random token: 32 bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}
