import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParameterValues } from '@ecmahost/sdk';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { MYSQL_URL, PG_URL, probe, type LiveServer } from './live.js';

/** The dialects under test. */
export type TestDialect = 'postgresql' | 'mysql' | 'sqlite';

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

function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-gsql-'));
  const file = path.join(dir, 'test.db');
  const db = new Database(file);
  return {
    dialect: 'sqlite',
    connection: { dialect: 'sqlite', connectionUrl: file },
    prefix: '',
    id: (n) => `"${n}"`,
    async query(text, params = []) {
      const statement = db.prepare(text);
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

/** A fresh, empty database (PostgreSQL schema, MariaDB database, SQLite file) for one test. */
export function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === 'postgresql') return pgDatabase();
  if (dialect === 'mysql') return mysqlDatabase();
  return Promise.resolve(sqliteDatabase());
}
