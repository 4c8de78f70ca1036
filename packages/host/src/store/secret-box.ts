import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OpsError } from './errors.js';

/** The prefix of an encrypted value in the data directory's files. */
export const ENCRYPTED_PREFIX = 'enc:v1:';

// AES-256-GCM with a random 96-bit nonce per value (NIST SP 800-38D §8.2.2): the tag makes a
// wrong key fail loudly instead of producing garbage.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Whether a stored string is an encrypted value. */
export function isEncrypted(text: string): boolean {
  return text.startsWith(ENCRYPTED_PREFIX);
}

/** Encrypts `plain` under the 32-byte host key as `enc:v1:<base64url(iv | tag | ciphertext)>`. */
export function encryptValue(key: Buffer, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ENCRYPTED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/**
 * Decrypts a value written by {@link encryptValue}. `what` names the value in the error
 * ("parameter Password of connector HR"). Throws `OpsError('wrong-host-key')` when the key does
 * not open it, `OpsError('invalid-config')` when the text is not an encrypted value.
 */
export function decryptValue(key: Buffer, text: string, what: string): string {
  if (!isEncrypted(text)) throw new OpsError('invalid-config', `${what} is not an encrypted value (expected ${ENCRYPTED_PREFIX}...).`);
  const raw = Buffer.from(text.slice(ENCRYPTED_PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new OpsError('invalid-config', `${what} is truncated or corrupted.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new OpsError(
      'wrong-host-key',
      `cannot decrypt ${what} with this host key: the value was encrypted under another key ` +
        '(check ECMAHOST_KEY / ECMAHOST_KEY_FILE, or restore the host.key the configuration was written with).',
      { cause: error },
    );
  }
}
