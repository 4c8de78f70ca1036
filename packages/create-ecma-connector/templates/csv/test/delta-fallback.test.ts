import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectorInstance, ImportEntry, ImportType } from '@ecmahost/sdk';
import { silentLogger } from '@ecmahost/sdk';
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

  it('asks for a full import when the journal is gone, garbled, or the watermark is not ours', async () => {
    await writeFile(journalPath(filePath), `${JSON.stringify({ sequence: 1, operation: 'add', anchor: 'jdoe', hash: 'x' })}\n`);
    const full = await runImport('full');
    await rm(journalPath(filePath));
    await expect(runImport('delta', full.watermark)).rejects.toMatchObject({ code: 'invalid-watermark', message: expect.stringContaining('journal') });
    await writeFile(journalPath(filePath), 'not json\n');
    await expect(runImport('delta', full.watermark)).rejects.toMatchObject({ code: 'invalid-watermark', message: expect.stringContaining('line 1 is not a journal entry') });
    await expect(runImport('delta', 'yesterday')).rejects.toMatchObject({ code: 'invalid-watermark' });
  });
});
