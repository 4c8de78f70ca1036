import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectorInstance, ImportEntry, ImportType } from '@ecmahost/sdk';
import { silentLogger } from '@ecmahost/sdk';
// #if export
import { attributeChangesOf } from '@ecmahost/sdk';
// #endif
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { journalPath } from '../src/journal.js';

// Delta import trusts the journal only while the file is exactly what the journal says it is:
// any other change must send the host back to a full import, never be missed.
describe('delta import when the file changed behind the connector', () => {
  let dir: string;
  let filePath: string;
  let instance: ConnectorInstance;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ecma-connector-csv-'));
    filePath = path.join(dir, 'users.csv');
    await writeFile(filePath, 'UserName,DisplayName\njdoe,Jane Doe\n');
    instance = await connector.open({ FilePath: filePath }, { log: silentLogger, signal: new AbortController().signal });
  });
  afterEach(async () => {
    await instance.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runImport(type: ImportType, watermark?: string): Promise<{ entries: ImportEntry[]; watermark?: string }> {
    const schema = await instance.getSchema();
    const session = await instance.openImport!({ type, schema, pageSize: 10, ...(watermark === undefined ? {} : { watermark }) });
    const entries: ImportEntry[] = [];
    let last: string | undefined;
    for (;;) {
      const page = await session.getEntries();
      entries.push(...page.entries);
      last = page.watermark ?? last;
      if (!page.more) break;
    }
    await session.close('normal');
    return last === undefined ? { entries } : { entries, watermark: last };
  }

  it('reports no change when nothing changed', async () => {
    const full = await runImport('full');
    expect((await runImport('delta', full.watermark)).entries).toEqual([]);
  });

  it('asks for a full import after a hand edit', async () => {
    const full = await runImport('full');
    await appendFile(filePath, 'asmith,Alex Smith\n');
    await expect(runImport('delta', full.watermark)).rejects.toMatchObject({ code: 'invalid-watermark', message: expect.stringContaining('changed by something other than this connector') });
    // The full import the host runs instead sees the edit, and its watermark works again.
    const again = await runImport('full');
    expect(again.entries.map((e) => e.anchor)).toEqual([{ UserName: 'jdoe' }, { UserName: 'asmith' }]);
    expect((await runImport('delta', again.watermark)).entries).toEqual([]);
  });

  // #if export
  it('asks for a full import after a hand edit, even when an export rewrote the file since', async () => {
    const full = await runImport('full');
    await appendFile(filePath, 'asmith,Alex Smith\n');
    const session = await instance.openExport!({ schema: await instance.getSchema(), batchSize: 10 });
    const results = await session.putEntries([
      { identifier: '1', objectType: 'person', modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ UserName: 'mallen' }) },
    ]);
    await session.close('normal');
    expect(results).toEqual([{ identifier: '1', anchor: { UserName: 'mallen' } }]);
    // The export's journal line starts from the hand-edited file, not from the last import's.
    await expect(runImport('delta', full.watermark)).rejects.toMatchObject({ code: 'invalid-watermark' });
    const again = await runImport('full');
    expect(again.entries.map((e) => e.anchor)).toEqual([{ UserName: 'jdoe' }, { UserName: 'asmith' }, { UserName: 'mallen' }]);
  });

  it('reports exactly the exported changes when nothing else touched the file', async () => {
    const full = await runImport('full');
    const session = await instance.openExport!({ schema: await instance.getSchema(), batchSize: 10 });
    await session.putEntries([
      { identifier: '1', objectType: 'person', modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ UserName: 'mallen' }) },
    ]);
    await session.putEntries([{ identifier: '2', objectType: 'person', modification: 'delete', anchor: { UserName: 'jdoe' }, attributeChanges: [] }]);
    await session.close('normal');
    const delta = await runImport('delta', full.watermark);
    expect(delta.entries.map((e) => [e.modification, e.anchor])).toEqual([
      ['add', { UserName: 'mallen' }],
      ['delete', { UserName: 'jdoe' }],
    ]);
    expect((await runImport('delta', delta.watermark)).entries).toEqual([]);
  });

  // #endif
  it('asks for a full import when the journal is gone, garbled, or the watermark is not ours', async () => {
    await writeFile(journalPath(filePath), `${JSON.stringify({ sequence: 1, previous: 'a', hash: 'b', changes: [{ operation: 'add', anchor: 'jdoe' }] })}\n`);
    const full = await runImport('full');
    await rm(journalPath(filePath));
    await expect(runImport('delta', full.watermark)).rejects.toMatchObject({ code: 'invalid-watermark', message: expect.stringContaining('journal') });
    await writeFile(journalPath(filePath), 'not json\n');
    await expect(runImport('delta', full.watermark)).rejects.toMatchObject({ code: 'invalid-watermark', message: expect.stringContaining('line 1 is not a journal entry') });
    await expect(runImport('delta', 'yesterday')).rejects.toMatchObject({ code: 'invalid-watermark' });
  });
});
