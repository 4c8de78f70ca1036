import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Attribute, Change, Client } from 'ldapts';
import type { Slapd } from '../../plugins/generic-ldap/test/slapd.js';
import { runClientLoops } from './bare-loop.js';
import type { LoopResult } from './bare-loop.js';
import { benchUser } from './users.js';
import type { BenchUser } from './users.js';

export { startSlapd, slapdSkipReason } from '../../plugins/generic-ldap/test/slapd.js';
export type { Slapd } from '../../plugins/generic-ldap/test/slapd.js';

/** The container every benchmark entry lives in. */
export function peopleDn(slapd: Pick<Slapd, 'baseDn'>): string {
  return `ou=people,${slapd.baseDn}`;
}

/** The ten attributes of a user as an inetOrgPerson entry (plus its object class). */
export function entryOf(user: BenchUser): Record<string, string | string[]> {
  return {
    objectClass: ['inetOrgPerson'],
    uid: user.login,
    cn: user.displayName,
    sn: user.familyName,
    givenName: user.givenName,
    displayName: user.displayName,
    mail: user.email,
    departmentNumber: user.department,
    title: user.title,
    telephoneNumber: user.phone,
    l: user.city,
  };
}

/**
 * Writes an LDIF file with the suffix, `ou=people` and `count` users, for `slapadd` to load
 * before slapd starts: 100,000 adds over the protocol would take minutes, slapadd takes seconds.
 */
export async function writeSeedLdif(file: string, baseDn: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  const dc = baseDn.split(',')[0]!.split('=')[1]!;
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`dn: ${baseDn}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: ${dc}\ndc: ${dc}\n\n`);
  await write(`dn: ou=people,${baseDn}\nobjectClass: organizationalUnit\nou: people\n\n`);
  for (let n = 0; n < count; n++) {
    const entry = entryOf(benchUser(n));
    let text = `dn: uid=${String(entry.uid)},ou=people,${baseDn}\n`;
    for (const [name, value] of Object.entries(entry)) {
      for (const v of Array.isArray(value) ? value : [value]) text += `${name}: ${v}\n`;
    }
    await write(`${text}\n`);
  }
  out.end();
  await once(out, 'finish');
}

/** A root-bound client over StartTLS: the transport the connector uses too. */
export async function rootClient(slapd: Pick<Slapd, 'url' | 'caPem' | 'bindDn' | 'bindPassword'>): Promise<Client> {
  const client = new Client({ url: slapd.url, timeout: 30_000 });
  await client.startTLS({ ca: slapd.caPem, host: '127.0.0.1' });
  await client.bind(slapd.bindDn, slapd.bindPassword);
  return client;
}

/**
 * The import limit: a paged subtree search of every user with the attributes the connector
 * reads, the entries kept only as long as a page. Returns entries per second.
 */
export async function barePagedSearch(slapd: Slapd, pageSize: number): Promise<{ perSecond: number; rows: number; seconds: number }> {
  const client = await rootClient(slapd);
  try {
    const started = performance.now();
    let rows = 0;
    const attributes = ['objectClass', 'uid', 'cn', 'sn', 'givenName', 'displayName', 'mail', 'departmentNumber', 'title', 'telephoneNumber', 'l'];
    for await (const page of client.searchPaginated(peopleDn(slapd), { scope: 'sub', filter: '(objectClass=inetOrgPerson)', attributes, paged: { pageSize } })) {
      rows += page.searchEntries.length;
    }
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: rows / seconds, rows, seconds };
  } finally {
    await client.unbind();
  }
}

/** The create limit: `clients` bound connections each adding new users one after another. */
export function bareAdds(slapd: Slapd, clients: number, durationMs: number, maxOperations: number, prefix: string): Promise<LoopResult> {
  return runClientLoops({
    clients,
    durationMs,
    maxOperations,
    open: () => rootClient(slapd),
    operation: async (client, c, seq) => {
      const user = benchUser(seq, `${prefix}c${c}n`);
      await client.add(`uid=${user.login},${peopleDn(slapd)}`, entryOf(user));
    },
    close: (client) => client.unbind(),
  });
}

/** The update limit: `clients` bound connections each replacing two attributes of existing users in `range`. */
export function bareModifies(slapd: Slapd, clients: number, durationMs: number, maxOperations: number, range: { first: number; count: number }, tag: string): Promise<LoopResult> {
  return runClientLoops({
    clients,
    durationMs,
    maxOperations,
    open: () => rootClient(slapd),
    operation: async (client, c, seq) => {
      const n = range.first + ((seq * clients + c) % range.count);
      await client.modify(`uid=user${n},${peopleDn(slapd)}`, [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [`Renamed ${tag} ${seq}`] }) }),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: [`Title ${tag}`] }) }),
      ]);
    },
    close: (client) => client.unbind(),
  });
}
