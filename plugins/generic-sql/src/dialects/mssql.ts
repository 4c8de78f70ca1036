import { sql, type Query, type SQL } from 'drizzle-orm';
import type { Connection } from 'tedious';
import { CasingCache } from 'drizzle-orm/casing';
import type { ColumnInfo, ConnectionOptions, DbError, Dialect, Executor, PlaceholderValues, Row, TableName, TransactionStatements } from './dialect.js';
import { errorCode, errorMessage, isTlsErrorCode, networkErrorKind } from './driver-error.js';
import { BINARY_NULL, execute, type TdsResult, tediousConfig, type TediousModule, TediousPool } from './mssql-driver.js';
import { queryRenderer } from './rendered-query.js';

/** A T-SQL identifier: in brackets, a closing bracket doubled (QUOTENAME's rule). */
export function quoteMssqlName(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/**
 * Renders drizzle `sql` templates as T-SQL: drizzle 0.45 has no SQL Server dialect, so this is the
 * part of one the connector needs. Identifiers in brackets, values as `@p0`, `@p1`… bound by
 * `tedious` (never inlined); string literals only appear in our own fixed statements.
 */
export const mssqlSql = {
  sqlToQuery(query: SQL): Query {
    return query.toQuery({
      casing: new CasingCache(),
      escapeName: quoteMssqlName,
      escapeParam: (index) => `@p${String(index)}`,
      escapeString: (text) => `N'${text.replace(/'/g, "''")}'`,
    });
  },
};

const renderQuery = queryRenderer(mssqlSql);

/** Savepoints are `SAVE TRANSACTION`; SQL Server has no statement that forgets one. */
export const mssqlTransactions: TransactionStatements = {
  begin: sql`BEGIN TRANSACTION`,
  savepoint: (name) => sql`SAVE TRANSACTION ${sql.identifier(name)}`,
  release: () => undefined,
  rollbackTo: (name) => sql`ROLLBACK TRANSACTION ${sql.identifier(name)}`,
  commit: sql`COMMIT TRANSACTION`,
  rollback: sql`ROLLBACK TRANSACTION`,
};

/** `OFFSET 0 ROWS FETCH NEXT n ROWS ONLY`: T-SQL's LIMIT, after an ORDER BY. A literal, our own page size. */
export function mssqlLimit(count: number): SQL {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`a row limit must be a positive whole number, not ${String(count)}`);
  return sql.raw(`OFFSET 0 ROWS FETCH NEXT ${String(count)} ROWS ONLY`);
}

/**
 * An INSERT giving back the new row's `returned` columns. `OUTPUT INSERTED` goes through a table
 * variable because SQL Server refuses a bare OUTPUT clause on a table with triggers (error 334),
 * and a change table is kept by triggers. `sql_variant` holds any key type (int, bigint,
 * uniqueidentifier, nvarchar) without knowing it in advance.
 */
export function mssqlInsertReturning(table: SQL, columns: readonly SQL[], values: readonly SQL[], returned: readonly string[]): SQL {
  const ids = returned.map((c) => sql.identifier(c));
  return sql`DECLARE @ecmahost_inserted TABLE (${sql.join(
    ids.map((id) => sql`${id} sql_variant`),
    sql`, `,
  )}); INSERT INTO ${table} (${sql.join([...columns], sql`, `)}) OUTPUT ${sql.join(
    ids.map((id) => sql`INSERTED.${id}`),
    sql`, `,
  )} INTO @ecmahost_inserted VALUES (${sql.join([...values], sql`, `)}); SELECT ${sql.join(ids, sql`, `)} FROM @ecmahost_inserted`;
}

/** `EXEC [schema].[name] @p0, @p1` or, with names, `EXEC [name] @Login = @p0, …` (Microsoft's `[Name]:[Direction]:[Value]`). */
export function mssqlCall(name: TableName, args: readonly SQL[], names?: readonly string[]): SQL {
  const routine = name.schema === undefined ? sql.identifier(name.name) : sql`${sql.identifier(name.schema)}.${sql.identifier(name.name)}`;
  if (args.length === 0) return sql`EXEC ${routine}`;
  const list = args.map((arg, i) => {
    const parameter = names?.[i];
    if (parameter === undefined) return arg;
    // A parameter name is an admin's configuration; it is checked to be a plain @name before it is written here.
    if (!/^@[A-Za-z_][A-Za-z0-9_]*$/.test(parameter)) throw new RangeError(`"${parameter}" is not a stored procedure parameter name (@Name)`);
    return sql`${sql.raw(parameter)} = ${arg}`;
  });
  return sql`EXEC ${routine} ${sql.join(list, sql`, `)}`;
}

/**
 * The columns of a table from `INFORMATION_SCHEMA.COLUMNS`, with `COLUMNPROPERTY` for identity
 * and computed columns. Without a schema, the login's default schema (`SCHEMA_NAME()`).
 */
export function mssqlColumnsQuery(table: TableName): SQL {
  const schema = table.schema === undefined ? sql`SCHEMA_NAME()` : sql`${table.schema}`;
  return sql`SELECT c.COLUMN_NAME AS name, c.DATA_TYPE AS type, c.IS_NULLABLE AS nullable, c.COLUMN_DEFAULT AS def,
    COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + N'.' + QUOTENAME(c.TABLE_NAME)), c.COLUMN_NAME, 'IsIdentity') AS isIdentity,
    COLUMNPROPERTY(OBJECT_ID(QUOTENAME(c.TABLE_SCHEMA) + N'.' + QUOTENAME(c.TABLE_NAME)), c.COLUMN_NAME, 'IsComputed') AS isComputed
    FROM INFORMATION_SCHEMA.COLUMNS c
    WHERE c.TABLE_SCHEMA = ${schema} AND c.TABLE_NAME = ${table.name}
    ORDER BY c.ORDINAL_POSITION`;
}

/**
 * A row of {@link mssqlColumnsQuery} as a column. INFORMATION_SCHEMA calls `rowversion`
 * `timestamp`, which is binary and has nothing to do with a time: it is reported as `rowversion`
 * (a binary attribute) so it is never taken for a datetime. The server fills identity, computed
 * and rowversion columns.
 */
export function mssqlColumn(row: Row): ColumnInfo {
  const raw = String(row.type).toLowerCase();
  // SQL Server's bit is one bit: named as MySQL's bit(1), which maps to a boolean.
  const dataType = raw === 'timestamp' ? 'rowversion' : raw === 'bit' ? 'bit(1)' : raw;
  const identity = Number(row.isIdentity) === 1;
  return {
    name: String(row.name),
    dataType,
    nullable: row.nullable === 'YES',
    hasDefault: (row.def !== null && row.def !== undefined) || identity || Number(row.isComputed) === 1 || dataType === 'rowversion',
    generated: identity,
  };
}

/** SQL Server error numbers (sys.messages) by what they mean. */
const BY_NUMBER: Record<number, DbError['kind']> = {
  2627: 'unique',
  2601: 'unique',
  515: 'not-null',
  8152: 'value',
  2628: 'value',
  245: 'value',
  8114: 'value',
  8115: 'value',
  241: 'value',
  242: 'value',
  220: 'value',
  248: 'value',
  229: 'permission',
  230: 'permission',
  262: 'permission',
  297: 'permission',
  300: 'permission',
  18456: 'authentication',
  18452: 'authentication',
  18486: 'authentication',
  18487: 'authentication',
  18488: 'authentication',
  4060: 'unknown-database',
  911: 'unknown-database',
  1205: 'busy',
  1222: 'busy',
  233: 'connection-lost',
  10054: 'connection-lost',
  596: 'connection-lost',
};

/** The column an SQL Server message names: `column 'Email'` (NULL, truncation). */
function columnIn(message: string): string | undefined {
  return /column '([^']+)'/i.exec(message)?.[1];
}

/**
 * Classifies a `tedious` error: a `RequestError` or `ConnectionError` carrying the server's error
 * `number` where the server raised it, else tedious's own `code` (`ELOGIN`, `ESOCKET`,
 * `ETIMEOUT`, `ECLOSE`…) and the socket error it wraps.
 */
export function describeMssqlError(error: unknown): DbError {
  const message = errorMessage(error);
  const number = (error as { number?: unknown } | null)?.number;
  const code = errorCode(error);
  const withColumn = (kind: DbError['kind']): DbError => {
    const column = columnIn(message);
    return column === undefined ? { kind, message } : { kind, message, column };
  };
  if (typeof number === 'number') {
    // 547 is every constraint conflict; the message says which.
    if (number === 547) return withColumn(/FOREIGN KEY|REFERENCE/i.test(message) ? 'foreign-key' : 'check');
    const kind = BY_NUMBER[number];
    if (kind !== undefined) return withColumn(kind);
  }
  // A login error carries the server's message but not its number: 4060 reads "Cannot open database
  // … The login failed.", 18456 "Login failed for user …".
  if (code === 'ELOGIN') return { kind: /Cannot open database/i.test(message) ? 'unknown-database' : 'authentication', message };
  if (code === 'ETIMEOUT') return { kind: 'timeout', message };
  if (code === 'ECLOSE' || code === 'EINVALIDSTATE' || /Connection lost|connection is closed|Final state/i.test(message)) return { kind: 'connection-lost', message };
  if (code === 'EINSTLOOKUP') return { kind: 'unreachable', message };
  const cause = errorCode((error as { cause?: unknown } | null)?.cause);
  if (isTlsErrorCode(cause) || /certificate|self.signed|SSL|TLS/i.test(message)) return { kind: 'tls', message };
  const network = networkErrorKind(cause) ?? networkErrorKind(/\b(E[A-Z]+)\b/.exec(message)?.[1]);
  if (network) return { kind: network, message };
  // tedious words a socket error while connecting "Failed to connect to …", and later "Connection lost - …".
  if (code === 'ESOCKET') return { kind: /^Failed to connect/.test(message) ? 'unreachable' : 'connection-lost', message };
  return { kind: 'other', message };
}

/** Whether a connection that raised `error` must be closed rather than reused. */
function breaksConnection(error: unknown): boolean {
  const kind = describeMssqlError(error).kind;
  return kind === 'connection-lost' || kind === 'timeout' || kind === 'unreachable';
}

/**
 * SQL Server (and Azure SQL Database) through `tedious`, the pure-JavaScript TDS driver,
 * statements rendered as T-SQL by {@link mssqlSql}. Proven offline only: golden statements and
 * recorded driver shapes (see the package README).
 */
export async function createMssqlDialect(options: ConnectionOptions, driver?: TediousModule): Promise<Dialect> {
  // Loaded here for the reason given in mysql.ts: only an SQL Server instance loads tedious.
  // `driver` is for tests that record what would go over the wire; the connector never passes one.
  const tedious = driver ?? ((await import('tedious')) as unknown as TediousModule);
  const pool = new TediousPool(tedious, tediousConfig(options), options.poolSize);
  const on = (connection: Connection): Executor => {
    const send = (query: SQL, values: PlaceholderValues | undefined): Promise<TdsResult> => {
      const { text, params } = renderQuery(query, values);
      return execute(tedious, connection, text, params);
    };
    return {
      all: async (query, values) => (await send(query, values)).rows,
      run: async (query, values) => ({ affected: (await send(query, values)).affected }),
    };
  };
  const shared: Executor = {
    all: (query, values) => pool.use((connection) => on(connection).all(query, values), breaksConnection),
    run: (query, values) => pool.use((connection) => on(connection).run(query, values), breaksConnection),
  };
  return {
    name: 'mssql',
    ...shared,
    withConnection: (fn) => pool.use((connection) => fn(on(connection)), breaksConnection),
    async columns(table: TableName): Promise<ColumnInfo[]> {
      return (await shared.all(mssqlColumnsQuery(table))).map(mssqlColumn);
    },
    // Text cut to milliseconds: it converts to datetime and datetime2 columns alike (a datetime
    // refuses seven decimals), and cutting down only makes `>=` read a row again, never miss one.
    watermarkQuery: 'SELECT CONVERT(nvarchar(23), SYSUTCDATETIME(), 126) AS watermark',
    transactions: mssqlTransactions,
    limit: mssqlLimit,
    // sp_executesql's limit (learn.microsoft.com: "Maximum capacity specifications for SQL Server").
    maxParameters: 2100,
    insertReturning: mssqlInsertReturning,
    callRoutine: async (name, args, _mode, names) => mssqlCall(name, args, names),
    nullFor: (type) => (type === 'binary' ? BINARY_NULL : null),
    // tedious binds booleans as bit and Buffers as varbinary by their JavaScript type.
    toDriver: (value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value),
    // A Date, bound as datetime2 in UTC: exact for datetime and datetime2 columns, whatever the server's language settings.
    formatDateTime: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : date;
    },
    describeError: describeMssqlError,
    close: () => pool.close(),
  };
}
