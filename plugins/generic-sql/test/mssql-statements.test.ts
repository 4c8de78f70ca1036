// Golden statements of the SQL Server dialect: every method of the connector run through the real
// dialect, the real tedious Request and TYPES, with only tedious's network Connection replaced by a
// recorder (there is no SQL Server on this machine class; the gated live suite is
// conformance-mssql.test.ts). Each test asserts the T-SQL text and every bound parameter with its
// TDS type, and what the connector made of the recorded replies.
import { attributeChange, secret, silentLogger } from '@ecmahost/sdk';
import type { ImportEntry, ParameterValues } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { createMssqlDialect } from '../src/dialects/mssql.js';
import { openExportSession } from '../src/export-session.js';
import { openImportSession } from '../src/import-session.js';
import { openPasswordSession } from '../src/password-session.js';
import { discoverModels, schemaOf } from '../src/schema-discovery.js';
import { type RecordedReply, recordedTedious, type SentRequest } from './support/recorded-tedious.js';
import { addUser, changeUser } from './support/run.js';

/** INFORMATION_SCHEMA.COLUMNS of the tutorial's Employees table (mssql-contoso.sql), as SQL Server returns them. */
const EMPLOYEES_COLUMNS = {
  columns: ['name', 'type', 'nullable', 'def', 'isIdentity', 'isComputed'],
  rows: [
    ['ContosoLogin', 'nvarchar', 'NO', null, 0, 0],
    ['FirstName', 'nvarchar', 'NO', null, 0, 0],
    ['LastName', 'nvarchar', 'NO', null, 0, 0],
    ['Email', 'nvarchar', 'YES', null, 0, 0],
    ['InternalGUID', 'uniqueidentifier', 'YES', '(newid())', 0, 0],
    ['AzureID', 'nvarchar', 'YES', null, 0, 0],
    ['textID', 'nvarchar', 'YES', null, 0, 0],
    ['IsActive', 'bit', 'YES', '((1))', 0, 0],
    ['EmployeeNumber', 'int', 'YES', null, 0, 0],
    ['Photo', 'varbinary', 'YES', null, 0, 0],
    ['HireDate', 'datetime2', 'YES', null, 0, 0],
    ['PasswordHash', 'nvarchar', 'YES', null, 0, 0],
    ['LastModified', 'datetime2', 'NO', '(sysutcdatetime())', 0, 0],
    ['RowVersion', 'timestamp', 'NO', null, 0, 0],
  ],
} satisfies RecordedReply;

const PROXY_COLUMNS = {
  columns: EMPLOYEES_COLUMNS.columns,
  rows: [
    ['ContosoLogin', 'nvarchar', 'NO', null, 0, 0],
    ['ProxyAddress', 'nvarchar', 'YES', null, 0, 0],
  ],
} satisfies RecordedReply;

const BASE: ParameterValues = {
  dialect: 'mssql',
  host: 'sql.contoso.local',
  database: 'CONTOSO',
  user: 'ecmahost',
  password: secret('pw'),
  table: 'dbo.Employees',
  anchorColumns: 'ContosoLogin',
  multiValuedTable: 'dbo.EmployeeProxy',
  multiValuedJoin: 'Employees.ContosoLogin = EmployeeProxy.ContosoLogin',
  attributeDirections: 'InternalGUID: importOnly\nLastModified: importOnly\nRowVersion: importOnly\nPasswordHash: exportOnly',
};

/** Replies by statement: discovery gets the recorded columns, anything else `reply` or an empty result. */
function server(reply: (sent: SentRequest) => RecordedReply | undefined = () => undefined) {
  return recordedTedious((sent) => {
    if (sent.text.includes('INFORMATION_SCHEMA.COLUMNS')) return sent.params[1]?.value === 'EmployeeProxy' ? PROXY_COLUMNS : EMPLOYEES_COLUMNS;
    return reply(sent) ?? {};
  });
}

async function open(values: ParameterValues, reply?: (sent: SentRequest) => RecordedReply | undefined) {
  const recorded = server(reply);
  const config = readConfig({ ...BASE, ...values });
  const dialect = await createMssqlDialect(config.connection, recorded.module);
  const models = await discoverModels(dialect, config);
  // What follows discovery is what a test asserts.
  recorded.sent.splice(0);
  return { ...recorded, config, dialect, models };
}

/** The statements sent, without the discovery ones. */
const statements = (sent: readonly SentRequest[]) => sent.map(({ text, params }) => ({ text, params: params.map((p) => `${p.name} ${p.type} ${JSON.stringify(p.value)}`) }));

async function readAll(session: Awaited<ReturnType<typeof openImportSession>>): Promise<{ entries: ImportEntry[]; watermark?: string }> {
  const entries: ImportEntry[] = [];
  for (;;) {
    const page = await session.getEntries();
    entries.push(...page.entries);
    if (!page.more) return page.watermark === undefined ? { entries } : { entries, watermark: page.watermark };
  }
}

describe('SQL Server dialect: golden T-SQL and bound TDS parameters', () => {
  it('discovers the schema from INFORMATION_SCHEMA.COLUMNS with SQL Server types mapped', async () => {
    const recorded = server();
    const config = readConfig(BASE);
    const dialect = await createMssqlDialect(config.connection, recorded.module);
    const [type] = schemaOf(await discoverModels(dialect, config)).objectTypes;
    expect(statements(recorded.sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [
            "p0 NVarChar "dbo"",
            "p1 NVarChar "Employees"",
          ],
          "text": "SELECT c.COLUMN_NAME AS name, c.DATA_TYPE AS type, c.IS_NULLABLE AS nullable, c.COLUMN_DEFAULT AS def,
          COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + N'.' + QUOTENAME(c.TABLE_NAME)), c.COLUMN_NAME, 'IsIdentity') AS isIdentity,
          COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + N'.' + QUOTENAME(c.TABLE_NAME)), c.COLUMN_NAME, 'IsComputed') AS isComputed
          FROM INFORMATION_SCHEMA.COLUMNS c
          WHERE c.TABLE_SCHEMA = @p0 AND c.TABLE_NAME = @p1
          ORDER BY c.ORDINAL_POSITION",
        },
        {
          "params": [
            "p0 NVarChar "dbo"",
            "p1 NVarChar "EmployeeProxy"",
          ],
          "text": "SELECT c.COLUMN_NAME AS name, c.DATA_TYPE AS type, c.IS_NULLABLE AS nullable, c.COLUMN_DEFAULT AS def,
          COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + N'.' + QUOTENAME(c.TABLE_NAME)), c.COLUMN_NAME, 'IsIdentity') AS isIdentity,
          COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + N'.' + QUOTENAME(c.TABLE_NAME)), c.COLUMN_NAME, 'IsComputed') AS isComputed
          FROM INFORMATION_SCHEMA.COLUMNS c
          WHERE c.TABLE_SCHEMA = @p0 AND c.TABLE_NAME = @p1
          ORDER BY c.ORDINAL_POSITION",
        },
      ]
    `);
    const attribute = (name: string) => type?.attributes.find((a) => a.name === name);
    expect(attribute('FirstName')).toEqual({ name: 'FirstName', type: 'string', multiValued: false, operation: 'importExport', required: true });
    expect(attribute('InternalGUID')).toMatchObject({ type: 'string', operation: 'importOnly' });
    expect(attribute('IsActive')).toMatchObject({ type: 'boolean' });
    expect(attribute('EmployeeNumber')).toMatchObject({ type: 'integer' });
    expect(attribute('Photo')).toMatchObject({ type: 'binary' });
    expect(attribute('HireDate')).toMatchObject({ type: 'datetime' });
    expect(attribute('LastModified')).toMatchObject({ type: 'datetime', operation: 'importOnly' });
    // INFORMATION_SCHEMA says `timestamp` for rowversion: bytes, not a time, and filled by the server.
    expect(attribute('RowVersion')).toMatchObject({ type: 'binary' });
    expect(attribute('RowVersion')?.required).toBeUndefined();
    expect(attribute('ProxyAddress')).toMatchObject({ type: 'string', multiValued: true });
  });

  it('full import of a table: keyset pages with OFFSET/FETCH, child rows, and the datetime watermark', async () => {
    const photo = Buffer.from([1, 2, 3]);
    const { sent, dialect, config, models } = await open({ deltaStrategy: 'watermark', watermarkColumn: 'LastModified' }, (s) => {
      if (s.text.startsWith('SELECT CONVERT')) return { columns: ['watermark'], rows: [['2026-12-06T07:31:28.123']] };
      if (s.text.includes('FROM [dbo].[EmployeeProxy]')) return { columns: ['ContosoLogin', 'ProxyAddress'], rows: [['adele', 'smtp:adele@contoso.com'], ['adele', 'smtp:av@contoso.com']] };
      if (s.params.length === 0 || !s.text.includes('>'))
        return {
          columns: readColumns,
          rows: [['adele', 'Adele', 'Vance', 'adele@contoso.com', '6F9619FF-8B86-D011-B42D-00C04FC964FF', 'az-1', 'AV', true, 7, photo, new Date('2026-01-02T03:04:05.678Z'), new Date('2026-12-06T07:00:00Z'), Buffer.from('00000000000007d1', 'hex')], ['bianca', 'Bianca', 'Ng', null, null, null, null, false, null, null, null, new Date('2026-12-06T07:00:00Z'), Buffer.from('00000000000007d2', 'hex')]],
        };
      return {};
    });
    const readColumns = models[0]?.single.map((c) => c.name) ?? [];
    const session = await openImportSession(dialect, config, models, { type: 'full', schema: schemaOf(models), pageSize: 2 }, new AbortController().signal);
    const { entries, watermark } = await readAll(session);
    expect(statements(sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [],
          "text": "SELECT CONVERT(nvarchar(23), SYSUTCDATETIME(), 126) AS watermark",
        },
        {
          "params": [],
          "text": "
            SELECT [ContosoLogin], [FirstName], [LastName], [Email], [InternalGUID], [AzureID], [textID], [IsActive], [EmployeeNumber], [Photo], [HireDate], [PasswordHash], [LastModified], [RowVersion] FROM [dbo].[Employees]
            
            ORDER BY [ContosoLogin]
            OFFSET 0 ROWS FETCH NEXT 2 ROWS ONLY",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "bianca"",
          ],
          "text": "
          SELECT [ContosoLogin], [ProxyAddress]
          FROM [dbo].[EmployeeProxy]
          WHERE [ContosoLogin] IN (@p0, @p1)",
        },
        {
          "params": [
            "p0 NVarChar "bianca"",
          ],
          "text": "
            SELECT [ContosoLogin], [FirstName], [LastName], [Email], [InternalGUID], [AzureID], [textID], [IsActive], [EmployeeNumber], [Photo], [HireDate], [PasswordHash], [LastModified], [RowVersion] FROM [dbo].[Employees]
             WHERE [ContosoLogin] > @p0
            ORDER BY [ContosoLogin]
            OFFSET 0 ROWS FETCH NEXT 2 ROWS ONLY",
        },
      ]
    `);
    expect(entries[0]).toMatchObject({
      objectType: 'User',
      modification: 'add',
      anchor: { ContosoLogin: 'adele' },
      attributes: expect.objectContaining({
        InternalGUID: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        IsActive: true,
        EmployeeNumber: 7,
        Photo: photo,
        HireDate: '2026-01-02T03:04:05.678Z',
        ProxyAddress: ['smtp:adele@contoso.com', 'smtp:av@contoso.com'],
      }),
    });
    expect(JSON.parse(watermark ?? '')).toEqual({ strategy: 'watermark', value: '2026-12-06T07:31:28.123' });
  });

  it("reads the child rows of a 2,500-row page in two statements: SQL Server takes 2,100 parameters per request", async () => {
    const logins = Array.from({ length: 2500 }, (_, i) => `user${String(i).padStart(4, '0')}`);
    const { sent, dialect, config, models } = await open({}, (s) =>
      s.text.includes('FROM [dbo].[Employees]') && !s.text.includes('>') ? { columns: ['ContosoLogin', 'FirstName', 'LastName'], rows: logins.map((l) => [l, 'F', 'L']) } : undefined,
    );
    await readAll(await openImportSession(dialect, config, models, { type: 'full', schema: schemaOf(models), pageSize: 2500 }, new AbortController().signal));
    const children = sent.filter((s) => s.text.includes('FROM [dbo].[EmployeeProxy]'));
    expect(children.map((s) => s.params.length)).toEqual([2084, 416]);
    expect(children.flatMap((s) => s.params.map((p) => p.value))).toEqual(logins);
  });

  it('delta import by a rowversion watermark binds the last MIN_ACTIVE_ROWVERSION back as varbinary', async () => {
    const next = Buffer.from('00000000000007d3', 'hex');
    const { sent, dialect, config, models } = await open(
      { deltaStrategy: 'watermark', watermarkColumn: 'RowVersion', watermarkQuery: 'SELECT MIN_ACTIVE_ROWVERSION() AS watermark', multiValuedTable: '', multiValuedJoin: '' },
      (s) => (s.text.startsWith('SELECT MIN_ACTIVE_ROWVERSION') ? { columns: ['watermark'], rows: [[next]] } : undefined),
    );
    const previous = JSON.stringify({ strategy: 'watermark', value: '0x00000000000007d1', binary: true });
    const session = await openImportSession(dialect, config, models, { type: 'delta', schema: schemaOf(models), pageSize: 100, watermark: previous }, new AbortController().signal);
    const { watermark } = await readAll(session);
    expect(statements(sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [],
          "text": "SELECT MIN_ACTIVE_ROWVERSION() AS watermark",
        },
        {
          "params": [
            "p0 VarBinary {"type":"Buffer","data":[0,0,0,0,0,0,7,209]}",
          ],
          "text": "
            SELECT [ContosoLogin], [FirstName], [LastName], [Email], [InternalGUID], [AzureID], [textID], [IsActive], [EmployeeNumber], [Photo], [HireDate], [PasswordHash], [LastModified], [RowVersion] FROM [dbo].[Employees]
             WHERE [RowVersion] >= @p0
            ORDER BY [ContosoLogin]
            OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY",
        },
      ]
    `);
    expect(JSON.parse(watermark ?? '')).toEqual({ strategy: 'watermark', value: '0x00000000000007d3', binary: true });
  });

  it('delta import from a change table: changes after the last sequence, then the current rows', async () => {
    const { sent, dialect, config, models } = await open(
      { deltaStrategy: 'changeTable', changeTable: 'dbo.EmployeeChanges', multiValuedTable: '', multiValuedJoin: '' },
      (s) =>
        s.text.includes('[dbo].[EmployeeChanges]')
          ? { columns: ['ChangeId', 'ChangeType', 'ContosoLogin'], rows: [['43', 'Update', 'adele'], ['44', 'Delete', 'bianca']] }
          : s.text.includes('IN (')
            ? { columns: ['ContosoLogin', 'FirstName', 'LastName'], rows: [['adele', 'Adele', 'Vance']] }
            : undefined,
    );
    const session = await openImportSession(dialect, config, models, { type: 'delta', schema: schemaOf(models), pageSize: 100, watermark: JSON.stringify({ strategy: 'changeTable', value: '42' }) }, new AbortController().signal);
    const { entries, watermark } = await readAll(session);
    expect(statements(sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [
            "p0 NVarChar "42"",
          ],
          "text": "
              SELECT [ChangeId], [ChangeType], [ContosoLogin]
              FROM [dbo].[EmployeeChanges]
               WHERE [ChangeId] > @p0
              ORDER BY [ChangeId] OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
          ],
          "text": "
                  SELECT [ContosoLogin], [FirstName], [LastName], [Email], [InternalGUID], [AzureID], [textID], [IsActive], [EmployeeNumber], [Photo], [HireDate], [PasswordHash], [LastModified], [RowVersion] FROM [dbo].[Employees]
                   WHERE [ContosoLogin] IN (@p0)",
        },
      ]
    `);
    expect(entries.map((e) => [e.modification, e.anchor])).toEqual([
      ['replace', { ContosoLogin: 'adele' }],
      ['delete', { ContosoLogin: 'bianca' }],
    ]);
    expect(JSON.parse(watermark ?? '')).toEqual({ strategy: 'changeTable', value: '44' });
  });

  it("full import through an admin's paging query: @StartIndex and @EndIndex bound per page", async () => {
    const { sent, dialect, config, models } = await open({
      multiValuedTable: '',
      multiValuedJoin: '',
      importMethod: 'query',
      importQuery: 'SELECT * FROM dbo.Employees ORDER BY ContosoLogin OFFSET @StartIndex - 1 ROWS FETCH NEXT @EndIndex - @StartIndex + 1 ROWS ONLY',
    });
    await readAll(await openImportSession(dialect, config, models, { type: 'full', schema: schemaOf(models), pageSize: 500 }, new AbortController().signal));
    expect(statements(sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [
            "p0 Int 1",
            "p1 Int 500",
            "p2 Int 1",
          ],
          "text": "SELECT * FROM dbo.Employees ORDER BY ContosoLogin OFFSET @p0 - 1 ROWS FETCH NEXT @p1 - @p2 + 1 ROWS ONLY",
        },
      ]
    `);
  });

  it('full import through a stored procedure, by position and with [Name]:[Direction]:[Value] parameters', async () => {
    const positional = await open({ multiValuedTable: '', multiValuedJoin: '', importMethod: 'procedure', importProcedure: 'dbo.EmployeesPage' });
    await readAll(await openImportSession(positional.dialect, positional.config, positional.models, { type: 'full', schema: schemaOf(positional.models), pageSize: 500 }, new AbortController().signal));
    const named = await open({
      multiValuedTable: '',
      multiValuedJoin: '',
      importMethod: 'procedure',
      importProcedure: 'dbo.EmployeesPage',
      importProcedureParameters: '@Start:IN:@StartIndex\n@End:INPUT:@EndIndex\n@Department:IN:Sales',
    });
    await readAll(await openImportSession(named.dialect, named.config, named.models, { type: 'full', schema: schemaOf(named.models), pageSize: 500 }, new AbortController().signal));
    expect(statements([...positional.sent, ...named.sent])).toMatchInlineSnapshot(`
      [
        {
          "params": [
            "p0 Int 1",
            "p1 Int 500",
          ],
          "text": "EXEC [dbo].[EmployeesPage] @p0, @p1",
        },
        {
          "params": [
            "p0 Int 1",
            "p1 Int 500",
            "p2 NVarChar "Sales"",
          ],
          "text": "EXEC [dbo].[EmployeesPage] @Start = @p0, @End = @p1, @Department = @p2",
        },
      ]
    `);
  });

  it('export to the table: INSERT with OUTPUT INSERTED through a table variable, UPDATE, child rows, DELETE, each entry in a SAVE TRANSACTION', async () => {
    const { sent, dialect, config, models } = await open({}, (s) => (s.text.startsWith('DECLARE @ecmahost_inserted') ? { columns: ['ContosoLogin'], rows: [['adele']], rowCount: 1 } : { rowCount: 1 }));
    const session = openExportSession(dialect, config, models, silentLogger);
    const results = await session.putEntries([
      addUser({ ContosoLogin: 'adele', FirstName: 'Adele', LastName: 'Vance', IsActive: true, EmployeeNumber: 3_000_000_000, Photo: new Uint8Array([9, 8]), HireDate: '2026-01-02T03:04:05.678Z', ProxyAddress: ['smtp:adele@contoso.com'] }),
      changeUser('update', { ContosoLogin: 'bianca' }, [attributeChange.replace('FirstName', ['Bia']), attributeChange.update('ProxyAddress', { add: ['smtp:bia@contoso.com'], delete: ['smtp:b@contoso.com'] })]),
      changeUser('delete', { ContosoLogin: 'carlos' }),
    ]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect(results[0]?.anchor).toEqual({ ContosoLogin: 'adele' });
    expect(statements(sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [],
          "text": "BEGIN TRANSACTION",
        },
        {
          "params": [],
          "text": "SAVE TRANSACTION [ecmahost_entry]",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "Adele"",
            "p2 NVarChar "Vance"",
            "p3 Bit true",
            "p4 BigInt 3000000000",
            "p5 VarBinary {"type":"Buffer","data":[9,8]}",
            "p6 DateTime2 "2026-01-02T03:04:05.678Z"",
          ],
          "text": "DECLARE @ecmahost_inserted TABLE ([ContosoLogin] sql_variant); INSERT INTO [dbo].[Employees] ([ContosoLogin], [FirstName], [LastName], [IsActive], [EmployeeNumber], [Photo], [HireDate]) OUTPUT INSERTED.[ContosoLogin] INTO @ecmahost_inserted VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6); SELECT [ContosoLogin] FROM @ecmahost_inserted",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "smtp:adele@contoso.com"",
          ],
          "text": "DELETE FROM [dbo].[EmployeeProxy] WHERE [ContosoLogin] = @p0 AND [ProxyAddress] = @p1",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "smtp:adele@contoso.com"",
          ],
          "text": "INSERT INTO [dbo].[EmployeeProxy] ([ContosoLogin], [ProxyAddress]) VALUES (@p0, @p1)",
        },
        {
          "params": [],
          "text": "SAVE TRANSACTION [ecmahost_entry]",
        },
        {
          "params": [
            "p0 NVarChar "Bia"",
            "p1 NVarChar "bianca"",
          ],
          "text": "UPDATE [dbo].[Employees] SET [FirstName] = @p0 WHERE [ContosoLogin] = @p1",
        },
        {
          "params": [
            "p0 NVarChar "bianca"",
            "p1 NVarChar "smtp:b@contoso.com"",
          ],
          "text": "DELETE FROM [dbo].[EmployeeProxy] WHERE [ContosoLogin] = @p0 AND [ProxyAddress] = @p1",
        },
        {
          "params": [
            "p0 NVarChar "bianca"",
            "p1 NVarChar "smtp:bia@contoso.com"",
          ],
          "text": "DELETE FROM [dbo].[EmployeeProxy] WHERE [ContosoLogin] = @p0 AND [ProxyAddress] = @p1",
        },
        {
          "params": [
            "p0 NVarChar "bianca"",
            "p1 NVarChar "smtp:bia@contoso.com"",
          ],
          "text": "INSERT INTO [dbo].[EmployeeProxy] ([ContosoLogin], [ProxyAddress]) VALUES (@p0, @p1)",
        },
        {
          "params": [],
          "text": "SAVE TRANSACTION [ecmahost_entry]",
        },
        {
          "params": [
            "p0 NVarChar "carlos"",
          ],
          "text": "DELETE FROM [dbo].[EmployeeProxy] WHERE [ContosoLogin] = @p0",
        },
        {
          "params": [
            "p0 NVarChar "carlos"",
          ],
          "text": "DELETE FROM [dbo].[Employees] WHERE [ContosoLogin] = @p0",
        },
        {
          "params": [],
          "text": "COMMIT TRANSACTION",
        },
      ]
    `);
  });

  it('clears a binary column with a varbinary NULL (SQL Server will not convert an nvarchar NULL to varbinary) and any other with an nvarchar NULL', async () => {
    const { sent, dialect, config, models } = await open({ multiValuedTable: '', multiValuedJoin: '' }, () => ({ rowCount: 1 }));
    const [result] = await openExportSession(dialect, config, models, silentLogger).putEntries([
      changeUser('update', { ContosoLogin: 'adele' }, [attributeChange.delete('Photo'), attributeChange.delete('Email')]),
    ]);
    expect(result?.error).toBeUndefined();
    expect(statements(sent)).toEqual([
      { text: 'UPDATE [dbo].[Employees] SET [Photo] = @p0, [Email] = @p1 WHERE [ContosoLogin] = @p2', params: ['p0 VarBinary null', 'p1 NVarChar null', 'p2 NVarChar "adele"'] },
    ]);
  });

  it('an identity anchor comes back from OUTPUT INSERTED (bigint arrives as text and is read as a number)', async () => {
    const ticketColumns: RecordedReply = { columns: EMPLOYEES_COLUMNS.columns, rows: [['Id', 'bigint', 'NO', null, 1, 0], ['Title', 'nvarchar', 'NO', null, 0, 0]] };
    const recorded = recordedTedious((s) => (s.text.includes('INFORMATION_SCHEMA') ? ticketColumns : s.text.startsWith('DECLARE') ? { columns: ['Id'], rows: [['9007199254740']] } : {}));
    const config = readConfig({ dialect: 'mssql', host: 'db', table: 'Tickets', anchorColumns: 'Id', objectTypes: 'Ticket' });
    const dialect = await createMssqlDialect(config.connection, recorded.module);
    const models = await discoverModels(dialect, config);
    expect(schemaOf(models).objectTypes[0]?.anchorGeneratedOnAdd).toBe(true);
    const [result] = await openExportSession(dialect, config, models, silentLogger).putEntries([{ identifier: 't1', objectType: 'Ticket', modification: 'add', anchor: {}, attributeChanges: [attributeChange.add('Title', ['Printer'])] }]);
    expect(result).toEqual({ identifier: 't1', anchor: { Id: 9007199254740 } });
    expect(statements(recorded.sent.slice(-1))).toMatchInlineSnapshot(`
      [
        {
          "params": [
            "p0 NVarChar "Printer"",
          ],
          "text": "DECLARE @ecmahost_inserted TABLE ([Id] sql_variant); INSERT INTO [Tickets] ([Title]) OUTPUT INSERTED.[Id] INTO @ecmahost_inserted VALUES (@p0); SELECT [Id] FROM @ecmahost_inserted",
        },
      ]
    `);
  });

  it('export through stored procedures: EXEC by position, and by name with [Name]:[Direction]:[Value]', async () => {
    const positional = await open({ exportMethod: 'procedure', addProcedure: 'dbo.AddEmployee', deleteProcedure: 'dbo.DeleteEmployee', procedureParameters: 'ContosoLogin, FirstName, LastName', multiValuedTable: '', multiValuedJoin: '' }, () => ({ rowCount: 1 }));
    await openExportSession(positional.dialect, positional.config, positional.models, silentLogger).putEntries([addUser({ ContosoLogin: 'adele', FirstName: 'Adele', LastName: 'Vance' })]);
    await openExportSession(positional.dialect, positional.config, positional.models, silentLogger).putEntries([changeUser('delete', { ContosoLogin: 'adele' })]);
    const named = await open(
      { exportMethod: 'procedure', updateProcedure: 'dbo.UpdateEmployee', procedureParameters: '@Login:INPUT:ContosoLogin, @GivenName:IN:FirstName', multiValuedTable: '', multiValuedJoin: '' },
      (s) => (s.text.startsWith('SELECT') ? { columns: ['ContosoLogin', 'FirstName', 'LastName'], rows: [['adele', 'Adele', 'Vance']] } : { rowCount: 1 }),
    );
    const [updated] = await openExportSession(named.dialect, named.config, named.models, silentLogger).putEntries([changeUser('update', { ContosoLogin: 'adele' }, [attributeChange.replace('FirstName', ['Adèle'])])]);
    expect(updated?.error).toBeUndefined();
    expect(statements([...positional.sent, ...named.sent])).toMatchInlineSnapshot(`
      [
        {
          "params": [],
          "text": "BEGIN TRANSACTION",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "Adele"",
            "p2 NVarChar "Vance"",
          ],
          "text": "EXEC [dbo].[AddEmployee] @p0, @p1, @p2",
        },
        {
          "params": [],
          "text": "COMMIT TRANSACTION",
        },
        {
          "params": [],
          "text": "BEGIN TRANSACTION",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
          ],
          "text": "EXEC [dbo].[DeleteEmployee] @p0",
        },
        {
          "params": [],
          "text": "COMMIT TRANSACTION",
        },
        {
          "params": [],
          "text": "BEGIN TRANSACTION",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
          ],
          "text": "SELECT [ContosoLogin], [FirstName], [LastName], [Email], [InternalGUID], [AzureID], [textID], [IsActive], [EmployeeNumber], [Photo], [HireDate], [PasswordHash], [LastModified], [RowVersion] FROM [dbo].[Employees] WHERE [ContosoLogin] = @p0",
        },
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "Adèle"",
          ],
          "text": "EXEC [dbo].[UpdateEmployee] @Login = @p0, @GivenName = @p1",
        },
        {
          "params": [],
          "text": "COMMIT TRANSACTION",
        },
      ]
    `);
  });

  it("export through an admin's statements: @Attribute placeholders bound, a statement changing no row is missing-object", async () => {
    const { sent, dialect, config, models } = await open(
      {
        exportMethod: 'statement',
        addStatement: 'INSERT INTO dbo.Employees (ContosoLogin, FirstName, LastName) VALUES (@ContosoLogin, @FirstName, @LastName)',
        deleteStatement: "DELETE FROM dbo.Employees WHERE ContosoLogin = @ContosoLogin AND textID <> '@textID'",
        multiValuedTable: '',
        multiValuedJoin: '',
      },
      (s) => ({ rowCount: s.text.startsWith('DELETE') ? 0 : 1 }),
    );
    const results = await openExportSession(dialect, config, models, silentLogger).putEntries([
      addUser({ ContosoLogin: "o'brien", FirstName: 'Pat', LastName: "O'Brien" }),
      changeUser('delete', { ContosoLogin: 'nobody' }),
    ]);
    expect(results.map((r) => r.error?.code)).toEqual([undefined, 'missing-object']);
    expect(statements(sent)).toMatchInlineSnapshot(`
      [
        {
          "params": [],
          "text": "BEGIN TRANSACTION",
        },
        {
          "params": [],
          "text": "SAVE TRANSACTION [ecmahost_entry]",
        },
        {
          "params": [
            "p0 NVarChar "o'brien"",
            "p1 NVarChar "Pat"",
            "p2 NVarChar "O'Brien"",
          ],
          "text": "INSERT INTO dbo.Employees (ContosoLogin, FirstName, LastName) VALUES (@p0, @p1, @p2)",
        },
        {
          "params": [],
          "text": "SAVE TRANSACTION [ecmahost_entry]",
        },
        {
          "params": [
            "p0 NVarChar "nobody"",
          ],
          "text": "DELETE FROM dbo.Employees WHERE ContosoLogin = @p0 AND textID <> '@textID'",
        },
        {
          "params": [],
          "text": "ROLLBACK TRANSACTION [ecmahost_entry]",
        },
        {
          "params": [],
          "text": "COMMIT TRANSACTION",
        },
      ]
    `);
  });

  it('passwords: the set-password procedure with the anchor then the password, or an UPDATE of the hashed column', async () => {
    const procedure = await open({ passwordMethod: 'procedure', setPasswordProcedure: 'dbo.SetPassword', multiValuedTable: '', multiValuedJoin: '' }, () => ({ rowCount: 1 }));
    expect(await openPasswordSession(procedure.dialect, procedure.config, procedure.models).setPassword({ objectType: 'User', anchor: { ContosoLogin: 'adele' } }, secret('P@ssw0rd!'), {})).toBeUndefined();
    const column = await open({ passwordMethod: 'column', passwordColumn: 'PasswordHash', passwordHash: 'sha256', multiValuedTable: '', multiValuedJoin: '' }, () => ({ rowCount: 0 }));
    expect(await openPasswordSession(column.dialect, column.config, column.models).setPassword({ objectType: 'User', anchor: { ContosoLogin: 'gone' } }, secret('P@ssw0rd!'), {})).toMatchObject({ code: 'missing-object' });
    expect(statements([...procedure.sent, ...column.sent])).toMatchInlineSnapshot(`
      [
        {
          "params": [
            "p0 NVarChar "adele"",
            "p1 NVarChar "P@ssw0rd!"",
          ],
          "text": "EXEC [dbo].[SetPassword] @p0, @p1",
        },
        {
          "params": [
            "p0 NVarChar "0e44ce7308af2b3de5232e4616403ce7d49ba2aec83f79c196409556422a4927"",
            "p1 NVarChar "gone"",
          ],
          "text": "UPDATE [dbo].[Employees] SET [PasswordHash] = @p0 WHERE [ContosoLogin] = @p1",
        },
      ]
    `);
  });
});
