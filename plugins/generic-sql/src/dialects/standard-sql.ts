import { sql, type SQL } from 'drizzle-orm';
import type { TransactionStatements } from './dialect.js';

/** BEGIN, SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO SAVEPOINT, COMMIT: the same in PostgreSQL, MySQL and SQLite. */
export const standardTransactions: TransactionStatements = {
  begin: sql`BEGIN`,
  savepoint: (name) => sql`SAVEPOINT ${sql.identifier(name)}`,
  release: (name) => sql`RELEASE SAVEPOINT ${sql.identifier(name)}`,
  rollbackTo: (name) => sql`ROLLBACK TO SAVEPOINT ${sql.identifier(name)}`,
  commit: sql`COMMIT`,
  rollback: sql`ROLLBACK`,
};

/**
 * `LIMIT n` as a literal. Our own whole number: MySQL's prepared statements send numbers as doubles,
 * which MySQL 8 refuses in LIMIT, so it is not a parameter.
 */
export function standardLimit(count: number): SQL {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`a row limit must be a positive whole number, not ${String(count)}`);
  return sql.raw(`LIMIT ${String(count)}`);
}

/** `INSERT INTO t (…) VALUES (…) RETURNING …`, as PostgreSQL and SQLite write it. */
export function standardInsertReturning(table: SQL, columns: readonly SQL[], values: readonly SQL[], returned: readonly string[]): SQL {
  return sql`INSERT INTO ${table} (${sql.join([...columns], sql`, `)}) VALUES (${sql.join([...values], sql`, `)}) RETURNING ${sql.join(
    returned.map((c) => sql.identifier(c)),
    sql`, `,
  )}`;
}
