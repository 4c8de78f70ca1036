// SQL Server, live: runs only when ECMAHOST_MSSQL_URL names a server (a throwaway database; each
// test makes and drops its own schema). There is none on this machine class and ECMAHOST_REQUIRE_LIVE
// does not ask for one; the dialect is proven offline by mssql-statements.test.ts and
// src/dialects/mssql.test.ts. Example:
//   ECMAHOST_MSSQL_URL='mssql://sa:<password>@127.0.0.1:1433/master?trustServerCertificate=true' npx vitest run test/conformance-mssql.test.ts
import { attributeChange, secret } from '@ecmahost/sdk';
import { expect, it } from 'vitest';
import { employeesConformance, generatedAnchorConformance } from './support/conformance.js';
import { employeesValues, useEmployeesDatabase } from './support/employees.js';
import { describeLive } from './support/live.js';
import { addUser, changeUser, exportBatch, importAll, openInstance } from './support/run.js';
import { probeMssql, type TestDatabase } from './support/targets.js';

const server = await probeMssql();

describeLive(server, 'generic-sql conformance on SQL Server', () => {
  employeesConformance('mssql', 'generic-sql on SQL Server');
  generatedAnchorConformance('mssql', 'generic-sql on SQL Server, generated anchor');
});

describeLive(server, "Microsoft's Employees tutorial on SQL Server", () => {
  let db!: TestDatabase;
  useEmployeesDatabase('mssql', (fresh) => {
    db = fresh;
  });

  it('adds, updates, imports, deletes and follows the change table, each visible in the Employees table', async () => {
    const instance = await openInstance(employeesValues(db));
    try {
      const [added] = await exportBatch(instance, [addUser({ ContosoLogin: 'adele', FirstName: 'Adele', LastName: 'Vance', IsActive: true, ProxyAddress: ['smtp:adele@contoso.com'] })]);
      expect(added).toMatchObject({ anchor: { ContosoLogin: 'adele' } });
      expect(added?.error).toBeUndefined();
      expect(await db.query(`SELECT FirstName, IsActive FROM ${db.prefix}Employees WHERE ContosoLogin = ?`, ['adele'])).toEqual([{ FirstName: 'Adele', IsActive: true }]);
      const full = await importAll(instance);
      expect(full.entries.map((e) => e.anchor)).toEqual([{ ContosoLogin: 'adele' }]);
      const [updated] = await exportBatch(instance, [changeUser('update', { ContosoLogin: 'adele' }, [attributeChange.replace('FirstName', ['Adèle'])])]);
      expect(updated?.error).toBeUndefined();
      expect(await instance.openPassword!({}).then((s) => s.setPassword({ objectType: 'User', anchor: { ContosoLogin: 'adele' } }, secret('P@ssw0rd!'), {}))).toBeUndefined();
      const [duplicate] = await exportBatch(instance, [addUser({ ContosoLogin: 'adele', FirstName: 'A', LastName: 'V' })]);
      expect(duplicate?.error).toMatchObject({ code: 'existing-object' });
      await db.exec(`DELETE FROM ${db.prefix}EmployeeProxy; DELETE FROM ${db.prefix}Employees WHERE ContosoLogin = 'adele'`);
      const delta = await importAll(instance, 'delta', full.watermark);
      expect(delta.entries.map((e) => [e.modification, e.anchor])).toEqual([['delete', { ContosoLogin: 'adele' }]]);
    } finally {
      await instance.close();
    }
  });
});
