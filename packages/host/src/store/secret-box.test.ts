import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOpsError } from './errors.js';
import { decryptValue, encryptValue, isEncrypted } from './secret-box.js';

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
    const flipped = text.slice(0, -2) + (text.endsWith('A') ? 'BB' : 'AA');
    expect(() => decryptValue(key, flipped, 'v')).toThrow('cannot decrypt v with this host key');
    expect(() => decryptValue(key, 'enc:v1:abc', 'v')).toThrow('v is truncated or corrupted.');
    expect(() => decryptValue(key, 'plain', 'v')).toThrow('v is not an encrypted value');
  });
});
