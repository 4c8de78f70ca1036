import { sql, type SQL } from 'drizzle-orm';
import { MySqlDialect } from 'drizzle-orm/mysql-core';
import type mysql from 'mysql2';
import type { ColumnInfo, ConnectionOptions, DbError, Dialect, Executor, PlaceholderValues, Row, TableName } from './dialect.js';
import { urlWithCredentials } from './connection-url.js';
import { withPooledConnection } from './pooled-connection.js';
import { queryRenderer } from './rendered-query.js';
import { standardLimit, standardTransactions } from './standard-sql.js';
import { errorCode, errorMessage, isTlsErrorCode, networkErrorKind } from './driver-error.js';
import { sqlDateTime, toDriverCompact } from './value-forms.js';

type Client = mysql.Pool | mysql.PoolConnection;

function rowsOf(result: unknown): Row[] {
  const first = Array.isArray(result) ? (result[0] as unknown) : undefined;
  if (!Array.isArray(first)) return [];
  // CALL returns [resultSet, ..., okPacket]: the rows are the first result set.
  if (Array.isArray(first[0])) return first[0] as Row[];
  return first as Row[];
}

const renderQuery = queryRenderer(new MySqlDialect());

/**
 * Runs a drizzle `sql` object. With parameters it is a server-side prepared statement (`execute`):
 * mysql2's `query` would splice escaped values into the text at every `?`, including one inside a
 * string literal of an admin's statement, so values would no longer be bound. Statements without
 * parameters (BEGIN, SAVEPOINT...) go through `query`, since not all of them can be prepared.
 */
function executor(client: Client): Executor {
  const promised = client.promise();
  const send = async (query: SQL, values: PlaceholderValues | undefined): Promise<unknown> => {
    const { text, params } = renderQuery(query, values);
    return params.length === 0 ? promised.query(text) : promised.execute(text, params as never[]);
  };
  return {
    all: async (query, values) => rowsOf(await send(query, values)),
    run: async (query, values) => {
      const [header] = (await send(query, values)) as [{ affectedRows?: number; insertId?: number }];
      const affected = header.affectedRows ?? 0;
      return header.insertId ? { affected, insertId: header.insertId } : { affected };
    },
  };
}

function poolOptions(options: ConnectionOptions): mysql.PoolOptions {
  const config: mysql.PoolOptions = {
    connectionLimit: options.poolSize,
    connectTimeout: 15_000,
    // Datetimes come back as the server's text and are read as UTC, as ECMA2 stores them.
    dateStrings: true,
    timezone: 'Z',
    multipleStatements: false,
    // Prepared statements are cached per connection; keep the server's global count low.
    maxPreparedStatements: 256,
  };
  if (options.url !== undefined) config.uri = urlWithCredentials(options.url, options.user, options.password);
  if (options.host !== undefined) config.host = options.host;
  if (options.port !== undefined) config.port = options.port;
  if (options.database !== undefined) config.database = options.database;
  if (options.user !== undefined) config.user = options.user;
  if (options.password !== undefined) config.password = options.password;
  if (options.tls !== 'disabled') {
    config.ssl = { rejectUnauthorized: options.tls === 'required', ...(options.tlsCa === undefined ? {} : { ca: options.tlsCa }) };
  }
  return config;
}

const BY_ERRNO: Record<number, DbError['kind']> = {
  1062: 'unique',
  1586: 'unique',
  1048: 'not-null',
  1364: 'not-null',
  1406: 'value',
  1366: 'value',
  1292: 'value',
  1264: 'value',
  1265: 'value',
  4025: 'check',
  3819: 'check',
  1451: 'foreign-key',
  1452: 'foreign-key',
  1045: 'authentication',
  1698: 'authentication',
  1049: 'unknown-database',
  1044: 'permission',
  1142: 'permission',
  1143: 'permission',
  1227: 'permission',
  1370: 'permission',
  1205: 'busy',
  1213: 'busy',
  1927: 'connection-lost',
  1053: 'connection-lost',
  2013: 'connection-lost',
  2006: 'connection-lost',
  1969: 'timeout',
  3024: 'timeout',
};

function describe(error: unknown): DbError {
  const code = errorCode(error);
  const errno = (error as { errno?: unknown }).errno;
  const message = (error as { sqlMessage?: unknown }).sqlMessage;
  const text = typeof message === 'string' ? message : errorMessage(error);
  const column = /(?:column|field) '([^']+)'/i.exec(text)?.[1];
  const kind = typeof errno === 'number' ? BY_ERRNO[errno] : undefined;
  if (kind !== undefined) return column === undefined ? { kind, message: text } : { kind, message: text, column };
  if (code === 'PROTOCOL_CONNECTION_LOST' || code === 'ER_CONNECTION_KILLED' || /closed state|connection is in closed/i.test(text)) {
    return { kind: 'connection-lost', message: text };
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT' || isTlsErrorCode(code) || /SSL|TLS|certificate/i.test(text)) return { kind: 'tls', message: text };
  const network = networkErrorKind(code);
  if (network) return { kind: network, message: text };
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') return { kind: 'timeout', message: text };
  return { kind: 'other', message: text };
}

/** MySQL and MariaDB through `mysql2`, statements rendered by drizzle's MySQL dialect. */
export async function createMysqlDialect(options: ConnectionOptions): Promise<Dialect> {
  // Imported here rather than at the top: our packages are built without code splitting, so a
  // static import would load mysql2 (tens of milliseconds) at the start of every host, including
  // hosts that only serve PostgreSQL or SQLite.
  const { createPool } = (await import('mysql2')).default;
  const pool = createPool(poolOptions(options));
  pool.on('connection', (connection) => {
    // UTC sessions, as for PostgreSQL; the statement limit is MariaDB's max_statement_time
    // (seconds) or MySQL's max_execution_time (milliseconds, SELECT only) — whichever exists.
    connection.query("SET time_zone = '+00:00'", () => {});
    if (options.statementTimeoutMs > 0) {
      connection.query('SET SESSION max_statement_time = ?', [options.statementTimeoutMs / 1000], (error) => {
        if (error) connection.query('SET SESSION max_execution_time = ?', [options.statementTimeoutMs], () => {});
      });
    }
  });
  const shared = executor(pool);
  return {
    name: 'mysql',
    ...shared,
    async withConnection(fn) {
      const connection = await new Promise<mysql.PoolConnection>((resolve, reject) => {
        pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn)));
      });
      return withPooledConnection(connection, executor, describe, (c, broken) => (broken ? c.destroy() : c.release()), fn);
    },
    async columns(table: TableName): Promise<ColumnInfo[]> {
      const schema = table.schema === undefined ? sql`DATABASE()` : sql`${table.schema}`;
      const rows = await shared.all(sql`
        SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra
        FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ${table.name}
        ORDER BY ORDINAL_POSITION`);
      return rows.map((r) => {
        const extra = String(r.extra ?? '').toLowerCase();
        return {
          name: String(r.name),
          dataType: String(r.type).toLowerCase(),
          nullable: r.nullable === 'YES',
          // MariaDB reports a nullable column without default as the text NULL.
          hasDefault: (r.def !== null && r.def !== 'NULL') || extra.includes('auto_increment') || extra.includes('generated'),
          generated: extra.includes('auto_increment'),
        };
      });
    },
    watermarkQuery: 'SELECT CURRENT_TIMESTAMP(6)',
    transactions: standardTransactions,
    limit: standardLimit,
    // A prepared statement's placeholders are counted in 16 bits.
    maxParameters: 65_535,
    async callRoutine(name, args): Promise<SQL> {
      const routine = name.schema === undefined ? sql.identifier(name.name) : sql`${sql.identifier(name.schema)}.${sql.identifier(name.name)}`;
      return sql`CALL ${routine}(${sql.join([...args], sql`, `)})`;
    },
    toDriver: toDriverCompact,
    formatDateTime: sqlDateTime,
    describeError: describe,
    close: () =>
      new Promise<void>((resolve) => {
        pool.end(() => resolve());
      }),
  };
}
