import { createHash, randomBytes } from 'node:crypto';

/**
 * A salted SHA-1 password hash in the `{SSHA}` scheme OpenLDAP and 389 DS accept: base64 of
 * SHA1(password + salt) followed by the salt. Used when passwords are written as an attribute and
 * the admin asked for them pre-hashed, so the clear text never reaches the directory.
 */
export function sshaHash(password: string, salt: Buffer = randomBytes(8)): string {
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/** Whether `password` matches an `{SSHA}` hash. */
export function sshaMatches(password: string, hash: string): boolean {
  if (!hash.startsWith('{SSHA}')) return false;
  const raw = Buffer.from(hash.slice(6), 'base64');
  return sshaHash(password, raw.subarray(20)) === hash;
}
