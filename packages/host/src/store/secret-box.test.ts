import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOpsError } from './errors.js';
import { ENCRYPTED_PREFIX, decryptValue, encryptValue, isEncrypted } from './secret-box.js';

describe('secret box (AES-256-GCM under the host key)', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh nonce per value so equal secrets do not look equal', () => {
    const a = encryptValue(key, 'Pa$$w0rd é');
    const b = encryptValue(key, 'Pa$$w0rd é');
    expect(isEncrypted(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Pa$$');
    expect(decryptValue(key, a, 'x')).toBe('Pa$$w0rd é');
  });

  it('a wrong key is an error naming the value, never garbage', () => {
    const text = encryptValue(key, 'secret');
    let error: unknown;
    try {
      decryptValue(randomBytes(32), text, 'parameter Password of connector HR');
    } catch (e) {
      error = e;
    }
    expect(isOpsError(error) && error.code).toBe('wrong-host-key');
    expect((error as Error).message).toContain('cannot decrypt parameter Password of connector HR with this host key');
  });

  it('tampered, truncated and unprefixed values are refused with a clear error', () => {
    const text = encryptValue(key, 'secret');
    // Flip a bit of the encrypted body itself: editing base64 characters can leave the decoded bytes
    // unchanged (the last character's low bits are not data), which made this test fail 1 run in 256.
    const raw = Buffer.from(text.slice(ENCRYPTED_PREFIX.length), 'base64url');
    raw[raw.length - 1]! ^= 0x01;
    const flipped = ENCRYPTED_PREFIX + raw.toString('base64url');
    expect(() => decryptValue(key, flipped, 'v')).toThrow('cannot decrypt v with this host key');
    expect(() => decryptValue(key, 'enc:v1:abc', 'v')).toThrow('v is truncated or corrupted.');
    expect(() => decryptValue(key, 'plain', 'v')).toThrow('v is not an encrypted value');
  });
});
