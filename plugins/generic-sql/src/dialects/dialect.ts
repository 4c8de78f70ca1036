import type { AttributeType } from '@ecmahost/sdk';
import type { SQL } from 'drizzle-orm';

/** The database products the connector speaks to. */
export type DialectName = 'postgresql' | 'mysql' | 'sqlite' | 'mssql';

/** One result row, by column name. */
export type Row = Record<string, unknown>;

/** What a write statement did. */
export interface RunResult {
  /** Rows changed (for MySQL: rows matched, so an update to the same values counts). */
  affected: number;
  /** The value an auto-increment column took on insert, where the driver reports one. */
  insertId?: number;
}

/** Values of a reusable statement's `sql.placeholder`s, by placeholder name. */
export type PlaceholderValues = Readonly<Record<string, unknown>>;

/**
 * Runs drizzle `sql` templates: values as bound parameters, identifiers quoted by the dialect.
 * With `values`, `query` is a statement kept by the caller and run many times (its values are
 * `sql.placeholder`s): the executor renders it once and binds `values` at each run.
 */
export interface Executor {
  all(query: SQL, values?: PlaceholderValues): Promise<Row[]>;
  run(query: SQL, values?: PlaceholderValues): Promise<RunResult>;
}

/** One column as the database describes it (information_schema, PRAGMA). */
export interface ColumnInfo {
  name: string;
  /** The type name, lower case: `character varying`, `int`, `tinyint(1)`, `BLOB`→`blob`. */
  dataType: string;
  nullable: boolean;
  hasDefault: boolean;
  /** An identity, serial or auto-increment column: the database fills it on insert. */
  generated: boolean;
}

/** A table or view, optionally schema-qualified. */
export interface TableName {
  schema?: string;
  name: string;
}

/** What a database error means, whatever the product that raised it. */
export type DbErrorKind =
  | 'unique'
  | 'not-null'
  | 'check'
  | 'foreign-key'
  | 'value'
  | 'permission'
  | 'authentication'
  | 'unknown-database'
  | 'tls'
  | 'unreachable'
  | 'connection-lost'
  | 'timeout'
  | 'busy'
  | 'other';

/** A database error classified by the dialect that raised it. */
export interface DbError {
  kind: DbErrorKind;
  /** The server's own message. */
  message: string;
  /** The column at fault, where the server names it. */
  column?: string;
}

/**
 * The statements of a batch transaction. PostgreSQL, MySQL and SQLite share the SQL standard's
 * (`standardTransactions`); SQL Server has `SAVE TRANSACTION` and no release.
 */
export interface TransactionStatements {
  begin: SQL;
  savepoint(name: string): SQL;
  /** Forgets a savepoint; `undefined` where the database has no such statement. */
  release(name: string): SQL | undefined;
  rollbackTo(name: string): SQL;
  commit: SQL;
  rollback: SQL;
}

/** How a stored routine is called. */
export type RoutineCall = 'rows' | 'statement';

/**
 * The seam between the shared core and one database product. Only the files implementing it import
 * a driver; everything else builds drizzle `sql` templates and reads plain rows.
 */
export interface Dialect extends Executor {
  readonly name: DialectName;
  /**
   * Runs `fn` on one connection held for its whole duration, for transactions and savepoints.
   * A connection that failed (killed, timed out) is discarded rather than returned to the pool.
   */
  withConnection<T>(fn: (connection: Executor) => Promise<T>): Promise<T>;
  /** The columns of a table or view, in order; empty when it does not exist. */
  columns(table: TableName): Promise<ColumnInfo[]>;
  /** The query giving the database's current time, for watermarks. */
  readonly watermarkQuery: string;
  /** The transaction statements of this database. */
  readonly transactions: TransactionStatements;
  /**
   * The clause that keeps the first `count` rows of an ordered SELECT (`LIMIT n`; SQL Server's
   * `OFFSET 0 ROWS FETCH NEXT n ROWS ONLY`). `count` is our own page size, never a value from Entra.
   */
  limit(count: number): SQL;
  /** The most bound parameters one statement may carry, where the database has a limit a page of keys can reach. */
  readonly maxParameters?: number;
  /**
   * An INSERT whose one result row holds the `returned` columns of the new row (`RETURNING`, SQL
   * Server's `OUTPUT INSERTED`); absent where the database has none (MySQL reports `insertId`).
   */
  insertReturning?(table: SQL, columns: readonly SQL[], values: readonly SQL[], returned: readonly string[]): SQL;
  /**
   * A call of a stored procedure or function with bound arguments, by position, or by name where
   * `names` gives each argument's parameter name (SQL Server's `@Name = value`).
   */
  callRoutine(name: TableName, args: readonly SQL[], mode: RoutineCall, names?: readonly string[]): Promise<SQL>;
  /**
   * The NULL to bind for an attribute of `type`, where the database types NULL parameters: SQL
   * Server will not convert an nvarchar NULL to varbinary. Absent: a plain `null`.
   */
  nullFor?(type: AttributeType): unknown;
  /** The driver form of a value: booleans as 0/1 where the database has no boolean, binary as Buffer. */
  toDriver(value: unknown): unknown;
  /** A datetime (ISO 8601, UTC) in the form the database reads it: text, or a `Date` the driver binds. */
  formatDateTime(iso: string): unknown;
  /** Classifies an error thrown by the driver. */
  describeError(error: unknown): DbError;
  /** Closes the pool or the database file. */
  close(): Promise<void>;
}

/** Where and how to connect, read from the Connectivity page. */
export interface ConnectionOptions {
  /** A URL (PostgreSQL, MySQL, SQL Server) or a file path (SQLite). */
  url?: string;
  host?: string;
  port?: number;
  /** A SQL Server named instance, found through the SQL Browser service instead of a port. */
  instanceName?: string;
  database?: string;
  user?: string;
  password?: string;
  tls: 'disabled' | 'required' | 'required-no-verify';
  /** PEM text of the CA certificate. */
  tlsCa?: string;
  poolSize: number;
  /** 0 means no limit. */
  statementTimeoutMs: number;
  /** SQLite's journal and durability settings; ignored by the network databases. */
  sqlite: SqliteDurability;
}

/**
 * How an SQLite file journals its writes. WAL with `synchronous=FULL` (the default) survives a
 * process crash and a power loss; WAL with `NORMAL` survives a process crash (`kill -9`) but may
 * lose the last commits on power loss or an OS crash, never corrupting the file
 * (sqlite.org/pragma.html#pragma_synchronous). `delete` is SQLite's rollback journal, for files on
 * network filesystems where WAL's shared memory does not work.
 */
export interface SqliteDurability {
  journalMode: 'wal' | 'delete';
  synchronous: 'full' | 'normal';
}
