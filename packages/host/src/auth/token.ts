import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * The shortest secret token accepted when a token is set (Entra itself accepts 12 characters).
 * Tokens set before this rule keep working: the length is checked when a token is chosen, never
 * when one is presented.
 */
export const MIN_TOKEN_LENGTH = 32;

/**
 * scrypt cost of new token hashes (RFC 7914): N = 2^14, r = 8, p = 1, Node's defaults (16 MiB,
 * tens of milliseconds), so a hash copied out of a config export is slow to attack. The
 * parameters are written into each hash, so raising them later keeps old hashes readable.
 */
export const TOKEN_SCRYPT = { log2N: 14, r: 8, p: 1 } as const;

const KEY_LENGTH = 32;
/** Bounds on parameters read from a stored hash: a crafted config must not make a check take minutes. */
const MAX_LOG2N = 20;
const MAX_R = 16;
const MAX_P = 4;

interface Decoded {
  scheme: 'scrypt' | 'sha256';
  salt: Buffer;
  digest: Buffer;
  log2N: number;
  r: number;
  p: number;
}

/**
 * Hashes a SCIM bearer token for storage as `scrypt:<log2 N>:<r>:<p>:<salt>:<digest>` (base64url).
 * The token's own check is remembered, so the host that sets a token does not pay for it again.
 */
export function hashToken(token: string, salt: Buffer = randomBytes(16)): string {
  const { log2N, r, p } = TOKEN_SCRYPT;
  const digest = scrypt(token, { scheme: 'scrypt', salt, digest: Buffer.alloc(0), log2N, r, p });
  const stored = `scrypt:${log2N}:${r}:${p}:${salt.toString('base64url')}:${digest.toString('base64url')}`;
  remember(verifiedTokens, stored, Buffer.from(token, 'utf8'));
  return stored;
}

/** Stored hashes already decoded (one per connector token), so a request does not split strings. */
const decoded = new Map<string, Decoded | null>();
/**
 * The token each stored hash was seen to verify (one hash verifies one token), so a request with a
 * known token pays a constant-time compare of its bytes, neither scrypt nor a SHA-256 of it. The
 * host reads every request's token into memory anyway; these are the valid ones, at most one per
 * connector token.
 */
const verifiedTokens = new Map<string, Buffer>();
/** Failed checks, kept apart so a flood of wrong tokens cannot push the valid ones out. */
const refused = new Map<string, false>();
/** More entries than any host needs for its valid tokens; past it a map starts over. */
const MAX_CACHED = 1024;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
}

function cacheKey(token: string, stored: string): string {
  return `${stored}\n${createHash('sha256').update(token, 'utf8').digest('base64url')}`;
}

function decode(stored: string): Decoded | null {
  let entry = decoded.get(stored);
  if (entry !== undefined) return entry;
  entry = parseStored(stored);
  remember(decoded, stored, entry);
  return entry;
}

function parseStored(stored: string): Decoded | null {
  const parts = stored.split(':');
  if (parts[0] === 'sha256' && parts.length === 3) {
    return { scheme: 'sha256', salt: Buffer.from(parts[1]!, 'base64url'), digest: Buffer.from(parts[2]!, 'base64url'), log2N: 0, r: 0, p: 0 };
  }
  if (parts[0] !== 'scrypt' || parts.length !== 6) return null;
  const [log2N, r, p] = parts.slice(1, 4).map((n) => (/^\d{1,2}$/.test(n) ? Number(n) : Number.NaN)) as [number, number, number];
  if (!(log2N >= 1 && log2N <= MAX_LOG2N && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return null;
  return { scheme: 'scrypt', salt: Buffer.from(parts[4]!, 'base64url'), digest: Buffer.from(parts[5]!, 'base64url'), log2N, r, p };
}

function scrypt(token: string, entry: Decoded): Buffer {
  const N = 2 ** entry.log2N;
  return scryptSync(token, entry.salt, KEY_LENGTH, { N, r: entry.r, p: entry.p, maxmem: 256 * N * entry.r + 1024 * 1024 });
}

/**
 * The outcome of checking `token` against `stored` when it is known without the slow hash (this
 * token was checked before, or the hash is a legacy SHA-256 one); undefined when only scrypt can tell.
 */
export function knownVerification(token: string, stored: string): boolean | undefined {
  const entry = decode(stored);
  if (entry === null) return false;
  if (entry.scheme === 'sha256') return verifyWith(token, entry);
  const known = verifiedTokens.get(stored);
  if (known !== undefined) {
    const presented = Buffer.from(token, 'utf8');
    // A token of another length is compared too (the known one with itself), so the time taken
    // does not tell the valid token's length.
    const sameLength = presented.length === known.length;
    if (timingSafeEqual(sameLength ? presented : known, known) && sameLength) return true;
  }
  return refused.get(cacheKey(token, stored));
}

/**
 * Compares a presented token with a stored hash in constant time. Accepts the scrypt hashes
 * {@link hashToken} writes and the salted SHA-256 ones (`sha256:<salt>:<digest>`) of earlier
 * versions; see {@link needsRehash} for upgrading those.
 */
export function verifyToken(token: string, stored: string): boolean {
  const known = knownVerification(token, stored);
  if (known !== undefined) return known;
  const ok = verifyWith(token, decode(stored)!);
  if (ok) remember(verifiedTokens, stored, Buffer.from(token, 'utf8'));
  else remember(refused, cacheKey(token, stored), false);
  return ok;
}

function verifyWith(token: string, entry: Decoded): boolean {
  const actual = entry.scheme === 'sha256' ? createHash('sha256').update(entry.salt).update(token, 'utf8').digest() : scrypt(token, entry);
  return entry.digest.length === actual.length && timingSafeEqual(entry.digest, actual);
}

/** Whether `stored` is a token hash this version reads (scrypt, or the SHA-256 of earlier versions). */
export function isTokenHash(stored: string): boolean {
  return decode(stored) !== null;
}

/**
 * Whether a stored hash is weaker than what {@link hashToken} writes now (a SHA-256 hash of an
 * earlier version, or lower scrypt parameters): after a successful check the caller stores
 * `hashToken(token)` in its place.
 */
export function needsRehash(stored: string): boolean {
  const entry = decode(stored);
  if (entry === null) return false;
  return entry.scheme !== 'scrypt' || entry.log2N < TOKEN_SCRYPT.log2N || entry.r < TOKEN_SCRYPT.r;
}

/** A new random token: 32 bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}
