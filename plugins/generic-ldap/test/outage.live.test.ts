import type { ConnectorInstance, CSEntryChange, ExportEntryResult } from '@ecmahost/sdk';
import { attributeChangesOf, silentLogger } from '@ecmahost/sdk';
import type { Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { freshContainer, rootClient, valuesFor } from './ldap-target.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();
const context = { log: silentLogger, signal: new AbortController().signal };
const BATCH = 1000;

function adds(ou: string, from: number, count: number): CSEntryChange[] {
  return Array.from({ length: count }, (_, i) => ({
    identifier: `add-${String(from + i)}`,
    objectType: 'inetOrgPerson',
    modification: 'add' as const,
    anchor: {},
    attributeChanges: attributeChangesOf({ uid: `u${String(from + i)}`, cn: `User ${String(from + i)}`, sn: 'Outage' }),
  }));
}

async function put(instance: ConnectorInstance, batch: readonly CSEntryChange[]): Promise<ExportEntryResult[]> {
  const session = await instance.openExport!({ schema: await instance.getSchema(), batchSize: batch.length });
  try {
    return await session.putEntries(batch);
  } finally {
    await session.close('normal');
  }
}

async function countUnder(client: Client, ou: string): Promise<number> {
  return (await client.search(ou, { scope: 'one', filter: '(objectClass=inetOrgPerson)', attributes: ['1.1'] })).searchEntries.length;
}

describe.skipIf(skip !== undefined)(liveTitle('slapd outage in the middle of an export batch', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterEach(async () => {
    // A failed check must not leave slapd down for the next test.
    if (slapd !== undefined && !slapd.running) await slapd.start();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it('fails the entries in flight as retryable, and the same instance recovers once slapd is back', { timeout: 120_000 }, async () => {
    const ou = await freshContainer(slapd, 'outage');
    const instance = await connector.open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}`, connectTimeout: '2', operationTimeout: '5' }), context);
    try {
      expect((await put(instance, adds(ou, 0, 1)))[0]?.error).toBeUndefined();
      const batch = adds(ou, 1, BATCH);
      // Watched over one open connection, so a poll takes a round trip, not a new TLS session.
      const watcher = await rootClient(slapd);
      const running = put(instance, batch);
      // Kill slapd (SIGKILL, no goodbye) once part of the batch is in the directory.
      const deadline = Date.now() + 20_000;
      while ((await countUnder(watcher, ou)) < 21 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      // Unbound while slapd still answers: an unbind racing the kill can wait forever in ldapts.
      await watcher.unbind();
      await slapd.stop({ hard: true, keepFiles: true });
      const results = await running;

      expect(results.map((r) => r.identifier)).toEqual(batch.map((e) => e.identifier));
      const failed = results.filter((r) => r.error !== undefined);
      // At least 20 of the batch were in the directory; the last may have died before its answer.
      expect(results.length - failed.length).toBeGreaterThanOrEqual(19);
      expect(failed.length).toBeGreaterThan(0);
      for (const result of failed) expect(result.error).toMatchObject({ code: 'connected-directory-error', retryable: true });

      await slapd.start();
      const retry = await put(instance, batch.filter((e) => failed.some((f) => f.identifier === e.identifier)));
      // An add the server committed just before it died is answered "already exists" on retry.
      const retryErrors = retry.filter((r) => r.error !== undefined);
      expect(retryErrors.length).toBeLessThanOrEqual(1);
      for (const r of retryErrors) expect(r.error?.code).toBe('existing-object');
      const checker = await rootClient(slapd);
      expect(await countUnder(checker, ou)).toBe(BATCH + 1);
      await checker.unbind();

      const session = await instance.openImport!({ type: 'full', schema: await instance.getSchema(), pageSize: 1000 });
      let imported = 0;
      for (let page = await session.getEntries(); ; page = await session.getEntries()) {
        imported += page.entries.length;
        if (!page.more) break;
      }
      await session.close('normal');
      expect(imported).toBe(BATCH + 1);
    } finally {
      await instance.close();
    }
  });

  it('reports an export while slapd is down as retryable for every entry, not as a thrown batch', async () => {
    const ou = await freshContainer(slapd, 'down');
    const instance = await connector.open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}`, connectTimeout: '2' }), context);
    try {
      const schema = await instance.getSchema();
      await slapd.stop({ keepFiles: true });
      const session = await instance.openExport!({ schema, batchSize: 3 });
      const results = await session.putEntries(adds(ou, 0, 3));
      await session.close('normal');
      expect(results.map((r) => r.error)).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ code: 'connected-directory-error', retryable: true })));
      expect(results[0]?.error?.message).toMatch(/connection refused|Connection closed/);
      await slapd.start();
      expect((await put(instance, adds(ou, 0, 3))).map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    } finally {
      await instance.close();
    }
  });
});
