import { afterEach, describe, expect, it, vi } from 'vitest';

// The gate reads the environment when the harness module loads, so each case loads a fresh copy.
async function freshHarness(env: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
  return import('./slapd.js');
}

describe('live LDAP suites without slapd', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('skip with one reason line naming what is missing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { slapdSkipReason } = await freshHarness({ ECMAHOST_SLAPD: '/nonexistent/slapd', ECMAHOST_REQUIRE_LIVE: '' });
    expect(slapdSkipReason()).toMatch(/OpenLDAP is not installed \(slapd not found; apt-get install slapd ldap-utils\)/);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('fail instead when ECMAHOST_REQUIRE_LIVE=1', async () => {
    const { slapdSkipReason } = await freshHarness({ ECMAHOST_SLAPD: '/nonexistent/slapd', ECMAHOST_REQUIRE_LIVE: '1' });
    expect(() => slapdSkipReason()).toThrow(/ECMAHOST_REQUIRE_LIVE=1 but OpenLDAP is not installed/);
  });
});
