import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OpsError } from '../store/errors.js';
import { DATA_DIR_MODE } from '../store/files.js';

/**
 * Also the column added to an `Employees` table made by a demo before groups: SQLite's ADD COLUMN
 * accepts a REFERENCES clause when the column's default is NULL.
 */
const MANAGER_COLUMN = 'Manager TEXT REFERENCES Employees (ContosoLogin) ON DELETE SET NULL';

/**
 * The `Employees` table of Microsoft's Generic SQL tutorial ("Configure Microsoft Entra ID to
 * provision users into a SQL based application"), in SQLite, plus the `IsActive` flag the disable
 * flow sets from SCIM `active` and the `Manager` the enterprise extension's `manager` lands in.
 */
export const EMPLOYEES_DDL = `CREATE TABLE IF NOT EXISTS Employees (
  ContosoLogin TEXT NOT NULL PRIMARY KEY,
  FirstName TEXT,
  LastName TEXT,
  Email TEXT,
  InternalGUID TEXT,
  AzureID TEXT,
  textID TEXT,
  IsActive BOOLEAN NOT NULL DEFAULT 1,
  ${MANAGER_COLUMN}
)`;

/**
 * The groups Entra provisions (keyed by the group's Entra objectId, which Entra sends as
 * `externalId`; `DisplayName` unique because Entra matches groups on it) and one row per
 * membership, so that adding or removing a member is one INSERT or DELETE. The foreign keys make
 * SQLite refuse a member or manager that is no employee, and drop memberships with their group or
 * employee; the connector turns on `PRAGMA foreign_keys` on its connections.
 */
export const GROUPS_DDL = `CREATE TABLE IF NOT EXISTS Groups (
  GroupId TEXT NOT NULL PRIMARY KEY,
  DisplayName TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS GroupMembers (
  GroupId TEXT NOT NULL REFERENCES Groups (GroupId) ON DELETE CASCADE,
  MemberId TEXT NOT NULL REFERENCES Employees (ContosoLogin) ON DELETE CASCADE,
  PRIMARY KEY (GroupId, MemberId)
)`;

// A Set, not an array: the bundler drops pushes to an array nothing reads, and with them the references.
const keptSqliteObjects = new Set<object>();

/**
 * Creates the demo database file with its tables when it does not exist yet. An existing file
 * keeps its rows, so the demo keeps its users across restarts; what a newer demo serves and an
 * older file lacks (the `Manager` column, the groups tables) is added to it. better-sqlite3 is loaded only here:
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
  keptSqliteObjects.add(db);
  try {
    // WAL is a property of the file: set here so a fresh demo database starts in it (the connector
    // sets it again on open, which also converts a demo database made before WAL was the default).
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(EMPLOYEES_DDL);
    const columnsOf = db.prepare('SELECT name FROM pragma_table_info(?)').pluck();
    // Kept for the same reason as the database.
    keptSqliteObjects.add(columnsOf);
    const columns = columnsOf.all('Employees');
    if (!columns.includes('Manager')) db.exec(`ALTER TABLE Employees ADD COLUMN ${MANAGER_COLUMN}`);
    db.exec(GROUPS_DDL);
  } finally {
    db.close();
  }
  return { created };
}
