import { ConnectionError, RequestError } from 'tedious';
import { describe, expect, it } from 'vitest';
import { recordedTedious } from '../../test/support/recorded-tedious.js';
import { entryErrorOf } from '../error-mapping.js';
import type { ConnectionOptions } from './dialect.js';
import { describeMssqlError, mssqlLimit, quoteMssqlName } from './mssql.js';
import { rowOf, TediousPool, tdsParameter, tediousConfig } from './mssql-driver.js';

const OPTIONS: ConnectionOptions = { tls: 'required', poolSize: 2, statementTimeoutMs: 30_000, sqlite: { journalMode: 'wal', synchronous: 'full' } };

/** A server error as tedious's token handler builds it: a RequestError `EREQUEST` with the server's number. */
function serverError(number: number, message: string): RequestError {
  return Object.assign(new RequestError(message, 'EREQUEST'), { number, state: 1, class: 14 });
}

describe('SQL Server names and limits', () => {
  it('brackets identifiers and doubles a closing bracket, so a name can never end the quoting', () => {
    expect(quoteMssqlName('Employees')).toBe('[Employees]');
    expect(quoteMssqlName('x]; DROP TABLE Employees; --')).toBe('[x]]; DROP TABLE Employees; --]');
  });

  it('keeps the first rows with OFFSET/FETCH and refuses a limit that is not a positive whole number', () => {
    expect(mssqlLimit(500).getSQL().queryChunks).toHaveLength(1);
    expect(() => mssqlLimit(0)).toThrow(RangeError);
    expect(() => mssqlLimit(1.5)).toThrow(RangeError);
  });
});

describe('SQL Server errors (tedious RequestError / ConnectionError shapes)', () => {
  it.each([
    [serverError(2627, "Violation of PRIMARY KEY constraint 'PK_Employees'. Cannot insert duplicate key in object 'dbo.Employees'. The duplicate key value is (adele)."), 'unique', 'existing-object'],
    [serverError(2601, "Cannot insert duplicate key row in object 'dbo.Employees' with unique index 'UX_Email'. The duplicate key value is (a@contoso.com)."), 'unique', 'existing-object'],
    [serverError(515, "Cannot insert the value NULL into column 'LastName', table 'CONTOSO.dbo.Employees'; column does not allow nulls. INSERT fails."), 'not-null', 'syntax-violation'],
    [serverError(547, 'The INSERT statement conflicted with the CHECK constraint "EmployeeNumberPositive".'), 'check', 'syntax-violation'],
    [serverError(547, 'The DELETE statement conflicted with the REFERENCE constraint "FK_Proxy_Employee".'), 'foreign-key', 'syntax-violation'],
    [serverError(2628, "String or binary data would be truncated in table 'CONTOSO.dbo.Employees', column 'Email'. Truncated value: 'a'."), 'value', 'syntax-violation'],
    [serverError(229, "The INSERT permission was denied on the object 'Employees', database 'CONTOSO', schema 'dbo'."), 'permission', 'permission-issue'],
    [serverError(1205, 'Transaction (Process ID 57) was deadlocked on lock resources with another process and has been chosen as the deadlock victim.'), 'busy', 'connected-directory-error'],
    [new ConnectionError("Login failed for user 'ecmahost'.", 'ELOGIN'), 'authentication', 'connected-directory-error'],
    [new ConnectionError('Cannot open database "CONTOSO" requested by the login. The login failed.', 'ELOGIN'), 'unknown-database', 'connected-directory-error'],
    [new RequestError('Timeout: Request failed to complete in 30000ms', 'ETIMEOUT'), 'timeout', 'connected-directory-error'],
    [new ConnectionError('Failed to connect to db:1433 - connect ECONNREFUSED 127.0.0.1:1433', 'ESOCKET', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), 'unreachable', 'connected-directory-error'],
    [new ConnectionError('Connection lost - read ECONNRESET', 'ESOCKET', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }), 'connection-lost', 'connected-directory-error'],
    [new RequestError('Connection closed before request completed.', 'ECLOSE'), 'connection-lost', 'connected-directory-error'],
    // What tedious 19 reports for a port nothing listens on (recorded here against 127.0.0.1:1).
    [new ConnectionError('Failed to connect to 127.0.0.1:1 - Could not connect (sequence)', 'ESOCKET', { cause: new AggregateError([], 'Could not connect (sequence)') }), 'unreachable', 'connected-directory-error'],
    [new ConnectionError('Failed to connect to db:1433 - self-signed certificate', 'ESOCKET', { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }), 'tls', 'connected-directory-error'],
  ] as const)('%s → %s → %s', (error, kind, code) => {
    const described = describeMssqlError(error);
    expect(described.kind).toBe(kind);
    expect(described.message).toBe(error.message);
    expect(entryErrorOf(described).code).toBe(code);
  });

  it('names the column the server names', () => {
    expect(describeMssqlError(serverError(515, "Cannot insert the value NULL into column 'LastName', table 'CONTOSO.dbo.Employees'; column does not allow nulls. INSERT fails.")).column).toBe('LastName');
    expect(entryErrorOf(describeMssqlError(serverError(2628, "String or binary data would be truncated in table 'dbo.Employees', column 'Email'. Truncated value: 'a'.")))).toMatchObject({ attribute: 'Email' });
  });
});

describe('the tedious adapter', () => {
  it('reads a connection URL, the fields winning, with tls as encrypt / trustServerCertificate', () => {
    expect(tediousConfig({ ...OPTIONS, url: 'mssql://ecmahost@sql.contoso.local:14330/CONTOSO', password: 'pw' })).toEqual({
      server: 'sql.contoso.local',
      authentication: { type: 'default', options: { userName: 'ecmahost', password: 'pw' } },
      options: { encrypt: true, trustServerCertificate: false, appName: 'ecmahost', connectTimeout: 15_000, requestTimeout: 30_000, useUTC: true, useColumnNames: false, rowCollectionOnRequestCompletion: false, database: 'CONTOSO', port: 14330 },
    });
    const named = tediousConfig({ ...OPTIONS, tls: 'required-no-verify', url: 'sqlserver://sql.contoso.local/CONTOSO?instanceName=SQLEXPRESS', user: 'CONTOSO\\svc-ecma', password: 'pw', database: 'HR' });
    expect(named.authentication).toEqual({ type: 'ntlm', options: { domain: 'CONTOSO', userName: 'svc-ecma', password: 'pw' } });
    expect(named.options).toMatchObject({ instanceName: 'SQLEXPRESS', database: 'HR', encrypt: true, trustServerCertificate: true });
    expect(named.options).not.toHaveProperty('port');
    const fields = tediousConfig({ ...OPTIONS, tls: 'disabled', host: 'db', instanceName: 'HR', user: 'sa', statementTimeoutMs: 0, tlsCa: 'PEM' });
    expect(fields).toMatchObject({ server: 'db', options: { encrypt: false, instanceName: 'HR', requestTimeout: 0, cryptoCredentialsDetails: { ca: 'PEM' } } });
    expect(tediousConfig({ ...OPTIONS, url: 'mssql://db/CONTOSO?encrypt=false' }).options).toMatchObject({ encrypt: false, port: 1433 });
  });

  it('binds each JavaScript value as its TDS type', () => {
    expect([null, 'a', true, 7, -2_147_483_649, 1.5, 10n, new Uint8Array([1]), new Date(0)].map((v, i) => tdsParameter(i, v).type)).toEqual([
      'NVarChar',
      'NVarChar',
      'Bit',
      'Int',
      'BigInt',
      'Float',
      'BigInt',
      'VarBinary',
      'DateTime2',
    ]);
  });

  it('reads tedious rows by column name; an unnamed expression is the empty name', () => {
    expect(rowOf([{ value: 'adele', metadata: { colName: 'ContosoLogin' } }, { value: 1, metadata: { colName: '' } }])).toEqual({ ContosoLogin: 'adele', '': 1 });
  });

  it('pools connections: reuses an idle one, opens at most its size, and replaces one that was lost', async () => {
    const { module, configs } = recordedTedious();
    const pool = new TediousPool(module, tediousConfig({ ...OPTIONS, host: 'db' }), 2);
    const lost = (error: unknown) => describeMssqlError(error).kind === 'connection-lost';
    await pool.use(async () => 1, lost);
    await pool.use(async () => 2, lost);
    expect(configs).toHaveLength(1);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const a = pool.use(async () => { await held; order.push('a'); }, lost);
    const b = pool.use(async () => { await held; order.push('b'); }, lost);
    const c = pool.use(async () => { order.push('c'); }, lost);
    await new Promise((r) => setImmediate(r));
    expect(configs).toHaveLength(2);
    expect(order).toEqual([]);
    release();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
    await expect(pool.use(async () => { throw new RequestError('Connection closed before request completed.', 'ECLOSE'); }, lost)).rejects.toThrow('Connection closed');
    // One of the two connections was closed: two uses at once need a new one.
    await Promise.all([pool.use(async () => 3, lost), pool.use(async () => 4, lost)]);
    expect(configs).toHaveLength(3);
    await pool.close();
    await expect(pool.use(async () => 5, lost)).rejects.toThrow('The connection pool is closed.');
  });
});
