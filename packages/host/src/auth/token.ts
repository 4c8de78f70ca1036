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

/** Stored hashes already decoded (one per connector token), so a request only hashes. */
const decoded = new Map<string, { salt: Buffer; digest: Buffer } | null>();
/** More distinct stored hashes than any host serves connectors; past it the map starts over. */
const MAX_DECODED = 256;

function decode(stored: string): { salt: Buffer; digest: Buffer } | null {
  let entry = decoded.get(stored);
  if (entry !== undefined) return entry;
  const [scheme, saltText, digestText] = stored.split(':');
  entry = scheme !== 'sha256' || saltText === undefined || digestText === undefined ? null : { salt: Buffer.from(saltText, 'base64url'), digest: Buffer.from(digestText, 'base64url') };
  if (decoded.size >= MAX_DECODED) decoded.clear();
  decoded.set(stored, entry);
  return entry;
}

/** Compares a presented token with a stored hash in constant time. */
export function verifyToken(token: string, stored: string): boolean {
  const entry = decode(stored);
  if (entry === null) return false;
  const actual = createHash('sha256').update(entry.salt).update(token, 'utf8').digest();
  return entry.digest.length === actual.length && timingSafeEqual(entry.digest, actual);
}

/** A new random token: 32 bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}
