import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AttributeValues } from '@ecmahost/sdk';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
// #if !export
import { toValueArray } from '@ecmahost/sdk';
import { formatCell, parseHeader } from '../src/columns.js';
import { writeCsvFile } from '../src/csv-file.js';
// #endif
import connector from '../src/index.js';

// One column of every type the connector supports, and a multi-valued one.
const HEADER = [
  'UserName',
  'DisplayName',
  'FirstName',
  'LastName',
  'Email[]',
  'EmployeeId:integer',
  'Active:boolean',
  'HireDate:datetime',
  // #if password
  'PasswordHash',
  // #endif
].join(',');

function user(n: number): AttributeValues {
  return {
    UserName: `user${String(n)}`,
    DisplayName: `User Number ${String(n)}`,
    FirstName: 'User',
    LastName: `Number ${String(n)}`,
    Email: [`user${String(n)}@contoso.com`, `u${String(n)}@contoso.org`],
    EmployeeId: 1000 + n,
    Active: n % 2 === 0,
    HireDate: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
  };
}

describeConnectorConformance({
  name: '{{displayName}}',
  connector,
  // Each check gets its own folder with a CSV file holding only the header row.
  target: async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ecma-connector-csv-'));
    const filePath = path.join(dir, 'users.csv');
    await writeFile(filePath, `${HEADER}\n`);
    return { values: { FilePath: filePath }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  objectType: 'person',
  sample: (n) => ({ attributes: user(n) }),
  singleValued: 'DisplayName',
  multiValued: 'Email',
  // EmployeeId is an integer column: text cannot be stored in it.
  invalid: () => ({ attributes: { ...user(99), EmployeeId: 'not a number' } }),
  // #if !export
  // Without export the kit cannot add users itself, so it writes them into the file directly.
  seed: async (values, objects) => {
    const columns = parseHeader(HEADER.split(','));
    const rows = objects.map((object) => columns.map((column) => formatCell(column, toValueArray(object.attributes[column.name]), ';')));
    await writeCsvFile(String(values.FilePath), HEADER.split(','), rows, ',', false);
  },
  // #endif
});
