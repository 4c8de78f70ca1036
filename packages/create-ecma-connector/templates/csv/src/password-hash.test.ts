import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.js';

describe('password hashes', () => {
  it('verify the password they were made from and nothing else', async () => {
    const hash = await hashPassword('Corr3ct horse');
    expect(hash).not.toContain('Corr3ct');
    expect(await verifyPassword('Corr3ct horse', hash)).toBe(true);
    expect(await verifyPassword('corr3ct horse', hash)).toBe(false);
    expect(await verifyPassword('Corr3ct horse', '')).toBe(false);
  });
});
