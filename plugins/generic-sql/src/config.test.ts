import { isConnectorError, secret } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

const base = { dialect: 'sqlite', connectionUrl: '/tmp/x.db', table: 'Employees', anchorColumns: 'ContosoLogin' };

function issue(values: Record<string, unknown>): { parameter: string | undefined; message: string } {
  try {
    readConfig(values as never);
  } catch (error) {
    if (isConnectorError(error)) return { parameter: error.parameter, message: error.message };
    throw error;
  }
  throw new Error('expected invalid-configuration');
}

describe('readConfig', () => {
  it('reads object types kept in tables of their own, and names objectTypeTables for a bad line', () => {
    const config = readConfig({ ...base, objectTypeTables: 'Group: table=Groups; anchor=GroupId; multiValuedTable=GroupMembers; join=Groups.GroupId = GroupMembers.GroupId\n\nRole: table=app.Roles; anchor=App, RoleId' });
    expect(config.objectTypeTables).toEqual([
      { objectType: 'Group', table: { name: 'Groups' }, anchors: ['GroupId'], multiValued: { table: { name: 'GroupMembers' }, join: [{ parent: 'GroupId', child: 'GroupId' }] } },
      { objectType: 'Role', table: { schema: 'app', name: 'Roles' }, anchors: ['App', 'RoleId'] },
    ]);
    expect(readConfig(base).objectTypeTables).toEqual([]);
    for (const line of ['Groups', 'Group: table=Groups', 'Group: table=Groups; anchor=GroupId; owner=x', 'User: table=Groups; anchor=GroupId', 'Group: table=Groups; anchor=GroupId; multiValuedTable=GroupMembers; join=Groups.Owner = GroupMembers.GroupId']) {
      expect(issue({ ...base, objectTypeTables: line }).parameter).toBe('objectTypeTables');
    }
  });

  it('reads the tutorial configuration with defaults', () => {
    const config = readConfig(base);
    expect(config).toMatchObject({
      dialect: 'sqlite',
      objectTypes: { mode: 'fixed', names: ['User'] },
      attributes: { mode: 'table' },
      table: { name: 'Employees' },
      anchors: ['ContosoLogin'],
      dn: { mode: 'none' },
      delta: { strategy: 'none' },
      import: { method: 'table' },
      export: { method: 'table' },
      connection: { poolSize: 5, statementTimeoutMs: 30_000, tls: 'disabled' },
    });
  });

  it('treats mariadb as mysql and reveals the password only into the connection options', () => {
    const config = readConfig({ dialect: 'mariadb', host: 'db', port: '3307', user: 'u', password: secret('p@ss'), table: 'hr.Employees', anchorColumns: 'a, b' });
    expect(config.dialect).toBe('mysql');
    expect(config.connection).toMatchObject({ host: 'db', port: 3307, user: 'u', password: 'p@ss' });
    expect(config.table).toEqual({ schema: 'hr', name: 'Employees' });
    expect(config.anchors).toEqual(['a', 'b']);
  });

  it('reads type and direction overrides line by line', () => {
    const config = readConfig({ ...base, attributeTypes: 'HireDate: datetime\r\nManager : reference', attributeDirections: 'Password: exportOnly' });
    expect([...config.types]).toEqual([
      ['HireDate', 'datetime'],
      ['Manager', 'reference'],
    ]);
    expect([...config.directions]).toEqual([['Password', 'exportOnly']]);
  });

  it('names the parameter at fault', () => {
    expect(issue({ ...base, anchorColumns: '' })).toMatchObject({ parameter: 'anchorColumns' });
    expect(issue({ ...base, dialect: 'oracle' })).toMatchObject({ parameter: 'dialect', message: expect.stringContaining('oracle') });
    expect(issue({ dialect: 'postgresql', table: 'Employees', anchorColumns: 'a' })).toMatchObject({ parameter: 'connectionUrl' });
    expect(issue({ ...base, attributeTypes: 'HireDate: date' })).toMatchObject({ parameter: 'attributeTypes' });
    expect(issue({ ...base, objectTypes: 'User,Group' })).toMatchObject({ parameter: 'objectTypes' });
    expect(issue({ ...base, deltaStrategy: 'watermark' })).toMatchObject({ parameter: 'watermarkColumn' });
    expect(issue({ ...base, exportMethod: 'procedure' })).toMatchObject({ parameter: 'exportMethod', message: expect.stringContaining('SQLite') });
    expect(issue({ ...base, multiValuedTable: 'Mail', multiValuedJoin: 'Employees.Email = Mail.Address' })).toMatchObject({
      parameter: 'multiValuedJoin',
      message: expect.stringContaining('anchor'),
    });
    expect(issue({ ...base, poolSize: 'lots' })).toMatchObject({ parameter: 'poolSize' });
  });

  it('reads a SQL Server configuration: instance name, and [Name]:[Direction]:[Value] procedure parameters only there', () => {
    const config = readConfig({
      dialect: 'mssql',
      host: 'sql.contoso.local',
      instanceName: 'SQLEXPRESS',
      database: 'CONTOSO',
      table: 'dbo.Employees',
      anchorColumns: 'ContosoLogin',
      importMethod: 'procedure',
      importProcedure: 'dbo.EmployeesPage',
      importProcedureParameters: '@StartIndex:IN:@StartIndex\n@EndIndex:IN:@EndIndex',
      exportMethod: 'procedure',
      procedureParameters: '@ContosoLogin:INPUT:ContosoLogin, @FirstName:INPUT:FirstName',
    });
    expect(config.dialect).toBe('mssql');
    expect(config.connection).toMatchObject({ host: 'sql.contoso.local', instanceName: 'SQLEXPRESS', database: 'CONTOSO' });
    expect(config.import).toEqual({ method: 'procedure', procedure: { schema: 'dbo', name: 'EmployeesPage' }, parameters: [{ name: '@StartIndex', value: '@StartIndex' }, { name: '@EndIndex', value: '@EndIndex' }] });
    expect(config.export).toMatchObject({ parameters: [{ name: '@ContosoLogin', value: 'ContosoLogin' }, { name: '@FirstName', value: 'FirstName' }] });
    expect(issue({ dialect: 'postgresql', host: 'db', table: 'Employees', anchorColumns: 'a', exportMethod: 'procedure', procedureParameters: '@a:IN:a' })).toEqual({
      parameter: 'procedureParameters',
      message: "procedureParameters: [Name]:[Direction]:[Value] parameters are for SQL Server; list the values in the procedure's order instead.",
    });
    expect(issue({ dialect: 'mssql', host: 'db', table: 'Employees', anchorColumns: 'a', importMethod: 'procedure', importProcedure: 'p', importProcedureParameters: '@Id:OUT:Id' })).toMatchObject({
      parameter: 'importProcedureParameters',
      message: expect.stringContaining('only input parameters'),
    });
  });
});
