import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectorInstance, ImportEntry } from '@ecmahost/sdk';
import { findObjectType, silentLogger } from '@ecmahost/sdk';
// #if export
import { attributeChangesOf } from '@ecmahost/sdk';
// #endif
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import connector from '../src/index.js';

// A file as people really edit it: a row with a missing cell, a value that is not a number,
// a duplicate anchor and a quoted value with a comma and a line break.
const CSV = [
  'UserName,DisplayName,EmployeeId:integer',
  'jdoe,"Doe, Jane',
  'from Accounting",1001',
  'broken,Only two cells',
  'nan,Not A Number,12abc',
  'jdoe,Jane Again,1003',
  'asmith,Alex Smith,1002',
  '',
].join('\n');

describe('a CSV file with bad rows', () => {
  let dir: string;
  let filePath: string;
  let instance: ConnectorInstance;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ecma-connector-csv-'));
    filePath = path.join(dir, 'users.csv');
    await writeFile(filePath, CSV);
    instance = await connector.open({ FilePath: filePath }, { log: silentLogger, signal: new AbortController().signal });
  });
  afterEach(async () => {
    await instance.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function fullImport(): Promise<ImportEntry[]> {
    const schema = await instance.getSchema();
    const session = await instance.openImport!({ type: 'full', schema, pageSize: 100 });
    const entries: ImportEntry[] = [];
    for (;;) {
      const page = await session.getEntries();
      entries.push(...page.entries);
      if (!page.more) break;
    }
    await session.close('normal');
    return entries;
  }

  it('imports the good rows and reports each bad one with its line', async () => {
    const schema = await instance.getSchema();
    expect(findObjectType(schema, 'person')?.attributes.map((a) => a.name)).toEqual(['UserName', 'DisplayName', 'EmployeeId']);
    const entries = await fullImport();
    const good = entries.filter((e) => !e.error);
    expect(good.map((e) => e.anchor)).toEqual([{ UserName: 'jdoe' }, { UserName: 'asmith' }]);
    expect(good[0]?.attributeChanges?.find((c) => c.name === 'DisplayName')?.valueChanges[0]?.value).toBe('Doe, Jane\nfrom Accounting');
    expect(entries.filter((e) => e.error).map((e) => e.error?.message)).toEqual([
      `${filePath} line 4: 2 cells where the header has 3`,
      `${filePath} line 5: EmployeeId: "12abc" is not a whole number`,
      `${filePath} line 6: UserName "jdoe" is used by an earlier row`,
    ]);
  });

  // #if export
  it('keeps the bad rows untouched when an export rewrites the file', async () => {
    const schema = await instance.getSchema();
    const session = await instance.openExport!({ schema, batchSize: 10 });
    const results = await session.putEntries([
      { identifier: '1', objectType: 'person', modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ UserName: 'new', EmployeeId: 7 }) },
      { identifier: '2', objectType: 'person', modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ UserName: 'asmith' }) },
    ]);
    await session.close('normal');
    expect(results).toEqual([
      { identifier: '1', anchor: { UserName: 'new' } },
      { identifier: '2', error: { code: 'existing-object', message: 'A user with UserName "asmith" already exists' } },
    ]);
    const text = await readFile(filePath, 'utf8');
    expect(text).toBe(`${CSV}new,,7\n`);
  });
  // #endif
});
