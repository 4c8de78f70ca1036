import { describe, expect, it } from 'vitest';
import { validatePage } from './validation.js';

const connectivity = (values: Record<string, string>) => validatePage({ page: 'connectivity', pageNumber: 1, values });

describe('validatePage', () => {
  it('checks the Connectivity page on its own', () => {
    expect(connectivity({ dialect: 'sqlite', connectionUrl: './data/hr.db' })).toEqual([]);
    expect(connectivity({ dialect: 'sqlite' })).toEqual([{ parameter: 'connectionUrl', message: expect.stringContaining('SQLite') }]);
    expect(connectivity({ dialect: 'postgresql', host: 'db' })).toEqual([]);
    expect(connectivity({ dialect: 'postgresql' })).toEqual([{ parameter: 'connectionUrl', message: expect.any(String) }]);
    expect(connectivity({ dialect: 'postgresql', connectionUrl: 'mysql://db/hr' })).toEqual([{ parameter: 'connectionUrl', message: expect.stringContaining('postgres://') }]);
    expect(connectivity({ dialect: 'mariadb', connectionUrl: 'mysql://u@db:3306/hr' })).toEqual([]);
    expect(connectivity({ dialect: 'mssql', connectionUrl: 'mssql://ecmahost@sql.contoso.local:1433/CONTOSO' })).toEqual([]);
    expect(connectivity({ dialect: 'mssql', connectionUrl: 'sqlserver://sql.contoso.local/CONTOSO?instanceName=SQLEXPRESS' })).toEqual([]);
    expect(connectivity({ dialect: 'mssql', connectionUrl: 'Server=sql;Database=CONTOSO' })).toEqual([{ parameter: 'connectionUrl', message: 'A SQL Server connection URL looks like mssql://user@host:1433/database.' }]);
    expect(connectivity({ dialect: 'mssql', host: 'sql.contoso.local' })).toEqual([]);
    expect(connectivity({ dialect: 'mariadb', connectionUrl: 'mysql://u@db:port/hr' })).toEqual([{ parameter: 'connectionUrl', message: expect.stringContaining('not a valid URL') }]);
  });

  it('refuses a password inside the connection URL, without repeating it, and points to the encrypted field', () => {
    const refused = [
      { parameter: 'connectionUrl', message: 'The connection URL contains a password, which would be stored and shown in clear. Remove it from the URL and put it in the Password field, which is stored encrypted.' },
    ];
    for (const [dialect, connectionUrl] of [
      ['postgresql', 'postgres://ecmahost:s3cret@db:5432/hr'],
      ['postgresql', 'postgresql://ecmahost:s3cret@db/hr?sslmode=require'],
      ['postgresql', 'postgres://db/hr?user=ecmahost&password=s3cret'],
      ['mariadb', 'mysql://u:p@ss@db:3306/hr'],
      // Too malformed for URL parsing (a bad port), still a password in clear.
      ['mysql', 'mysql://u:s3cret@db:port/hr'],
      ['sqlite', 'sqlite://u:s3cret@/tmp/x.db'],
      ['mssql', 'mssql://sa:s3cret@sql.contoso.local/CONTOSO'],
      ['mssql', 'sqlserver://sql.contoso.local/CONTOSO?Password=s3cret'],
    ] as const) {
      const issues = connectivity({ dialect, connectionUrl });
      expect(issues, connectionUrl).toEqual(refused);
      expect(JSON.stringify(issues)).not.toContain('s3cret');
    }
    // A user name alone, an empty password, an IPv6 host and an @ in the path are no password.
    expect(connectivity({ dialect: 'postgresql', connectionUrl: 'postgres://ecmahost@db:5432/hr' })).toEqual([]);
    expect(connectivity({ dialect: 'postgresql', connectionUrl: 'postgres://ecmahost:@db:5432/hr' })).toEqual([]);
    expect(connectivity({ dialect: 'postgresql', connectionUrl: 'postgres://ecmahost@[::1]:5432/hr' })).toEqual([]);
    expect(connectivity({ dialect: 'sqlite', connectionUrl: './data/a:b@c.db' })).toEqual([]);
  });

  it('checks the whole configuration on the Run step page, naming the parameter', () => {
    const values = { dialect: 'sqlite', connectionUrl: 'x.db', table: 'Employees', anchorColumns: 'ContosoLogin' };
    expect(validatePage({ page: 'runStep', pageNumber: 1, values })).toEqual([]);
    expect(validatePage({ page: 'runStep', pageNumber: 1, values: { ...values, exportMethod: 'statement', deltaStrategy: 'watermark' } })).toEqual([
      { parameter: 'watermarkColumn', message: 'watermarkColumn is required' },
    ]);
    expect(validatePage({ page: 'schema', pageNumber: 2, values: {} })).toEqual([]);
  });
});
