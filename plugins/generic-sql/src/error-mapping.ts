import type { EntryError } from '@ecmahost/sdk';
import type { DbError } from './dialects/dialect.js';

/** A failure of one entry found before or without the database (unknown attribute, no such row). */
export class EntryProblem extends Error {
  readonly entryError: EntryError;
  constructor(entryError: EntryError) {
    super(entryError.message);
    this.name = 'EntryProblem';
    this.entryError = entryError;
  }
}

/** Whether a database error means the connection or transaction itself is gone. */
export function losesConnection(error: DbError): boolean {
  return error.kind === 'connection-lost' || error.kind === 'unreachable';
}

/**
 * The per-entry result of a database error (ECMA2 `MAExportError`), with the server's own message
 * and, where the server names it, the column:
 * unique → existing object; NOT NULL, check, foreign key, bad value → syntax violation;
 * lost connection, timeout, lock conflict → retryable connected-directory error.
 */
export function entryErrorOf(error: DbError): EntryError {
  const withColumn = (e: EntryError): EntryError => (error.column === undefined ? e : { ...e, attribute: error.column });
  switch (error.kind) {
    case 'unique':
      return withColumn({ code: 'existing-object', message: error.message });
    case 'not-null':
    case 'check':
    case 'foreign-key':
    case 'value':
      return withColumn({ code: 'syntax-violation', message: error.column === undefined || error.message.includes(error.column) ? error.message : `${error.column}: ${error.message}` });
    case 'permission':
      return { code: 'permission-issue', message: error.message };
    case 'connection-lost':
    case 'unreachable':
    case 'timeout':
    case 'busy':
      return { code: 'connected-directory-error', message: error.message, retryable: true };
    case 'authentication':
    case 'unknown-database':
    case 'tls':
    case 'other':
      return { code: 'connected-directory-error', message: error.message };
  }
}
