import { attributeChange, type AttributeValues, type CSEntryChange, type ExportEntryResult } from '@ecmahost/sdk';
import { expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.js';
import { employeesValues, useEmployeesDatabase } from './support/employees.js';
import { addUser, changeUser, exportBatch, openInstance } from './support/run.js';
import type { TestDatabase } from './support/targets.js';

// The host exports one change per request: a batch of one entry runs without a savepoint, and
// without a transaction when it is a single statement. Its results must be those of a larger batch.
describeEachDialect('one-entry export batches', (dialect) => {
  let db!: TestDatabase;
  useEmployeesDatabase(dialect, (fresh) => {
    db = fresh;
  });
  const t = (name: string): string => `${db.prefix}${db.id(name)}`;
  const logins = async (): Promise<string[]> => (await db.query(`SELECT ${db.id('ContosoLogin')} AS c FROM ${t('Employees')} ORDER BY 1`)).map((r) => String(r.c));
  const proxies = async (): Promise<string[]> =>
    (await db.query(`SELECT ${db.id('ContosoLogin')} AS c, ${db.id('ProxyAddress')} AS p FROM ${t('EmployeeProxy')} ORDER BY 1, 2`)).map((r) => `${String(r.c)}:${String(r.p)}`);

  it('maps each failure of a one-entry batch to the code a larger batch reports, and stores the good entries', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      const one = async (entry: AttributeValues | CSEntryChange): Promise<ExportEntryResult | undefined> => {
        const [result] = await exportBatch(instance, ['modification' in entry ? (entry as CSEntryChange) : addUser(entry)]);
        return result;
      };
      expect((await one({ ContosoLogin: 'ann', FirstName: 'Ann', LastName: 'A' }))?.error).toBeUndefined();
      expect((await one({ ContosoLogin: 'ann', FirstName: 'Ann again', LastName: 'A' }))?.error?.code).toBe('existing-object');
      expect((await one({ ContosoLogin: 'ann', FirstName: 'Ann again', LastName: 'A', ProxyAddress: ['smtp:dup@contoso.com'] }))?.error?.code).toBe('existing-object');
      expect((await one({ ContosoLogin: 'nolast', FirstName: 'No' }))?.error).toMatchObject({ code: 'syntax-violation', attribute: 'LastName' });
      expect((await one({ ContosoLogin: 'negative', FirstName: 'N', LastName: 'N', EmployeeNumber: -1 }))?.error?.code).toBe('syntax-violation');
      expect((await one({ ContosoLogin: 'typed', FirstName: 'T', LastName: 'T', EmployeeNumber: 'many' }))?.error?.code).toBe('syntax-violation');
      expect((await one(changeUser('update', { ContosoLogin: 'ghost' }, [attributeChange.replace('FirstName', 'Boo')])))?.error?.code).toBe('missing-object');
      expect((await one(changeUser('update', { ContosoLogin: 'ghost' }, [attributeChange.add('ProxyAddress', 'smtp:boo@contoso.com')])))?.error?.code).toBe('missing-object');
      expect((await one(changeUser('delete', { ContosoLogin: 'ghost' })))?.error?.code).toBe('missing-object');
      expect((await one({ ContosoLogin: 'bob', FirstName: 'Bob', LastName: 'B', ProxyAddress: ['smtp:bob@contoso.com', 'smtp:b@contoso.com'] }))?.error).toBeUndefined();
      expect((await one(changeUser('update', { ContosoLogin: 'ann' }, [attributeChange.replace('FirstName', 'Anne')])))?.error).toBeUndefined();
      expect(await logins()).toEqual(['ann', 'bob']);
      expect(await proxies()).toEqual(['bob:smtp:b@contoso.com', 'bob:smtp:bob@contoso.com']);
      expect(await db.query(`SELECT ${db.id('FirstName')} AS f FROM ${t('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, ['ann'])).toEqual([{ f: 'Anne' }]);
      expect((await one(changeUser('delete', { ContosoLogin: 'bob' })))?.error).toBeUndefined();
      expect(await logins()).toEqual(['ann']);
      expect(await proxies()).toEqual([]);
    } finally {
      await instance.close();
    }
  });

  it.skipIf(dialect === 'sqlite')('stores nothing of a one-entry add whose child row the database refuses (SQLite does not enforce varchar lengths)', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      // ProxyAddress is varchar(200): the parent INSERT succeeds, the second child INSERT fails.
      const [result] = await exportBatch(instance, [addUser({ ContosoLogin: 'half', FirstName: 'H', LastName: 'H', ProxyAddress: ['smtp:ok@contoso.com', `smtp:${'x'.repeat(300)}`] })]);
      expect(result?.error?.code).toBe('syntax-violation');
      expect(await logins()).toEqual([]);
      expect(await proxies()).toEqual([]);
    } finally {
      await instance.close();
    }
  });
});
