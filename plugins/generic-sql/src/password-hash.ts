import { createHash, randomBytes, scrypt } from 'node:crypto';
import type { PasswordHash } from './config.js';

/** scrypt cost parameters (node:crypto defaults, RFC 7914 §2): N=16384, r=8, p=1, 64-byte key. */
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 64, saltLength: 16 } as const;

/**
 * The text written to the password column:
 * - `none`: the password itself;
 * - `sha256` / `sha512`: the lowercase hex digest of its UTF-8 bytes, unsalted (for applications that
 *   compare such digests);
 * - `scrypt`: `scrypt$16384$8$1$<salt base64>$<key base64>` with a random 16-byte salt.
 */
export async function hashPassword(password: string, hash: PasswordHash): Promise<string> {
  switch (hash) {
    case 'none':
      return password;
    case 'sha256':
    case 'sha512':
      return createHash(hash).update(password, 'utf8').digest('hex');
    case 'scrypt': {
      const salt = randomBytes(SCRYPT.saltLength);
      const key = await new Promise<Buffer>((resolve, reject) => {
        scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, derived) => (error ? reject(error) : resolve(derived)));
      });
      return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    }
  }
}

/** Checks a password against a stored `scrypt$…` text, for applications and tests reading the column. */
export async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  const derived = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) }, (error, out) => (error ? reject(error) : resolve(out)));
  });
  return derived.equals(expected);
}
