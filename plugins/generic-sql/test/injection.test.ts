import { attributeChange } from '@ecmahost/sdk';
import { expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.js';
import { employeesValues, useEmployeesDatabase } from './support/employees.js';
import { addUser, changeUser, exportBatch, importAll, openInstance } from './support/run.js';
import type { TestDatabase } from './support/targets.js';

/** Values an attacker would try: quotes, statement ends, comment markers, escapes. */
const HOSTILE = [
  "Robert'); DROP TABLE Employees;--",
  'x" OR "1"="1',
  "'; DELETE FROM EmployeeProxy; SELECT '",
  'a /* comment */ b -- tail',
  '\\\'; DROP TABLE Employees; #',
  '`backtick`; DROP TABLE `Employees`',
  '$1 $$ ? :name @FirstName',
];

describeEachDialect('injection safety', (dialect) => {
  let db!: TestDatabase;
  useEmployeesDatabase(dialect, (fresh) => {
    db = fresh;
  });

  const tableStillThere = async (): Promise<number> => Number((await db.query(`SELECT COUNT(*) AS n FROM ${db.prefix}${db.id('Employees')}`))[0]?.n);

  it('stores hostile attribute values and anchors verbatim, in the table and the child table', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      const batch = HOSTILE.map((value, n) =>
        addUser({ ContosoLogin: `${value}#${String(n)}`, FirstName: value, LastName: value, ProxyAddress: [value] }),
      );
      const results = await exportBatch(instance, batch);
      expect(results.map((r) => r.error)).toEqual(HOSTILE.map(() => undefined));
      expect(await tableStillThere()).toBe(HOSTILE.length);
      for (const [n, value] of HOSTILE.entries()) {
        const rows = await db.query(`SELECT ${db.id('FirstName')} AS f, ${db.id('LastName')} AS l FROM ${db.prefix}${db.id('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, [`${value}#${String(n)}`]);
        expect(rows).toEqual([{ f: value, l: value }]);
        const proxies = await db.query(`SELECT ${db.id('ProxyAddress')} AS p FROM ${db.prefix}${db.id('EmployeeProxy')} WHERE ${db.id('ContosoLogin')} = ?`, [`${value}#${String(n)}`]);
        expect(proxies).toEqual([{ p: value }]);
      }
      const imported = await importAll(instance);
      expect(imported.entries.map((e) => e.anchor.ContosoLogin).sort()).toEqual(HOSTILE.map((v, n) => `${v}#${String(n)}`).sort());
    } finally {
      await instance.close();
    }
  });

  it('uses hostile anchors only as values in update and delete conditions', async () => {
    await db.query(`INSERT INTO ${db.prefix}${db.id('Employees')} (${db.id('ContosoLogin')}, ${db.id('FirstName')}, ${db.id('LastName')}) VALUES (?, ?, ?)`, ['victim', 'V', 'V']);
    const instance = await openInstance(employeesValues(db));
    try {
      // An anchor that would match every row if pasted into the WHERE clause.
      const results = await exportBatch(instance, [
        changeUser('update', { ContosoLogin: "x' OR '1'='1" }, [attributeChange.replace('FirstName', 'hacked')]),
        changeUser('delete', { ContosoLogin: "x' OR '1'='1" }),
        changeUser('delete', { ContosoLogin: 'x" OR "1"="1' }),
      ]);
      expect(results.map((r) => r.error?.code)).toEqual(['missing-object', 'missing-object', 'missing-object']);
      expect(await db.query(`SELECT ${db.id('FirstName')} AS f FROM ${db.prefix}${db.id('Employees')}`)).toEqual([{ f: 'V' }]);
    } finally {
      await instance.close();
    }
  });

  it('stores a NUL byte verbatim or refuses that entry cleanly, never disturbing the others', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      const [nul, plain] = await exportBatch(instance, [addUser({ ContosoLogin: 'nul', FirstName: 'a\u0000b', LastName: 'x' }), addUser({ ContosoLogin: 'plain', FirstName: 'p', LastName: 'x' })]);
      expect(plain?.error).toBeUndefined();
      const stored = await db.query(`SELECT ${db.id('FirstName')} AS f FROM ${db.prefix}${db.id('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, ['nul']);
      if (nul?.error) {
        // PostgreSQL text cannot hold NUL: the database's own refusal, as a per-entry result.
        expect(nul.error.code).toBe('syntax-violation');
        expect(stored).toEqual([]);
      } else expect(stored).toEqual([{ f: 'a\u0000b' }]);
      expect(await tableStillThere()).toBe(nul?.error ? 1 : 2);
    } finally {
      await instance.close();
    }
  });

  it('binds @placeholders of the SQL-statement method as parameters', async () => {
    const values = employeesValues(db, {
      exportMethod: 'statement',
      // A literal question mark before the placeholders: a driver splicing values in at every `?` would misplace them.
      addStatement: `INSERT INTO ${db.prefix}${db.id('Employees')} (${db.id('textID')}, ${db.id('ContosoLogin')}, ${db.id('FirstName')}, ${db.id('LastName')}) VALUES ('why? /* ? */', @ContosoLogin, @FirstName, '@LastName literal')`,
      deleteStatement: `DELETE FROM ${db.prefix}${db.id('Employees')} WHERE ${db.id('ContosoLogin')} = @ContosoLogin`,
    });
    const instance = await openInstance(values);
    try {
      const hostile = "'); DROP TABLE Employees; --";
      const [added, removed] = await exportBatch(instance, [addUser({ ContosoLogin: 'stmt', FirstName: hostile, LastName: 'ignored' }), changeUser('delete', { ContosoLogin: "stmt' OR '1'='1" })]);
      expect(added?.error).toBeUndefined();
      expect(removed?.error?.code).toBe('missing-object');
      expect(await db.query(`SELECT ${db.id('FirstName')} AS f, ${db.id('LastName')} AS l, ${db.id('textID')} AS t FROM ${db.prefix}${db.id('Employees')}`)).toEqual([
        { f: hostile, l: '@LastName literal', t: 'why? /* ? */' },
      ]);
    } finally {
      await instance.close();
    }
  });
});
