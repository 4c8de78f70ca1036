import { silentLogger } from '@ecmahost/sdk';
import type { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { freshContainer, rootClient, valuesFor } from './ldap-target.js';
import { importAll } from './sessions.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();
const context = { log: silentLogger, signal: new AbortController().signal };

// OpenLDAP writes no draft-good-ldap-changelog, so this suite writes the records 389 DS's retro
// changelog would, next to the real changes, and checks the connector reads them as 389 DS's.
describe.skipIf(skip !== undefined)(liveTitle('delta import from a cn=changelog (389 DS format)', skip), () => {
  let slapd: Slapd;
  let root: Client;
  let next = 0;
  const record = async (changeType: string, targetDN: string, extra: Record<string, string> = {}) => {
    next += 1;
    await root.add(`changeNumber=${String(next)},cn=changelog`, { objectClass: 'changeLogEntry', changeNumber: String(next), changeType, targetDN, ...extra });
  };
  beforeAll(async () => {
    slapd = await startSlapd({ changelog: true });
    root = await rootClient(slapd);
  });
  afterAll(async () => {
    await root?.unbind();
    await slapd?.stop();
  });

  it('passes the connection test when cn=changelog is readable, and fails it when the bind identity may not read it', async () => {
    const values = valuesFor(slapd, { deltaMethod: 'changelog' });
    const tested = async (extra: Record<string, string>) => {
      const instance = await connector.open({ ...values, ...extra }, context);
      try {
        return await instance.testConnection().then(() => undefined, (error: unknown) => error);
      } finally {
        await instance.close();
      }
    };
    expect(await tested({})).toBeUndefined();
    const [label] = await connector.getParameters({ page: 'global', pageNumber: 1, values });
    expect(label?.type === 'label' ? label.text : '').toMatch(/^Change logs for delta import: cn=accesslog \(accesslog\); cn=changelog \(changelog\)$/m);
    const refused = await tested({ binding: 'Anonymous', bindDn: '' });
    expect(refused).toMatchObject({ code: 'invalid-configuration', parameter: 'deltaMethod' });
    expect((refused as Error).message).toMatch(/^The change log cn=changelog is not readable/);
  });

  it('reports adds, renames and deletes after the stored change number, deletes by targetUniqueId', async () => {
    const ou = await freshContainer(slapd, 'changelog');
    const instance = await connector.open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, deltaMethod: 'changelog', changeLogDn: 'cn=changelog', anchor: 'entryUUID' }), context);
    try {
      await root.add(`uid=a,${ou}`, { objectClass: 'inetOrgPerson', uid: 'a', cn: 'A', sn: 'A' });
      await record('add', `uid=a,${ou}`);
      await root.add(`uid=b,${ou}`, { objectClass: 'inetOrgPerson', uid: 'b', cn: 'B', sn: 'B' });
      await record('add', `uid=b,${ou}`);
      const full = await importAll(instance, 'full', undefined, 2);
      expect(full.entries).toHaveLength(2);
      expect(JSON.parse(full.watermark ?? '{}')).toMatchObject({ method: 'changelog', position: '2' });
      const uuidOf = (uid: string) => full.entries.find((e) => e.dn === `uid=${uid},${ou}`)?.anchor.entryUUID as string;

      await root.modifyDN(`uid=b,${ou}`, `uid=c,${ou}`);
      await record('modrdn', `uid=b,${ou}`, { newRDN: 'uid=c', deleteOldRDN: 'TRUE' });
      await root.add(`uid=d,${ou}`, { objectClass: 'inetOrgPerson', uid: 'd', cn: 'D', sn: 'D' });
      await record('add', `uid=d,${ou}`);
      await root.del(`uid=a,${ou}`);
      await record('delete', `uid=a,${ou}`, { targetUniqueId: uuidOf('a') });

      const delta = await importAll(instance, 'delta', full.watermark, 2);
      expect(delta.entries.map((e) => `${e.modification} ${String(e.dn)}`)).toEqual([`replace uid=c,${ou}`, `add uid=d,${ou}`, `delete uid=a,${ou}`]);
      expect(delta.entries[0]?.anchor.entryUUID).toBe(uuidOf('b'));
      expect(delta.entries[2]?.anchor).toEqual({ entryUUID: uuidOf('a') });
      expect(JSON.parse(delta.watermark ?? '{}')).toMatchObject({ position: '5' });
      expect((await importAll(instance, 'delta', delta.watermark, 2)).entries).toEqual([]);
    } finally {
      await instance.close();
    }
  });
});
