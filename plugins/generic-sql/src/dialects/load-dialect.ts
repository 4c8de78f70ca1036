import type { ConnectionOptions, Dialect, DialectName } from './dialect.js';

/**
 * Opens the dialect for a configuration. Drivers load on demand, so an SQLite instance never loads
 * `pg`, `mysql2` or `tedious` (nor a PostgreSQL instance the native SQLite module).
 */
export async function loadDialect(name: DialectName, options: ConnectionOptions): Promise<Dialect> {
  switch (name) {
    case 'postgresql':
      return (await import('./pg.js')).createPgDialect(options);
    case 'mysql':
      return (await import('./mysql.js')).createMysqlDialect(options);
    case 'sqlite':
      return (await import('./sqlite.js')).createSqliteDialect(options);
    case 'mssql':
      return (await import('./mssql.js')).createMssqlDialect(options);
  }
}
