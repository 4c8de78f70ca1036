// The refresh after a restart is a delta from the snapshot's watermark when the connector has one:
// a real SQLite file through Generic SQL (watermark delta on LastModified), two host instances over
// one state directory, the table changed between them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../src/host.js';
import { openSqliteFile } from './fixtures/sqlite-file.js';
import { employeesInstanceConfig } from './fixtures/sql-instance.js';

const TOKEN = 'snapshot-delta-token-0123456789ab';
const HOST_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('a restarted host refreshes its restored space with a delta import', () => {
  let dir: string;
  let db: Database.Database;
  let host: Host | undefined;
  const config = () =>
    employeesInstanceConfig({
      name: 'SQL',
      token: TOKEN,
      connection: { dialect: 'sqlite', connectionUrl: path.join(dir, 'employees.db'), table: 'Employees' },
      columns: ['ContosoLogin', 'FirstName'],
      importOnly: ['LastModified'],
      disable: { action: 'none' },
      scimMapping: { userName: 'ContosoLogin', 'name.givenName': 'FirstName' },
    });
  const start = async (): Promise<Host> => {
    host = createHost({ connectors: [config()], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR, stateDir: path.join(dir, 'state') });
    await host.start();
    return host;
  };
  const givenNames = async (h: Host): Promise<Record<string, string>> => {
    const res = await h.app.request('/ecma2host_SQL/scim/Users', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Resources: { userName: string; name?: { givenName?: string } }[] };
    return Object.fromEntries(body.Resources.map((r) => [r.userName, r.name?.givenName ?? '']));
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-snapshot-delta-'));
    db = openSqliteFile(path.join(dir, 'employees.db'));
    db.exec(`CREATE TABLE Employees (ContosoLogin TEXT PRIMARY KEY, FirstName TEXT NOT NULL, LastModified DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')));
      INSERT INTO Employees (ContosoLogin, FirstName) VALUES ('alice', 'Alice'), ('bob', 'Bob');`);
  });
  afterAll(async () => {
    await host?.stop();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('restores the space, then applies what changed while the host was down through a delta', async () => {
    const first = await start();
    expect(await first.runImport('SQL')).toMatchObject({ type: 'full', cacheSize: 2 });
    await first.stop();

    // While the host is down: bob renamed, carol added (both with a newer LastModified).
    await new Promise((resolve) => setTimeout(resolve, 20));
    db.exec(`UPDATE Employees SET FirstName = 'Robert', LastModified = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE ContosoLogin = 'bob';
      INSERT INTO Employees (ContosoLogin, FirstName) VALUES ('carol', 'Carol');`);

    const second = await start();
    expect(second.connectorStatus('SQL')).toMatchObject({ state: 'ready', restored: { objects: 2 } });
    // The import the start began is the refresh: joined here, it is a delta from the snapshot's watermark.
    const refresh = await second.runImport('SQL');
    expect(refresh).toMatchObject({ type: 'delta', objects: 2, cacheSize: 3 });
    expect(await givenNames(second)).toEqual({ alice: 'Alice', bob: 'Robert', carol: 'Carol' });
  });
});
