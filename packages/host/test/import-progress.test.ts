// An import's progress as the CLI and the console see it: the generic SQL connector hands a page of
// rows over a hundred entries at a time (decision 026), and a report per slice would be a line per
// hundred objects on the admin's terminal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import type { ImportProgress } from '../src/connectors/runtime.js';
import { createHost } from '../src/host.js';
import { employeesInstanceConfig } from './fixtures/sql-instance.js';
import { openSqliteFile } from './fixtures/sqlite-file.js';

const HOST_DIR = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-import-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports the first and the last page of an import and at most one page a second between them', async () => {
  const rows = 2550;
  const file = path.join(dir, 'employees.db');
  const db = openSqliteFile(file);
  db.exec(`CREATE TABLE Employees (ContosoLogin TEXT PRIMARY KEY, FirstName TEXT NOT NULL, LastModified DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))`);
  const insert = db.prepare('INSERT INTO Employees (ContosoLogin, FirstName) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`user${i}`, `First${i}`);
  })();
  const config = employeesInstanceConfig({
    name: 'SQL',
    token: 'import-progress-token-0123456789',
    connection: { dialect: 'sqlite', connectionUrl: file, table: 'Employees' },
    columns: ['ContosoLogin', 'FirstName'],
    importOnly: ['LastModified'],
    disable: { action: 'none' },
    scimMapping: { userName: 'ContosoLogin', 'name.givenName': 'FirstName' },
  });
  // Microsoft's default page of 5,000 rows: one read, handed over in 26 slices.
  const host = createHost({ connectors: [{ ...config, runProfiles: { ...config.runProfiles, fullImport: { pageSize: 5000 } } }], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR });
  await host.start();
  try {
    // The start-up import first: an import asked for while one runs joins it.
    await host.runImport('SQL');
    const reports: ImportProgress[] = [];
    const started = performance.now();
    const summary = await host.runImport('SQL', { onProgress: (progress) => reports.push(progress) });
    const seconds = (performance.now() - started) / 1000;
    expect(summary).toMatchObject({ type: 'full', objects: rows, cacheSize: rows });
    expect(reports[0]).toEqual({ type: 'full', objects: 100, pages: 1 });
    expect(reports.at(-1)).toEqual({ type: 'full', objects: rows, pages: 26 });
    expect(reports.length).toBeLessThanOrEqual(2 + Math.floor(seconds));
  } finally {
    await host.stop();
  }
});
