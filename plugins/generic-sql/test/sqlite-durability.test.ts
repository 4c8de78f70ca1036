import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { employeesValues, createEmployees } from './support/employees.js';
import { addUser, exportBatch, openInstance } from './support/run.js';
import { createTestDatabase, type TestDatabase } from './support/targets.js';

// Kept reachable: better-sqlite3 12 aborts Node 24.19+ when an idle GC finalises one of its objects.
const kept = new Set<object>();

/** The file's journal mode as a separate connection (another process, an admin's tool) sees it. */
function journalModeOf(file: string): string {
  const reader = new Database(file, { readonly: true });
  kept.add(reader);
  try {
    const statement = reader.prepare('PRAGMA journal_mode');
    kept.add(statement);
    return String(statement.pluck().get());
  } finally {
    reader.close();
  }
}

describe('SQLite journal and durability settings', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });
  const fresh = async (): Promise<TestDatabase> => {
    db = await createTestDatabase('sqlite');
    await createEmployees(db);
    return db;
  };
  const file = (target: TestDatabase): string => String(target.connection.connectionUrl);

  it('opens the file in WAL mode by default, and a write made through the connector is on disk for another connection', async () => {
    const target = await fresh();
    expect(journalModeOf(file(target))).toBe('delete');
    const instance = await openInstance(employeesValues(target));
    try {
      expect(journalModeOf(file(target))).toBe('wal');
      const [result] = await exportBatch(instance, [addUser({ ContosoLogin: 'wal.user', FirstName: 'Wal', LastName: 'User' })]);
      expect(result?.error).toBeUndefined();
      expect(await target.query('SELECT FirstName FROM Employees WHERE ContosoLogin = ?', ['wal.user'])).toEqual([{ FirstName: 'Wal' }]);
    } finally {
      await instance.close();
    }
  });

  it('keeps the rollback journal when the admin chooses delete', async () => {
    const target = await fresh();
    const instance = await openInstance(employeesValues(target, { sqliteJournalMode: 'delete', sqliteSynchronous: 'normal' }));
    try {
      const [result] = await exportBatch(instance, [addUser({ ContosoLogin: 'rollback.user', FirstName: 'Roll', LastName: 'Back' })]);
      expect(result?.error).toBeUndefined();
      expect(journalModeOf(file(target))).toBe('delete');
    } finally {
      await instance.close();
    }
  });

  it('refuses an unknown journal mode or durability level, naming the parameter', async () => {
    const target = await fresh();
    await expect(openInstance(employeesValues(target, { sqliteJournalMode: 'memory' }))).rejects.toMatchObject({ code: 'invalid-configuration', parameter: 'sqliteJournalMode' });
    await expect(openInstance(employeesValues(target, { sqliteSynchronous: 'off' }))).rejects.toMatchObject({ code: 'invalid-configuration', parameter: 'sqliteSynchronous' });
  });
});
