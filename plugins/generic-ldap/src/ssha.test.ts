import { describe, expect, it } from 'vitest';
import { sshaHash, sshaMatches } from './ssha.js';

describe('{SSHA} hashes', () => {
  it('salts, and verifies', () => {
    const hash = sshaHash('s3cret');
    expect(hash).toMatch(/^\{SSHA\}[A-Za-z0-9+/]+=*$/);
    expect(hash).not.toBe(sshaHash('s3cret'));
    expect(sshaMatches('s3cret', hash)).toBe(true);
    expect(sshaMatches('other', hash)).toBe(false);
  });
});
