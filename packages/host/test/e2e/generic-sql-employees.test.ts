// Microsoft's Employees tutorial end to end: Entra's SCIM requests through the host's routes, the
// Generic SQL connector loaded by package name as an admin installs it, and the rows checked
// directly in PostgreSQL, MariaDB and an SQLite file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteFile } from '../fixtures/sqlite-file.js';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorInstanceConfig } from '../../src/config/connector-config.js';
import { createHost, type Host } from '../../src/host.js';
import { scimRequest } from '../fixtures/fixture-host.js';
import { employeesInstanceConfig } from '../fixtures/sql-instance.js';

const PG_URL = process.env.ECMAHOST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.ECMAHOST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REQUIRE_LIVE = process.env.ECMAHOST_REQUIRE_LIVE === '1';
const TOKEN = 'generic-sql-e2e-token-0123456789';
const BASE = '/ecma2host_GenericSQL/scim';
const HOST_DIR = fileURLToPath(new URL('../..', import.meta.url));

type Dialect = 'postgresql' | 'mysql' | 'sqlite';

/** A fresh database holding the tutorial's Employees table, with direct access for checks. */
interface EmployeesDb {
  parameters: Record<string, string>;
  /** `?` placeholders in every dialect. */
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A quoted column or table name. */
  id(name: string): string;
  drop(): Promise<void>;
}

const unique = (): string => `gsql_e2e_${randomBytes(5).toString('hex')}`;

async function reachable(dialect: Dialect): Promise<string | undefined> {
  try {
    if (dialect === 'postgresql') {
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
      await client.connect();
      await client.end();
    } else if (dialect === 'mysql') {
      await (await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 })).end();
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function employeesDb(dialect: Dialect): Promise<EmployeesDb> {
  if (dialect === 'postgresql') {
    const schema = unique();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};
      CREATE TABLE "Employees" ("ContosoLogin" varchar(100) PRIMARY KEY, "FirstName" varchar(100) NOT NULL, "LastName" varchar(100) NOT NULL,
        "Email" varchar(200), "InternalGUID" uuid DEFAULT gen_random_uuid(), "AzureID" varchar(100), "textID" varchar(100), "IsActive" boolean,
        "LastModified" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    return {
      parameters: { dialect: 'postgresql', connectionUrl: PG_URL, table: `${schema}.Employees` },
      query: async (text, params = []) => {
        let n = 0;
        return (await client.query(text.replace(/\?/g, () => `$${String(++n)}`), params)).rows as Record<string, unknown>[];
      },
      id: (name) => `"${name}"`,
      drop: async () => {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  }
  if (dialect === 'mysql') {
    const name = unique();
    const admin = await mysql.createConnection({ uri: MYSQL_URL });
    // The connector reads and writes datetimes in UTC; so must a writer behind its back.
    await admin.query("SET time_zone = '+00:00'");
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`USE ${name}`);
    await admin.query(`CREATE TABLE Employees (ContosoLogin varchar(100) PRIMARY KEY, FirstName varchar(100) NOT NULL, LastName varchar(100) NOT NULL,
      Email varchar(200), InternalGUID varchar(36) DEFAULT (UUID()), AzureID varchar(100), textID varchar(100), IsActive boolean,
      LastModified datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))`);
    const url = new URL(MYSQL_URL);
    url.pathname = `/${name}`;
    return {
      parameters: { dialect: 'mariadb', connectionUrl: url.toString(), table: 'Employees' },
      query: async (text, params = []) => (await admin.query(text, params))[0] as Record<string, unknown>[],
      id: (n) => `\`${n}\``,
      drop: async () => {
        await admin.query(`DROP DATABASE ${name}`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-gsql-e2e-'));
  const file = path.join(dir, 'employees.db');
  const db = openSqliteFile(file);
  db.exec(`CREATE TABLE Employees (ContosoLogin TEXT PRIMARY KEY, FirstName TEXT NOT NULL, LastName TEXT NOT NULL, Email TEXT,
    InternalGUID TEXT DEFAULT (lower(hex(randomblob(16)))), AzureID TEXT, textID TEXT, IsActive BOOLEAN,
    LastModified DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')))`);
  return {
    parameters: { dialect: 'sqlite', connectionUrl: file, table: 'Employees' },
    query: async (text, params = []) => {
      const statement = db.prepare(text);
      return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
    },
    id: (n) => `"${n}"`,
    drop: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The tutorial's connector instance: ContosoLogin anchor, autogenerated DN, IsActive for disable, watermark delta. */
function employeesConfig(connection: Record<string, string>): ConnectorInstanceConfig {
  return employeesInstanceConfig({ name: 'GenericSQL', token: TOKEN, connection });
}

/**
 * Connection parameters that cannot work, and the start of the connector's message about them:
 * nothing listens (PostgreSQL), a wrong user and password (MariaDB), a file in a missing folder (SQLite).
 */
function unusable(dialect: Dialect, parameters: Record<string, string>): { parameters: Record<string, string>; message: string } {
  if (dialect === 'postgresql') return { parameters: { ...parameters, connectionUrl: 'postgres://postgres@127.0.0.1:1/test' }, message: 'Schema discovery failed: connect ECONNREFUSED 127.0.0.1:1' };
  if (dialect === 'mysql') {
    const url = new URL(parameters.connectionUrl!);
    url.username = 'ecmahost_nobody';
    url.password = 'wrong-password';
    return { parameters: { ...parameters, connectionUrl: url.toString() }, message: "The database refused the user name or password: Access denied for user 'ecmahost_nobody'" };
  }
  return { parameters: { ...parameters, connectionUrl: path.join(tmpdir(), unique(), 'missing', 'employees.db') }, message: 'Cannot open the SQLite database' };
}

const labels: Record<Dialect, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' };

for (const dialect of ['sqlite', 'postgresql', 'mysql'] as const) {
  const down = await reachable(dialect);
  const title = `Employees tutorial through SCIM on ${labels[dialect]}`;
  if (down !== undefined && !REQUIRE_LIVE) {
    console.warn(`skipped: ${title}: ${labels[dialect]} is not reachable (${down})`);
    describe.skip(`${title} (skipped: ${labels[dialect]} is not reachable: ${down})`, () => {
      it('runs the tutorial', () => {});
    });
    continue;
  }
  describe(title, () => {
    let db: EmployeesDb;
    let host: Host;
    const request = (url: string, init: RequestInit = {}): Promise<Response> => scimRequest(host, TOKEN, url, init);
    const row = async (login: string): Promise<Record<string, unknown> | undefined> =>
      (await db.query(`SELECT ${['FirstName', 'LastName', 'Email', 'AzureID', 'IsActive'].map((c) => db.id(c)).join(', ')} FROM ${db.id('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, [login]))[0];
    const count = async (login: string): Promise<number> =>
      ((await (await request(`${BASE}/Users?filter=${encodeURIComponent(`userName eq ${JSON.stringify(login)}`)}`)).json()) as { totalResults: number }).totalResults;

    beforeEach(async () => {
      if (down !== undefined) throw new Error(`${labels[dialect]} is not reachable (${down}), and ECMAHOST_REQUIRE_LIVE=1 requires it`);
      db = await employeesDb(dialect);
      host = createHost({ connectors: [employeesConfig(db.parameters)], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR });
      await host.start();
      await host.runImport('GenericSQL');
    });
    afterEach(async () => {
      await host?.stop();
      await db?.drop();
    });

    it('creates, changes, disables and deletes the row; sees rows added and removed behind its back', async () => {
      const created = await request(`${BASE}/Users`, {
        method: 'POST',
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'ljacobson',
          externalId: 'b1f9a6c2-0000-4000-8000-000000000001',
          active: true,
          name: { givenName: 'Lee', familyName: "O'Jacobson; --" },
          emails: [{ type: 'work', value: 'ljacobson@contoso.com', primary: true }],
        }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(await row('ljacobson')).toEqual({
        FirstName: 'Lee',
        LastName: "O'Jacobson; --",
        Email: 'ljacobson@contoso.com',
        AzureID: 'b1f9a6c2-0000-4000-8000-000000000001',
        IsActive: dialect === 'postgresql' ? true : 1,
      });

      // Filter values never reach SQL (lookups are answered from the cache), and hostile ones match nothing.
      for (const hostile of ["ljacobson' OR '1'='1", 'ljacobson"; DROP TABLE Employees; --', 'ljacobson\u0000']) {
        expect(await count(hostile)).toBe(0);
      }
      expect(await count('ljacobson')).toBe(1);
      expect(await row('ljacobson')).toBeDefined();

      const patched = await request(`${BASE}/Users/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'name.givenName', value: 'Lisa' }] }),
      });
      expect(patched.status).toBe(200);
      expect((await row('ljacobson'))?.FirstName).toBe('Lisa');

      const disabled = await request(`${BASE}/Users/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }),
      });
      expect(disabled.status).toBe(200);
      expect((await row('ljacobson'))?.IsActive).toBe(dialect === 'postgresql' ? false : 0);

      const deleted = await request(`${BASE}/Users/${id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect(await row('ljacobson')).toBeUndefined();
      expect((await request(`${BASE}/Users/${id}`)).status).toBe(404);

      await db.query(`INSERT INTO ${db.id('Employees')} (${db.id('ContosoLogin')}, ${db.id('FirstName')}, ${db.id('LastName')}) VALUES (?, ?, ?)`, ['behind', 'Be', 'Hind']);
      expect(await count('behind')).toBe(0);
      const delta = await host.runImport('GenericSQL', { delta: true });
      expect(delta.type).toBe('delta');
      expect(await count('behind')).toBe(1);

      await db.query(`DELETE FROM ${db.id('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, ['behind']);
      // A watermark never sees a delete (documented); the next full import drops the row.
      await host.runImport('GenericSQL');
      expect(await count('behind')).toBe(0);
    });

    it('refuses a configuration change that cannot open, with the connector\'s message, and the old instance keeps serving', async () => {
      const created = await request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'kept', name: { givenName: 'Kay', familyName: 'Ept' } }) });
      expect(created.status).toBe(201);
      const config = employeesConfig(db.parameters);
      const broken = unusable(dialect, db.parameters);
      await expect(host.replaceConnector({ ...config, parameters: { ...config.parameters, ...broken.parameters } })).rejects.toThrow(broken.message);
      const found = await request(`${BASE}/Users?filter=${encodeURIComponent('userName eq "kept"')}`);
      expect(found.status).toBe(200);
      expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'kept', name: { givenName: 'Kay', familyName: 'Ept' } }] });
      expect(host.connectorStatus('GenericSQL')).toMatchObject({ state: 'ready', cacheSize: 1 });
      // The old instance still writes to the database too.
      const patched = await request(`${BASE}/Users/${((await created.json()) as { id: string }).id}`, {
        method: 'PATCH',
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'name.givenName', value: 'Kai' }] }),
      });
      expect(patched.status).toBe(200);
      expect((await row('kept'))?.FirstName).toBe('Kai');
    });
  });
}
