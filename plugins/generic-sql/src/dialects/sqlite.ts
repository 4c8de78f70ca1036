import { ConnectorError } from '@ecmahost/sdk';
import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { ColumnInfo, ConnectionOptions, DbError, Dialect, Executor, Row, SqliteDurability, TableName } from './dialect.js';
import { queryRenderer } from './rendered-query.js';
import { standardInsertReturning, standardLimit, standardTransactions } from './standard-sql.js';
import { errorCode, errorMessage } from './driver-error.js';
import { sqlDateTime, toDriverCompact } from './value-forms.js';

/** The file path of a SQLite URL: a plain path, `file:path` or `sqlite:path`. */
function sqliteFile(options: ConnectionOptions): string {
  const raw = options.url ?? options.database;
  if (raw === undefined || raw === '') {
    throw new ConnectorError('invalid-configuration', 'SQLite needs the database file path in connectionUrl or database.', { parameter: 'connectionUrl' });
  }
  return raw.replace(/^(sqlite|file):(\/\/)?/, '');
}

function describe(error: unknown): DbError {
  const code = errorCode(error) ?? '';
  const message = errorMessage(error);
  const column = /constraint failed: (?:[^.\s,]+\.)?([^\s,]+)/.exec(message)?.[1] ?? /column (?:[^.\s]+\.)?([^\s.]+)$/.exec(message)?.[1];
  const kind: DbError['kind'] = code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    ? 'unique'
    : code === 'SQLITE_CONSTRAINT_NOTNULL'
      ? 'not-null'
      : code === 'SQLITE_CONSTRAINT_CHECK'
        ? 'check'
        : code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
          ? 'foreign-key'
          : code === 'SQLITE_CONSTRAINT_DATATYPE' || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG'
            ? 'value'
            : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
              ? 'busy'
              : code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB'
                ? 'unknown-database'
                : code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH'
                  ? 'permission'
                  : code.startsWith('SQLITE_IOERR')
                    ? 'connection-lost'
                    : 'other';
  return column === undefined ? { kind, message } : { kind, message, column };
}

const renderQuery = queryRenderer(new SQLiteSyncDialect());

/**
 * Sets the journal mode (kept in the file) and the durability level (per connection). Through
 * `prepare`, not better-sqlite3's `pragma()`, whose statement would be left to the collector (see
 * {@link retained}). The rollback journal syncs several times per commit and made the demo's
 * writes some twenty times slower than WAL (issue 16).
 */
function applyDurability(database: Database.Database, prepare: (text: string) => Database.Statement, file: string, durability: SqliteDurability): void {
  try {
    const mode = String(Object.values((prepare(`PRAGMA journal_mode = ${durability.journalMode}`).get() as Row | undefined) ?? {})[0]).toLowerCase();
    // SQLite answers with the mode in force; it keeps the old one when it cannot switch.
    if (mode !== durability.journalMode) throw new Error(`the file stayed in journal mode ${mode}`);
    prepare(`PRAGMA synchronous = ${durability.synchronous}`).run();
    // SQLite checks the admin's FOREIGN KEY clauses only when asked, per connection: a member or
    // manager naming a missing row must fail as on PostgreSQL and MariaDB, not be stored dangling.
    prepare('PRAGMA foreign_keys = ON').run();
  } catch (error) {
    database.close();
    throw new ConnectorError('connection-failed', `Cannot set the SQLite journal mode of ${file} to ${durability.journalMode}: ${errorMessage(error)}`, { cause: error, parameter: 'sqliteJournalMode' });
  }
}

/**
 * Every database and statement object of better-sqlite3 stays reachable until the process exits.
 * better-sqlite3 12 wraps them in Node's raw `ObjectWrap`, whose destructor, since Node 24.19,
 * aborts the process ("Assertion failed: (env) != nullptr" in `RemoveEnvironmentCleanupHook`) when
 * a garbage collection that runs outside JavaScript, such as an idle-time one, finalises the object
 * (WiseLibs/better-sqlite3#1515; version 13 is fixed but needs Node 22, and we support Node 20).
 * So each statement text is prepared once and kept, and a closed database is kept too: an instance
 * holds one database and the bounded set of statement texts its configuration renders.
 */
const retained = new Set<object>();

/** Statement texts kept per database; past it (a configuration rendering unbounded texts) a statement is left to the collector. */
const MAX_KEPT_STATEMENTS = 10_000;

/**
 * SQLite through `better-sqlite3`, statements rendered by drizzle's SQLite dialect. One connection serves the
 * instance, so statements are queued: a batch transaction holds the queue until it ends, and no
 * other session's statement can slip into it.
 */
export async function createSqliteDialect(options: ConnectionOptions): Promise<Dialect> {
  const file = sqliteFile(options);
  // Imported here for the reason given in mysql.ts: no host that does not use SQLite loads it.
  const { default: SqliteDatabase } = await import('better-sqlite3');
  let database: Database.Database;
  try {
    database = new SqliteDatabase(file, { fileMustExist: file !== ':memory:', timeout: options.statementTimeoutMs > 0 ? options.statementTimeoutMs : 2_147_483_647 });
  } catch (error) {
    throw new ConnectorError('connection-failed', `Cannot open the SQLite database ${file}: ${errorMessage(error)}`, { cause: error });
  }
  const statements = new Map<string, Database.Statement>();
  retained.add(database);
  retained.add(statements);
  const prepare = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = database.prepare(text);
      if (statements.size < MAX_KEPT_STATEMENTS) statements.set(text, statement);
    }
    return statement;
  };
  if (file !== ':memory:') applyDurability(database, prepare, file, options.sqlite);
  // Straight to better-sqlite3, as for PostgreSQL: drizzle's session adds nothing a raw statement needs.
  const direct: Executor = {
    all: async (query, values) => {
      const { text, params } = renderQuery(query, values);
      const statement = prepare(text);
      if (!statement.reader) return statement.all(...params) as Row[];
      // Rows come as arrays and become objects here: better-sqlite3 assigns each column to a plain
      // object, where a column named `__proto__` would set the row's prototype instead of a value.
      const names = statement.columns().map((c) => c.name);
      return (statement.raw(true).all(...params) as unknown[][]).map((cells) => Object.fromEntries(names.map((name, i) => [name, cells[i]])));
    },
    run: async (query, values) => {
      const { text, params } = renderQuery(query, values);
      const result = prepare(text).run(...params);
      return { affected: result.changes, insertId: Number(result.lastInsertRowid) };
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  return {
    name: 'sqlite',
    all: (query) => exclusive(() => direct.all(query)),
    run: (query) => exclusive(() => direct.run(query)),
    withConnection: (fn) => exclusive(() => fn(direct)),
    async columns(table: TableName): Promise<ColumnInfo[]> {
      const rows = await exclusive(() =>
        direct.all(
          table.schema === undefined
            ? sql`SELECT name, type, "notnull" AS nn, dflt_value AS def, pk, hidden FROM pragma_table_xinfo(${table.name})`
            : sql`SELECT name, type, "notnull" AS nn, dflt_value AS def, pk, hidden FROM pragma_table_xinfo(${table.name}, ${table.schema})`,
        ),
      );
      const keyColumns = rows.filter((r) => Number(r.pk) > 0);
      return rows.map((r) => {
        // INTEGER PRIMARY KEY is the rowid: SQLite assigns it on insert.
        const rowid = keyColumns.length === 1 && Number(r.pk) === 1 && String(r.type).toUpperCase() === 'INTEGER';
        return {
          name: String(r.name),
          dataType: String(r.type).toLowerCase(),
          nullable: Number(r.nn) === 0 && !rowid,
          hasDefault: r.def !== null || rowid || Number(r.hidden) > 1,
          generated: rowid,
        };
      });
    },
    watermarkQuery: "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')",
    transactions: standardTransactions,
    limit: standardLimit,
    insertReturning: standardInsertReturning,
    callRoutine(): Promise<SQL> {
      return Promise.reject(new ConnectorError('not-supported', 'SQLite has no stored procedures; use the table or statement method.'));
    },
    toDriver: toDriverCompact,
    formatDateTime: sqlDateTime,
    describeError: describe,
    async close() {
      await queue;
      database.close();
    },
  };
}
