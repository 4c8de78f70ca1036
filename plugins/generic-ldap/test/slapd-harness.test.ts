import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();

describe.skipIf(skip !== undefined)(liveTitle('test slapd harness', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it('serves the suffix over StartTLS and keeps its data across a restart on the same port', async () => {
    expect(await slapd.ldapsearch(slapd.baseDn, '(ou=people)', ['ou'])).toContain('dn: ou=people,dc=example,dc=com');
    const before = slapd.pid;
    await slapd.restart();
    expect(slapd.pid).not.toBe(before);
    expect(await slapd.ldapsearch(slapd.baseDn, '(ou=people)', ['ou'])).toContain('ou: people');
  });
});
