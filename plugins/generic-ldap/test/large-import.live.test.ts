import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { silentLogger } from '@ecmahost/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { ENTRY_SLICE } from '../src/import-session.js';
import { rootClient, valuesFor } from './ldap-target.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();
const ENTRIES = 100_000;
const PAGE_SIZE = 1000;
const context = { log: silentLogger, signal: new AbortController().signal };

/** Writes the suffix, ou=people and `count` inetOrgPerson entries as LDIF, streaming. */
async function writeLdif(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n');
  await write('dn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: people\n\n');
  for (let i = 0; i < count; i++) {
    await write(`dn: uid=user${String(i)},ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: user${String(i)}\ncn: User ${String(i)}\nsn: Number${String(i)}\nmail: user${String(i)}@example.com\ndescription: ${'x'.repeat(200)}\n\n`);
  }
  out.end();
  await once(out, 'finish');
}

const gc = (globalThis as { gc?: () => void }).gc;

describe.skipIf(skip !== undefined)(liveTitle(`full import of ${String(ENTRIES)} entries`, skip), () => {
  let slapd: Slapd;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-ldif-'));
    const file = path.join(dir, 'bulk.ldif');
    await writeLdif(file, ENTRIES);
    slapd = await startSlapd({ seedLdifFile: file });
  }, 300_000);
  afterAll(async () => {
    await slapd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('streams pages from the server with bounded memory', { timeout: 300_000 }, async () => {
    const instance = await connector.open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: `ou=people,${slapd.baseDn}`, anchor: 'entryUUID' }), context);
    const root = await rootClient(slapd);
    try {
      const session = await instance.openImport!({ type: 'full', schema: await instance.getSchema(), pageSize: PAGE_SIZE });
      gc?.();
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      let count = 0;
      let largestPage = 0;
      let pages = 0;
      let sawLate = false;
      const anchors = new Set<string>();
      for (;;) {
        const page = await session.getEntries();
        pages += 1;
        count += page.entries.length;
        largestPage = Math.max(largestPage, page.entries.length);
        for (const e of page.entries) {
          anchors.add(String(e.anchor.entryUUID));
          if (e.dn === `uid=late,ou=people,${slapd.baseDn}`) sawLate = true;
        }
        if (pages === 1) {
          // Added after the first page was handed over: only a session that asks the server for
          // each page as it goes (rather than reading everything at open) can return it.
          await root.add(`uid=late,ou=people,${slapd.baseDn}`, { objectClass: 'inetOrgPerson', uid: 'late', cn: 'Late', sn: 'Late' });
        }
        if (pages % 10 === 0) {
          gc?.();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
        if (!page.more) break;
      }
      await session.close('normal');
      expect(count).toBe(ENTRIES + 1);
      expect(anchors.size).toBe(ENTRIES + 1);
      // Read from the server PAGE_SIZE entries at a time, handed over ENTRY_SLICE at a time.
      expect(largestPage).toBe(ENTRY_SLICE);
      expect(pages).toBeGreaterThanOrEqual(ENTRIES / ENTRY_SLICE);
      expect(sawLate).toBe(true);
      // Holding all entries would take hundreds of MB; pages plus the anchor set stay far below.
      expect(peak).toBeLessThan(96 * 1024 * 1024);
    } finally {
      await root.unbind();
      await instance.close();
    }
  });
});
