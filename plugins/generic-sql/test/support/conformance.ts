import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import connector from '../../src/index.js';
import { createEmployees, employee, employeesValues } from './employees.js';
import { createTestDatabase, type TestDialect } from './targets.js';

/** The SDK conformance kit on the Employees table of one dialect, a fresh database per check. */
export function employeesConformance(dialect: TestDialect, name: string): void {
  describeConnectorConformance({
    name,
    connector,
    objectType: 'User',
    async target() {
      const db = await createTestDatabase(dialect);
      await createEmployees(db);
      return { values: employeesValues(db), cleanup: () => db.drop() };
    },
    sample: employee,
    singleValued: 'FirstName',
    multiValued: 'ProxyAddress',
    // LastName is NOT NULL: the database refuses the row.
    invalid: () => ({ attributes: { ContosoLogin: 'nolastname', FirstName: 'No', Email: 'no@contoso.com' } }),
  });
}
