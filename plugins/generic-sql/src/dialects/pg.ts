import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { ColumnInfo, ConnectionOptions, DbError, Dialect, Executor, PlaceholderValues, Row, RoutineCall, TableName } from './dialect.js';
import { urlWithCredentials } from './connection-url.js';
import { withPooledConnection } from './pooled-connection.js';
import { queryRenderer } from './rendered-query.js';
import { standardInsertReturning, standardLimit, standardTransactions } from './standard-sql.js';
import { errorCode, errorMessage, isTlsErrorCode, networkErrorKind } from './driver-error.js';

type Queryable = pg.Pool | pg.PoolClient;

// Dates, times and intervals (and numeric and date arrays) are read as the server's text, as drizzle's
// node-postgres driver reads them: sessions run in UTC, and a `timestamp` parsed into a JavaScript
// Date would take the host's time zone and lose microseconds.
const { builtins } = pg.types;
const TEXT_TYPES: ReadonlySet<number> = new Set([builtins.TIMESTAMPTZ, builtins.TIMESTAMP, builtins.DATE, builtins.INTERVAL, 1231, 1115, 1185, 1187, 1182]);
const asText = (value: string): string => value;
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (TEXT_TYPES.has(oid) ? asText : pg.types.getTypeParser(oid, format))) as pg.CustomTypesConfig['getTypeParser'],
};

const renderQuery = queryRenderer(new PgDialect());

/**
 * Sends statements straight to `pg`, rendered by drizzle's PostgreSQL dialect. drizzle's own session
 * would add a tracing span, a query cache lookup and a result wrapper to every statement, and a new
 * drizzle instance to every pooled connection checked out: most of the connector's CPU on a one-row write.
 */
function executor(client: Queryable): Executor {
  const send = async (query: SQL, values: PlaceholderValues | undefined): Promise<pg.QueryResult> => {
    const { text, params } = renderQuery(query, values);
    return client.query({ text, values: params, types: typeParsers });
  };
  return {
    all: async (query, values) => (await send(query, values)).rows as Row[],
    run: async (query, values) => ({ affected: (await send(query, values)).rowCount ?? 0 }),
  };
}

function poolConfig(options: ConnectionOptions): pg.PoolConfig {
  const config: pg.PoolConfig = {
    max: options.poolSize,
    connectionTimeoutMillis: 15_000,
    // Every datetime is read and written in UTC (ECMA2 stores UTC); the session zone makes
    // CURRENT_TIMESTAMP watermarks and `timestamp` text agree with it.
    options: '-c TimeZone=UTC',
  };
  if (options.statementTimeoutMs > 0) config.statement_timeout = options.statementTimeoutMs;
  if (options.url !== undefined) config.connectionString = urlWithCredentials(options.url, options.user, options.password);
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

const CONNECTION_CLASSES = new Set(['08000', '08003', '08006', '08001', '08004', '57P01', '57P02', '57P03']);

function describe(error: unknown): DbError {
  const code = errorCode(error);
  const message = errorMessage(error);
  const column = (error as { column?: unknown }).column;
  const detail = (error as { detail?: unknown }).detail;
  const named = typeof column === 'string' ? column : typeof detail === 'string' ? /^Key \(([^)]+)\)/.exec(detail)?.[1] : undefined;
  const withColumn = (kind: DbError['kind']): DbError => (named === undefined ? { kind, message } : { kind, message, column: named });
  if (code === '23505') return withColumn('unique');
  if (code === '23502') return withColumn('not-null');
  if (code === '23514') return withColumn('check');
  if (code === '23503') return withColumn('foreign-key');
  if (code?.startsWith('22')) return withColumn('value');
  if (code === '42501') return { kind: 'permission', message };
  if (code === '28P01' || code === '28000') return { kind: 'authentication', message };
  if (code === '3D000') return { kind: 'unknown-database', message };
  if (code === '57014') return { kind: 'timeout', message };
  if (code === '40001' || code === '40P01' || code === '55P03') return { kind: 'busy', message };
  if (code !== undefined && CONNECTION_CLASSES.has(code)) return { kind: 'connection-lost', message };
  const network = networkErrorKind(code);
  if (network) return { kind: network, message };
  if (isTlsErrorCode(code) || /SSL|TLS|certificate/i.test(message)) return { kind: 'tls', message };
  if (/Connection terminated|not queryable|Client was closed/i.test(message)) return { kind: 'connection-lost', message };
  if (/timeout exceeded when trying to connect/i.test(message)) return { kind: 'timeout', message };
  return { kind: 'other', message };
}

/** PostgreSQL through `pg` (node-postgres), statements rendered by drizzle's PostgreSQL dialect. */
export function createPgDialect(options: ConnectionOptions): Dialect {
  const pool = new pg.Pool(poolConfig(options));
  // An idle client whose server went away must not crash the host; the next query reports it.
  pool.on('error', () => {});
  const shared = executor(pool);
  return {
    name: 'postgresql',
    ...shared,
    async withConnection(fn) {
      const client = await pool.connect();
      return withPooledConnection(client, executor, describe, (c, broken) => c.release(broken), fn);
    },
    async columns(table: TableName): Promise<ColumnInfo[]> {
      const schema = table.schema === undefined ? sql`current_schema()` : sql`${table.schema}`;
      const rows = await shared.all(sql`
        SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS def,
               is_identity AS identity, is_generated AS generated
        FROM information_schema.columns
        WHERE table_schema = ${schema} AND table_name = ${table.name}
        ORDER BY ordinal_position`);
      return rows.map((r) => {
        const def = typeof r.def === 'string' ? r.def : undefined;
        return {
          name: String(r.name),
          dataType: String(r.type).toLowerCase(),
          nullable: r.nullable === 'YES',
          hasDefault: def !== undefined || r.identity === 'YES' || r.generated === 'ALWAYS',
          generated: r.identity === 'YES' || (def?.startsWith('nextval(') ?? false),
        };
      });
    },
    watermarkQuery: 'SELECT CURRENT_TIMESTAMP',
    transactions: standardTransactions,
    limit: standardLimit,
    // The protocol's Bind message counts parameters in 16 bits.
    maxParameters: 65_535,
    insertReturning: standardInsertReturning,
    async callRoutine(name, args, mode: RoutineCall): Promise<SQL> {
      const rows = await shared.all(sql`
        SELECT p.prokind AS kind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.proname = ${name.name} AND n.nspname = ${name.schema === undefined ? sql`current_schema()` : sql`${name.schema}`}
        LIMIT 1`);
      const routine = name.schema === undefined ? sql.identifier(name.name) : sql`${sql.identifier(name.schema)}.${sql.identifier(name.name)}`;
      const list = sql.join([...args], sql`, `);
      if (rows[0]?.kind === 'p') return sql`CALL ${routine}(${list})`;
      return mode === 'rows' ? sql`SELECT * FROM ${routine}(${list})` : sql`SELECT ${routine}(${list})`;
    },
    toDriver: (value) => value,
    formatDateTime: (iso) => iso,
    describeError: describe,
    async close() {
      await pool.end();
    },
  };
}
