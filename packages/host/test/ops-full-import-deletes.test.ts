// Deletes that deltas cannot see: a row deleted from a real SQLite file (Generic SQL, watermark
// delta) and an entry deleted from a real slapd (Generic LDAP, modifyTimestamp delta). A delta
// import leaves both in the cache; the scheduled full import removes them, and SCIM answers 404.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { openSqliteFile } from './fixtures/sqlite-file.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshContainer, rootClient } from '../../../plugins/generic-ldap/test/ldap-target.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../plugins/generic-ldap/test/slapd.js';
import type { ConnectorInstanceConfig } from '../src/config/connector-config.js';
import { createHost, type Host } from '../src/host.js';
import { ldapInstanceConfig } from './fixtures/ldap-instance.js';
import { employeesInstanceConfig } from './fixtures/sql-instance.js';

const TOKEN = 'ops-full-import-token-0123456789';
const HOST_DIR = fileURLToPath(new URL('..', import.meta.url));
const HOUR = 3_600_000;
const skip = slapdSkipReason();

/** The Employees table in an SQLite file, two of its columns served, the full import due every hour. */
function sqlConfig(file: string): ConnectorInstanceConfig {
  return employeesInstanceConfig({
    name: 'SQL',
    token: TOKEN,
    connection: { dialect: 'sqlite', connectionUrl: file, table: 'Employees' },
    columns: ['ContosoLogin', 'FirstName'],
    importOnly: ['LastModified'],
    disable: { action: 'none' },
    exportBatchSize: 1,
    fullImportEveryHours: 1,
    scimMapping: { userName: 'ContosoLogin', 'name.givenName': 'FirstName' },
  });
}

describe.skipIf(skip !== undefined)(liveTitle('the scheduled full import removes what the target deleted', skip), () => {
  let slapd: Slapd;
  let ou: string;
  let dir: string;
  let db: Database.Database;
  let host: Host;
  const get = (url: string) => Promise.resolve(host.app.request(url, { headers: { authorization: `Bearer ${TOKEN}` } }));
  const idOf = async (connector: string, userName: string): Promise<string | undefined> => {
    const body = (await (await get(`/ecma2host_${connector}/scim/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).json()) as { Resources: { id: string }[] };
    return body.Resources[0]?.id;
  };

  beforeAll(async () => {
    slapd = await startSlapd();
    ou = await freshContainer(slapd, 'full-import');
    const ldap = await rootClient(slapd);
    for (const uid of ['alice', 'bob']) await ldap.add(`uid=${uid},${ou}`, { objectClass: ['inetOrgPerson'], uid, cn: uid, sn: 'Test' });
    await ldap.unbind();
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-ops-full-'));
    db = openSqliteFile(path.join(dir, 'employees.db'));
    db.exec(`CREATE TABLE Employees (ContosoLogin TEXT PRIMARY KEY, FirstName TEXT NOT NULL, LastModified DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')));
      INSERT INTO Employees (ContosoLogin, FirstName) VALUES ('alice', 'Alice'), ('bob', 'Bob');`);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await host?.stop();
    await slapd?.stop();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a delta keeps the deleted row and entry; the scheduled full import drops them (SCIM GET 404)', async () => {
    // Only the timers created from here on are fake; the clock also runs on by itself, so the
    // drivers' own timeouts work, and one jump of an hour brings the full import schedule due.
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    host = createHost({ connectors: [sqlConfig(path.join(dir, 'employees.db')), ldapInstanceConfig(slapd, ou, { name: 'LDAP', token: TOKEN, deltaMethod: 'modifyTimestamp', fullImportEveryHours: 1 })], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR });
    await host.start();
    for (const name of ['SQL', 'LDAP']) expect(await host.runImport(name)).toMatchObject({ type: 'full', cacheSize: 2 });
    const sqlBob = await idOf('SQL', 'bob');
    const ldapBob = await idOf('LDAP', 'bob');
    expect(sqlBob).toBeDefined();
    expect(ldapBob).toBeDefined();

    db.prepare('DELETE FROM Employees WHERE ContosoLogin = ?').run('bob');
    const ldap = await rootClient(slapd);
    await ldap.del(`uid=bob,${ou}`);
    await ldap.unbind();

    for (const name of ['SQL', 'LDAP']) expect(await host.runImport(name, { delta: true })).toMatchObject({ type: 'delta', cacheSize: 2 });
    expect((await get(`/ecma2host_SQL/scim/Users/${sqlBob}`)).status).toBe(200);
    expect((await get(`/ecma2host_LDAP/scim/Users/${ldapBob}`)).status).toBe(200);

    // The last import so far is the delta; a full import that ends after it is the scheduled one.
    const afterDelta = Date.now();
    await vi.advanceTimersByTimeAsync(HOUR);
    await vi.waitFor(
      () => {
        for (const name of ['SQL', 'LDAP']) {
          const last = host.connectorStatus(name)?.lastImport;
          expect(last?.type).toBe('full');
          expect(Date.parse(last?.at ?? '')).toBeGreaterThan(afterDelta);
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    expect((await get(`/ecma2host_SQL/scim/Users/${sqlBob}`)).status).toBe(404);
    expect((await get(`/ecma2host_LDAP/scim/Users/${ldapBob}`)).status).toBe(404);
    expect(await idOf('SQL', 'alice')).toBeDefined();
    expect(await idOf('LDAP', 'alice')).toBeDefined();
    // The next full import is an hour after the last one was due.
    expect(host.connectorStatus('SQL')?.nextImports).toEqual([{ type: 'full', at: expect.any(String) }]);
  });
});
