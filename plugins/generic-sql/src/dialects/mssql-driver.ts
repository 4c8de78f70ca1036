import type { Connection, ConnectionConfiguration, Request, TYPES as TediousTypes } from 'tedious';
import type { ConnectionOptions, Row, RunResult } from './dialect.js';

/** The parts of `tedious` the adapter uses, loaded on first use (see `createMssqlDialect`). */
export interface TediousModule {
  Connection: new (config: ConnectionConfiguration) => Connection;
  Request: new (text: string, callback: (error: Error | null | undefined, rowCount?: number) => void) => Request;
  TYPES: typeof TediousTypes;
}

/** The TDS type a value is bound as, by name (`tedious`'s `TYPES` member). */
export type TdsTypeName = 'NVarChar' | 'Int' | 'BigInt' | 'Float' | 'Bit' | 'VarBinary' | 'DateTime2';

/** One bound parameter of a statement: `@p0` is `{ name: 'p0', … }`. */
export interface TdsParameter {
  name: string;
  type: TdsTypeName;
  value: unknown;
}

/**
 * A NULL for a binary column or parameter: SQL Server refuses to convert an nvarchar NULL to
 * varbinary (error 257), so it travels as a varbinary NULL.
 */
export const BINARY_NULL: unique symbol = Symbol('ecmahost.mssql.binaryNull');

/**
 * The TDS type a JavaScript value is sent as. Strings are `nvarchar` (Unicode, as Entra's values
 * are), whole numbers `int` when they fit and `bigint` otherwise, booleans `bit`, bytes
 * `varbinary`, dates `datetime2`; NULL travels as an `nvarchar` NULL, which SQL Server converts
 * to every column type but binary ones ({@link BINARY_NULL}).
 */
export function tdsParameter(index: number, value: unknown): TdsParameter {
  const name = `p${String(index)}`;
  if (value === BINARY_NULL) return { name, type: 'VarBinary', value: null };
  if (value === null || value === undefined) return { name, type: 'NVarChar', value: null };
  if (typeof value === 'string') return { name, type: 'NVarChar', value };
  if (typeof value === 'boolean') return { name, type: 'Bit', value };
  if (typeof value === 'bigint') return { name, type: 'BigInt', value: value.toString() };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { name, type: 'Float', value };
    return { name, type: value >= -2_147_483_648 && value <= 2_147_483_647 ? 'Int' : 'BigInt', value };
  }
  if (value instanceof Uint8Array) return { name, type: 'VarBinary', value: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
  if (value instanceof Date) return { name, type: 'DateTime2', value };
  return { name, type: 'NVarChar', value: String(value) };
}

/** A column of a result row as `tedious` hands it over (`useColumnNames: false`). */
export interface TediousColumn {
  value: unknown;
  metadata: { colName: string };
}

/**
 * A `tedious` row as a plain row by column name. SQL Server names an unnamed expression `''`; a
 * later column of the same name replaces an earlier one, as a JavaScript object must.
 */
export function rowOf(columns: readonly TediousColumn[]): Row {
  const row: Row = {};
  for (const column of columns) row[column.metadata.colName] = column.value;
  return row;
}

/** What one request to the server gives back. */
export interface TdsResult extends RunResult {
  rows: Row[];
}

/**
 * Runs one statement on one connection. With parameters it is `sp_executesql` (`execSql`), the
 * values bound by type; without, a plain batch (`execSqlBatch`), because `BEGIN TRANSACTION`
 * inside `sp_executesql` would leave it with another transaction count than it began with.
 */
export function execute(tedious: TediousModule, connection: Connection, text: string, params: readonly unknown[]): Promise<TdsResult> {
  return new Promise((resolve, reject) => {
    const rows: Row[] = [];
    const request = new tedious.Request(text, (error, rowCount) => {
      if (error) reject(error);
      else resolve({ rows, affected: rowCount ?? 0 });
    });
    request.on('row', (columns: TediousColumn[]) => {
      rows.push(rowOf(columns));
    });
    if (params.length === 0) {
      connection.execSqlBatch(request);
      return;
    }
    for (const [i, value] of params.entries()) {
      const p = tdsParameter(i, value);
      request.addParameter(p.name, tedious.TYPES[p.type], p.value);
    }
    connection.execSql(request);
  });
}

/** `DOMAIN\user` is a Windows (NTLM) login, as Microsoft's pages spell one; anything else a SQL login. */
function authentication(user: string | undefined, password: string | undefined): NonNullable<ConnectionConfiguration['authentication']> {
  const windows = user === undefined ? undefined : /^([^\\]+)\\(.+)$/.exec(user);
  if (windows?.[1] !== undefined && windows[2] !== undefined) return { type: 'ntlm', options: { domain: windows[1], userName: windows[2], password: password ?? '' } };
  return { type: 'default', options: { userName: user ?? '', password: password ?? '' } };
}

/** True for the query values SQL Server's connection strings use for yes. */
function yes(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  return /^(true|yes|1)$/i.test(value);
}

/**
 * The `tedious` configuration of a connection: from `mssql://` / `sqlserver://` URL
 * (`mssql://user@host:1433/database?instanceName=SQLEXPRESS`) and the separate fields, the fields
 * winning. The `tls` setting is SQL Server's `encrypt` (`disabled` → no) and
 * `trustServerCertificate` (`required-no-verify` → yes); a URL's `encrypt` and
 * `trustServerCertificate` query values override it, and its `appName` names the sessions. A named instance replaces the port (the SQL
 * Browser service tells it).
 */
export function tediousConfig(options: ConnectionOptions): ConnectionConfiguration {
  let server = options.host;
  let port = options.port;
  let database = options.database;
  let user = options.user;
  let instanceName = options.instanceName;
  let encrypt: boolean = options.tls !== 'disabled';
  let trust: boolean = options.tls === 'required-no-verify';
  // Shown in sys.dm_exec_sessions, so a DBA can tell the connector's sessions apart.
  let appName = 'ecmahost';
  if (options.url !== undefined) {
    const url = new URL(options.url);
    server ??= decodeURIComponent(url.hostname.replace(/^\[|\]$/g, ''));
    if (url.port !== '') port ??= Number(url.port);
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (path !== '') database ??= path;
    if (url.username !== '') user ??= decodeURIComponent(url.username);
    const query = url.searchParams;
    instanceName ??= query.get('instanceName') ?? query.get('instance') ?? undefined;
    database ??= query.get('database') ?? undefined;
    encrypt = yes(query.get('encrypt')) ?? encrypt;
    trust = yes(query.get('trustServerCertificate')) ?? trust;
    appName = query.get('appName') ?? query.get('applicationName') ?? appName;
  }
  const config: ConnectionConfiguration = {
    server: server ?? 'localhost',
    authentication: authentication(user, options.password),
    options: {
      encrypt,
      trustServerCertificate: trust,
      appName,
      connectTimeout: 15_000,
      // tedious's 0 means no limit, as the connector's does.
      requestTimeout: options.statementTimeoutMs,
      // Datetimes without a zone are read and written as UTC, as ECMA2 stores them.
      useUTC: true,
      useColumnNames: false,
      rowCollectionOnRequestCompletion: false,
      ...(database === undefined ? {} : { database }),
      ...(instanceName === undefined ? { port: port ?? 1433 } : { instanceName }),
      ...(options.tlsCa === undefined ? {} : { cryptoCredentialsDetails: { ca: options.tlsCa } }),
    },
  };
  return config;
}

/** A connection of the pool and whether it can still be used. */
interface Pooled {
  connection: Connection;
  broken: boolean;
}

/**
 * A small pool of `tedious` connections (tedious has none): at most `size` open, idle ones reused
 * in order, callers waiting in turn. A connection that ended or failed is closed instead of reused.
 */
export class TediousPool {
  private readonly idle: Pooled[] = [];
  private readonly waiting: { resolve: (pooled: Pooled) => void; reject: (error: unknown) => void }[] = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly tedious: TediousModule,
    private readonly config: ConnectionConfiguration,
    private readonly size: number,
  ) {}

  /** A connection for `fn`'s whole duration; an error `isBroken` recognises has the connection closed rather than reused. */
  async use<T>(fn: (connection: Connection) => Promise<T>, isBroken: (error: unknown) => boolean): Promise<T> {
    const pooled = await this.acquire();
    try {
      return await fn(pooled.connection);
    } catch (error) {
      if (isBroken(error)) pooled.broken = true;
      throw error;
    } finally {
      this.release(pooled);
    }
  }

  private async acquire(): Promise<Pooled> {
    if (this.closed) throw Object.assign(new Error('The connection pool is closed.'), { code: 'ECLOSE' });
    const ready = this.idle.shift();
    if (ready !== undefined) return ready;
    if (this.open < this.size) {
      this.open += 1;
      try {
        return await this.connect();
      } catch (error) {
        this.open -= 1;
        throw error;
      }
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private connect(): Promise<Pooled> {
    return new Promise((resolve, reject) => {
      const connection = new this.tedious.Connection(this.config);
      const pooled: Pooled = { connection, broken: false };
      // A socket error on an idle connection must not crash the host: the next use reports it.
      connection.on('error', () => {
        pooled.broken = true;
      });
      connection.on('end', () => {
        pooled.broken = true;
      });
      connection.connect((error) => {
        if (error) {
          connection.close();
          reject(error);
        } else resolve(pooled);
      });
    });
  }

  private release(pooled: Pooled): void {
    const next = this.waiting.shift();
    if (pooled.broken || this.closed) {
      pooled.connection.close();
      this.open -= 1;
      // The next caller gets a fresh connection in place of the broken one, or its error.
      if (next !== undefined) this.acquire().then(next.resolve, next.reject);
      return;
    }
    if (next !== undefined) next.resolve(pooled);
    else this.idle.push(pooled);
  }

  /** Closes the idle connections; busy ones close when they are given back. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pooled of this.idle.splice(0)) pooled.connection.close();
  }
}
