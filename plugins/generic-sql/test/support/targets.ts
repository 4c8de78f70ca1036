import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParameterValues } from '@ecmahost/sdk';
import { secret } from '@ecmahost/sdk';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import * as tedious from 'tedious';
import type { Connection } from 'tedious';
import { execute, tediousConfig, type TediousModule } from '../../src/dialects/mssql-driver.js';
import { MSSQL_URL, MYSQL_URL, PG_URL, probe, type LiveServer } from './live.js';

/** The dialects whose servers run on this machine class: every shared suite runs on each. */
export type LocalDialect = 'postgresql' | 'mysql' | 'sqlite';
/** The dialects under test: the local ones, and SQL Server when `ECMAHOST_MSSQL_URL` names one. */
export type TestDialect = LocalDialect | 'mssql';

/**
 * Direct access to a test database, beside the connector: to create tables, write "behind the
 * host's back" and check what the connector stored. `?` placeholders in every dialect.
 */
export interface TestDatabase {
  dialect: TestDialect;
  /** The connector's values for this database (dialect and connection URL). */
  connection: ParameterValues;
  /** `schema.` for PostgreSQL (one schema per test), empty elsewhere. */
  prefix: string;
  /** A quoted identifier in this dialect. */
  id(name: string): string;
  query(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  exec(text: string): Promise<void>;
  /** Ends a connection the connector holds, as an admin killing a session would. */
  killOtherSessions(): Promise<void>;
  drop(): Promise<void>;
}

const unique = (): string => `gsql_${randomBytes(5).toString('hex')}`;

/** Probes PostgreSQL once per test file. */
export function probePg(): Promise<LiveServer> {
  return probe('PostgreSQL', PG_URL, async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
}

/** Probes MariaDB/MySQL once per test file. */
export function probeMysql(): Promise<LiveServer> {
  return probe('MariaDB/MySQL', MYSQL_URL, async () => {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await connection.end();
  });
}

/**
 * `ECMAHOST_MSSQL_URL` split as an admin configures it: the URL without its password, and the
 * password for the encrypted field.
 */
function mssqlTarget(url: string, appName?: string): { connectionUrl: string; password: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  if (appName !== undefined) parsed.searchParams.set('appName', appName);
  return { connectionUrl: parsed.toString(), password };
}

async function mssqlConnection(url: string): Promise<Connection> {
  const target = mssqlTarget(url);
  const connection = new tedious.Connection(tediousConfig({ url: target.connectionUrl, password: target.password, tls: 'required', poolSize: 1, statementTimeoutMs: 30_000, sqlite: { journalMode: 'wal', synchronous: 'full' } }));
  connection.on('error', () => {});
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  return connection;
}

/** Probes SQL Server once per test file, only when `ECMAHOST_MSSQL_URL` is set. */
export function probeMssql(): Promise<LiveServer> {
  const url = MSSQL_URL;
  if (url === undefined || url === '') {
    return Promise.resolve({ name: 'SQL Server', url: 'ECMAHOST_MSSQL_URL', available: false, optional: true, reason: 'ECMAHOST_MSSQL_URL is not set (no SQL Server runs on this machine class; mssql-statements.test.ts proves the dialect offline)' });
  }
  return probe('SQL Server', url, async () => {
    const connection = await mssqlConnection(url);
    connection.close();
  });
}

/** A schema of its own in the `ECMAHOST_MSSQL_URL` database, its tables dropped afterwards. */
async function mssqlDatabase(): Promise<TestDatabase> {
  const url = MSSQL_URL ?? '';
  const schema = unique();
  const connection = await mssqlConnection(url);
  const driver = tedious as unknown as TediousModule;
  const send = (text: string, params: readonly unknown[] = []) => {
    let n = 0;
    return execute(driver, connection, text.replace(/\?/g, () => `@p${String(n++)}`), params);
  };
  await send(`CREATE SCHEMA ${schema}`);
  const target = mssqlTarget(url, schema);
  return {
    dialect: 'mssql',
    // The application name tags the connector's sessions, so a test kills only its own.
    connection: { dialect: 'mssql', connectionUrl: target.connectionUrl, password: secret(target.password) },
    prefix: `${schema}.`,
    id: (name) => `[${name}]`,
    async query(text, params = []) {
      return (await send(text, params)).rows;
    },
    async exec(text) {
      await send(text);
    },
    async killOtherSessions() {
      const { rows } = await send('SELECT session_id AS id FROM sys.dm_exec_sessions WHERE program_name = ? AND session_id <> @@SPID', [schema]);
      for (const row of rows) await send(`KILL ${String(Number(row.id))}`);
    },
    async drop() {
      // Tables (their triggers with them) then procedures, then the schema itself.
      const { rows } = await send("SELECT name, type FROM sys.objects WHERE schema_id = SCHEMA_ID(?) AND type IN ('U', 'P', 'V') ORDER BY CASE type WHEN 'U' THEN 1 ELSE 0 END", [schema]);
      for (const row of rows) {
        const kind = String(row.type).trim() === 'U' ? 'TABLE' : String(row.type).trim() === 'V' ? 'VIEW' : 'PROCEDURE';
        await send(`DROP ${kind} [${schema}].[${String(row.name).replace(/]/g, ']]')}]`);
      }
      await send(`DROP SCHEMA ${schema}`);
      connection.close();
    },
  };
}

async function pgDatabase(): Promise<TestDatabase> {
  const schema = unique();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  client.on('error', () => {});
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  const toDollar = (text: string): string => {
    let n = 0;
    return text.replace(/\?/g, () => `$${String(++n)}`);
  };
  return {
    dialect: 'postgresql',
    // The application name tags the connector's sessions, so a test kills only its own.
    connection: { dialect: 'postgresql', connectionUrl: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${schema}` },
    prefix: `${schema}.`,
    id: (name) => `"${name}"`,
    async query(text, params = []) {
      return (await client.query(toDollar(text), [...params])).rows as Record<string, unknown>[];
    },
    async exec(text) {
      await client.query(text);
    },
    async killOtherSessions() {
      // pg_stat_activity is a snapshot for the rest of a transaction: take a fresh one.
      await client.query('SELECT pg_stat_clear_snapshot()');
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [schema]);
    },
    async drop() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

async function mysqlDatabase(): Promise<TestDatabase> {
  const name = unique();
  const admin = await mysql.createConnection({ uri: MYSQL_URL });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`USE ${name}`);
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  return {
    dialect: 'mysql',
    connection: { dialect: 'mariadb', connectionUrl: url.toString() },
    prefix: '',
    id: (n) => `\`${n}\``,
    async query(text, params = []) {
      const [rows] = await admin.query(text, [...params]);
      return rows as Record<string, unknown>[];
    },
    async exec(text) {
      await admin.query(text);
    },
    async killOtherSessions() {
      const [rows] = await admin.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [name]);
      for (const row of rows as { id: number }[]) await admin.query(`KILL ${String(row.id)}`);
    },
    async drop() {
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    },
  };
}

/**
 * Every better-sqlite3 object a test opens stays reachable until the test process exits: on Node
 * 24.19+ better-sqlite3 12 aborts the process when a garbage collection outside JavaScript
 * finalises a database or statement (see `retained` in src/dialects/sqlite.ts). A test process
 * opens a bounded number of them.
 */
const retainedSqlite = new Set<object>();

function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-gsql-'));
  const file = path.join(dir, 'test.db');
  const db = new Database(file);
  retainedSqlite.add(db);
  // One statement per text, kept (the fuzz suites send thousands of queries).
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      statements.set(text, statement);
      retainedSqlite.add(statement);
    }
    return statement;
  };
  return {
    dialect: 'sqlite',
    connection: { dialect: 'sqlite', connectionUrl: file },
    prefix: '',
    id: (n) => `"${n}"`,
    async query(text, params = []) {
      const statement = prepare(text);
      const bound = params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
      return statement.reader ? (statement.all(...bound) as Record<string, unknown>[]) : (statement.run(...bound), []);
    },
    async exec(text) {
      db.exec(text);
    },
    async killOtherSessions() {
      throw new Error('SQLite has no server sessions to kill');
    },
    async drop() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh, empty database (PostgreSQL or SQL Server schema, MariaDB database, SQLite file) for one test. */
export function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === 'postgresql') return pgDatabase();
  if (dialect === 'mysql') return mysqlDatabase();
  if (dialect === 'mssql') return mssqlDatabase();
  return Promise.resolve(sqliteDatabase());
}
