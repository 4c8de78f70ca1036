import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/auth/token.js';
import { startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

// Finding 12 of the hostile review (issue 15): tokens are stored under a slow hash now, and a
// connector configured by an earlier version, with a fast SHA-256 hash, keeps working.

const LEGACY_TOKEN = 'token-set-by-an-earlier-version';
let f: FixtureHost;
/** The stronger hashes the host handed back to be stored, by connector. */
const rehashed: Array<{ name: string; tokenHash: string }> = [];
beforeAll(async () => {
  const salt = randomBytes(16);
  const tokenHash = `sha256:${salt.toString('base64url')}:${createHash('sha256').update(salt).update(LEGACY_TOKEN).digest('base64url')}`;
  f = await startFixtureHost({ names: ['A', 'B'], overrides: { tokenHash }, host: { onTokenRehash: (name, hash) => void rehashed.push({ name, tokenHash: hash }) } });
});
afterAll(async () => {
  await f.cleanup();
});

describe('stored token hashes', () => {
  it('accepts the token of a connector stored under an earlier SHA-256 hash, and refuses others', async () => {
    expect((await f.request('/ecma2host_A/scim/Users', { token: LEGACY_TOKEN })).status).toBe(200);
    expect((await f.request('/ecma2host_A/scim/Users', { token: `${LEGACY_TOKEN}x` })).status).toBe(401);
  });

  it('hands back a scrypt hash of a token verified against an old hash, once the token was presented', () => {
    // The first request above verified LEGACY_TOKEN; the wrong one must not have produced a hash.
    expect(rehashed.map((r) => r.name)).toEqual(['A']);
    expect(rehashed[0]!.tokenHash).toMatch(/^scrypt:/);
    f.host.rotateToken('A', rehashed[0]!.tokenHash);
  });

  it('accepts the token under its upgraded hash', async () => {
    expect((await f.request('/ecma2host_A/scim/Users', { token: LEGACY_TOKEN })).status).toBe(200);
    expect(rehashed).toHaveLength(1);
  });

  it('accepts a token stored under a scrypt hash on every request', async () => {
    const token = 'a-brand-new-token-of-32-characters-or-more';
    const tokenHash = hashToken(token);
    expect(tokenHash).toMatch(/^scrypt:/);
    f.host.rotateToken('B', tokenHash);
    for (let i = 0; i < 3; i++) expect((await f.request('/ecma2host_B/scim/Users', { token })).status).toBe(200);
    expect((await f.request('/ecma2host_B/scim/Users', { token: LEGACY_TOKEN })).status).toBe(401);
  });
});
