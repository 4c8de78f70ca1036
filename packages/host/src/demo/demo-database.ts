import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OpsError } from '../store/errors.js';
import { DATA_DIR_MODE } from '../store/files.js';

/**
 * The `Employees` table of Microsoft's Generic SQL tutorial ("Configure Microsoft Entra ID to
 * provision users into a SQL based application"), in SQLite, plus the `IsActive` flag the disable
 * flow sets from SCIM `active`.
 */
export const EMPLOYEES_DDL = `CREATE TABLE IF NOT EXISTS Employees (
  ContosoLogin TEXT NOT NULL PRIMARY KEY,
  FirstName TEXT,
  LastName TEXT,
  Email TEXT,
  InternalGUID TEXT,
  AzureID TEXT,
  textID TEXT,
  IsActive BOOLEAN NOT NULL DEFAULT 1
)`;

// A Set, not an array: the bundler drops pushes to an array nothing reads, and with them the references.
const keptDatabases = new Set<object>();

/**
 * Creates the demo database file with its table when it does not exist yet; an existing file is
 * left as it is, so the demo keeps its users across restarts. better-sqlite3 is loaded only here:
 * the host never needs a database driver itself.
 */
export async function ensureDemoDatabase(file: string): Promise<{ created: boolean }> {
  const created = !existsSync(file);
  mkdirSync(path.dirname(file), { recursive: true, mode: DATA_DIR_MODE });
  let Database: typeof import('better-sqlite3');
  try {
    Database = (await import('better-sqlite3')).default;
  } catch (error) {
    throw new OpsError('connector-load-failed', `the demo needs better-sqlite3 (installed with the repository's devDependencies: run "npm install"): ${(error as Error).message}`, { cause: error });
  }
  const db = new Database(file);
  // Kept reachable after close: better-sqlite3 12 aborts the process on Node 24.19+ when an idle-time
  // garbage collection finalises one of its objects (see plugins/generic-sql/src/dialects/sqlite.ts).
  keptDatabases.add(db);
  try {
    // WAL is a property of the file: set here so a fresh demo database starts in it (the connector
    // sets it again on open, which also converts a demo database made before WAL was the default).
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(EMPLOYEES_DDL);
  } finally {
    db.close();
  }
  return { created };
}
