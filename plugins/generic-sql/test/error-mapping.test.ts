import { attributeChange } from '@ecmahost/sdk';
import { expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.js';
import { employeesValues, useEmployeesDatabase } from './support/employees.js';
import { addUser, changeUser, exportBatch, openInstance } from './support/run.js';
import type { TestDatabase } from './support/targets.js';

describeEachDialect('per-entry error mapping', (dialect) => {
  let db!: TestDatabase;
  useEmployeesDatabase(dialect, (fresh) => {
    db = fresh;
  });
  const employees = (): string => `${db.prefix}${db.id('Employees')}`;
  const logins = async (): Promise<string[]> => (await db.query(`SELECT ${db.id('ContosoLogin')} AS c FROM ${employees()} ORDER BY 1`)).map((r) => String(r.c));

  it('maps duplicate, NOT NULL, CHECK and missing rows to their codes and keeps the good entries of the batch', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      const results = await exportBatch(instance, [
        addUser({ ContosoLogin: 'ann', FirstName: 'Ann', LastName: 'A' }),
        addUser({ ContosoLogin: 'ann', FirstName: 'Ann again', LastName: 'A' }),
        addUser({ ContosoLogin: 'nolast', FirstName: 'No' }),
        addUser({ ContosoLogin: 'negative', FirstName: 'N', LastName: 'N', EmployeeNumber: -1 }),
        changeUser('update', { ContosoLogin: 'ghost' }, [attributeChange.replace('FirstName', 'Boo')]),
        changeUser('delete', { ContosoLogin: 'ghost' }),
        addUser({ ContosoLogin: 'bob', FirstName: 'Bob', LastName: 'B', ProxyAddress: ['smtp:bob@contoso.com'] }),
        addUser({ ContosoLogin: 'long', FirstName: 'x'.repeat(101), LastName: 'L' }),
      ]);
      expect(results[0]?.error).toBeUndefined();
      expect(results[1]?.error?.code).toBe('existing-object');
      expect(results[2]?.error).toMatchObject({ code: 'syntax-violation', attribute: 'LastName' });
      expect(results[2]?.error?.message).toContain('LastName');
      expect(results[3]?.error?.code).toBe('syntax-violation');
      expect(results[3]?.error?.message.length).toBeGreaterThan(0);
      expect(results[4]?.error?.code).toBe('missing-object');
      expect(results[5]?.error?.code).toBe('missing-object');
      expect(results[6]?.error).toBeUndefined();
      // varchar(100): PostgreSQL and MariaDB refuse 101 characters (MariaDB names the column); SQLite has no length limit.
      if (dialect === 'sqlite') expect(results[7]?.error).toBeUndefined();
      else expect(results[7]?.error).toMatchObject({ code: 'syntax-violation', message: expect.stringMatching(/too long/i) });
      if (dialect === 'mysql') expect(results[7]?.error?.attribute).toBe('FirstName');
      expect(await logins()).toEqual(dialect === 'sqlite' ? ['ann', 'bob', 'long'] : ['ann', 'bob']);
      // The failed duplicate did not undo or change the first Ann.
      expect(await db.query(`SELECT ${db.id('FirstName')} AS f FROM ${employees()} WHERE ${db.id('ContosoLogin')} = ?`, ['ann'])).toEqual([{ f: 'Ann' }]);
    } finally {
      await instance.close();
    }
  });

  it('refuses values of the wrong type and unknown attributes before the database sees them', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      const results = await exportBatch(instance, [
        addUser({ ContosoLogin: 'typed', FirstName: 'T', LastName: 'T', EmployeeNumber: 'many' }),
        addUser({ ContosoLogin: 'unknown', FirstName: 'U', LastName: 'U', Shoe: '42' }),
        addUser({ ContosoLogin: 'readonly', FirstName: 'R', LastName: 'R', LastModified: '2020-01-01T00:00:00Z' }),
      ]);
      expect(results[0]?.error).toMatchObject({ code: 'syntax-violation', attribute: 'EmployeeNumber' });
      expect(results[1]?.error).toMatchObject({ code: 'invalid-provisioning-value', attribute: 'Shoe' });
      expect(results[2]?.error).toMatchObject({ code: 'invalid-provisioning-value', attribute: 'LastModified' });
      expect(await logins()).toEqual([]);
    } finally {
      await instance.close();
    }
  });

  if (dialect === 'sqlite') {
    it('reports a database locked by another writer as a retryable error', async () => {
      const instance = await openInstance(employeesValues(db, { statementTimeoutSeconds: '1' }));
      try {
        await db.exec('BEGIN IMMEDIATE');
        const [result] = await exportBatch(instance, [addUser({ ContosoLogin: 'late', FirstName: 'L', LastName: 'L' })]);
        await db.exec('ROLLBACK');
        expect(result?.error).toMatchObject({ code: 'connected-directory-error', retryable: true });
        expect(await logins()).toEqual([]);
      } finally {
        await instance.close();
      }
    });
  } else {
    it('cancels a statement running past statementTimeoutSeconds as a retryable entry error and keeps the others', async () => {
      await db.query(`INSERT INTO ${employees()} (${db.id('ContosoLogin')}, ${db.id('FirstName')}, ${db.id('LastName')}) VALUES (?, ?, ?)`, ['locked', 'L', 'L']);
      const instance = await openInstance(employeesValues(db, { statementTimeoutSeconds: '1' }));
      try {
        await db.exec(dialect === 'postgresql' ? 'BEGIN' : 'START TRANSACTION');
        await db.query(`SELECT * FROM ${employees()} WHERE ${db.id('ContosoLogin')} = ? FOR UPDATE`, ['locked']);
        const results = await exportBatch(instance, [
          addUser({ ContosoLogin: 'before', FirstName: 'B', LastName: 'B' }),
          changeUser('update', { ContosoLogin: 'locked' }, [attributeChange.replace('FirstName', 'changed')]),
          addUser({ ContosoLogin: 'after', FirstName: 'A', LastName: 'A' }),
        ]);
        await db.exec('ROLLBACK');
        expect(results[1]?.error).toMatchObject({ code: 'connected-directory-error', retryable: true });
        expect(results[0]?.error).toBeUndefined();
        expect(results[2]?.error).toBeUndefined();
        expect(await logins()).toEqual(['after', 'before', 'locked']);
        expect(await db.query(`SELECT ${db.id('FirstName')} AS f FROM ${employees()} WHERE ${db.id('ContosoLogin')} = ?`, ['locked'])).toEqual([{ f: 'L' }]);
      } finally {
        await instance.close();
      }
    });

    it('reports a connection killed mid-batch as retryable for every entry, and recovers', async () => {
      await db.query(`INSERT INTO ${employees()} (${db.id('ContosoLogin')}, ${db.id('FirstName')}, ${db.id('LastName')}) VALUES (?, ?, ?)`, ['locked', 'L', 'L']);
      const instance = await openInstance(employeesValues(db));
      try {
        // The admin session holds a row lock, so the connector's update waits; the admin then kills it.
        await db.exec(dialect === 'postgresql' ? 'BEGIN' : 'START TRANSACTION');
        await db.query(`SELECT * FROM ${employees()} WHERE ${db.id('ContosoLogin')} = ? FOR UPDATE`, ['locked']);
        const pending = exportBatch(instance, [
          addUser({ ContosoLogin: 'first', FirstName: 'F', LastName: 'F' }),
          changeUser('update', { ContosoLogin: 'locked' }, [attributeChange.replace('FirstName', 'changed')]),
        ]);
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const waiting =
            dialect === 'postgresql'
              ? await db.query('SELECT pg_stat_clear_snapshot()').then(() => db.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = ?", [db.prefix.slice(0, -1)]))
              : await db.query(
                  "SELECT 1 FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id WHERE p.DB = DATABASE() AND t.trx_state = 'LOCK WAIT'",
                );
          if (waiting.length > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await db.killOtherSessions();
        // Released before waiting: had the kill missed, the update would go through and fail the test instead of hanging it.
        await db.exec('ROLLBACK');
        const results = await pending;
        for (const result of results) expect(result.error).toMatchObject({ code: 'connected-directory-error', retryable: true });
        expect(await logins()).toEqual(['locked']);
        // The pool dropped the dead connection: the next batch goes through.
        const [again] = await exportBatch(instance, [addUser({ ContosoLogin: 'first', FirstName: 'F', LastName: 'F' })]);
        expect(again?.error).toBeUndefined();
        expect(await logins()).toEqual(['first', 'locked']);
      } finally {
        await instance.close();
      }
    });
  }
});
