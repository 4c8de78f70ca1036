import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyScrypt } from './password-hash.js';

describe('hashPassword', () => {
  it('writes sha256/sha512 as lowercase hex of the UTF-8 bytes', async () => {
    expect(await hashPassword('pässword', 'sha256')).toBe(createHash('sha256').update('pässword', 'utf8').digest('hex'));
    expect(await hashPassword('p', 'sha512')).toMatch(/^[0-9a-f]{128}$/);
    expect(await hashPassword('p', 'none')).toBe('p');
  });

  it('writes scrypt with its parameters and a fresh salt, verifiable', async () => {
    const a = await hashPassword('Passw0rd!', 'scrypt');
    const b = await hashPassword('Passw0rd!', 'scrypt');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyScrypt('Passw0rd!', a)).toBe(true);
    expect(await verifyScrypt('passw0rd!', a)).toBe(false);
    expect(await verifyScrypt('Passw0rd!', 'sha256$x')).toBe(false);
  });
});
