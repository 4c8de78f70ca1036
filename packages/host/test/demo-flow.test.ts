import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openSqliteFile } from './fixtures/sqlite-file.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, DEMO, ensureBuilt, cleanEnv, cli, httpsRequest, tempDir } from './cli-harness.js';

const SQL_DIST = path.join(path.dirname(DEMO), '..', '..', '..', 'plugins', 'generic-sql', 'dist', 'index.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function hasCurl(): Promise<boolean> {
  return new Promise((resolve) => execFile('curl', ['--version'], (error) => resolve(!error)));
}

interface Demo {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts the built demo (`npm start` runs exactly `node dist/demo.js` after building) and waits for its instructions. */
async function startDemo(env: NodeJS.ProcessEnv): Promise<Demo> {
  const child = spawn(process.execPath, [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Stop with Ctrl+C')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the demo did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('npm start demo: GenericSQL over SQLite (built)', () => {
  beforeAll(async () => {
    await ensureBuilt();
    if (!existsSync(SQL_DIST)) throw new Error(`${SQL_DIST} is missing: the demo loads the built generic SQL connector (npx turbo run build --filter=@ecmahost/host...)`);
  }, BUILD_TIMEOUT_MS);
  let dir: string;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let demo: Demo;
  let port: number;
  let token: string;
  let ca: string;
  let tenant: string;
  const database = () => path.join(dataDir, 'demo', 'contoso.db');
  const scim = (pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => httpsRequest(`${tenant}${pathAndQuery}`, { ca, token, ...options });
  const row = (login: string) => {
    const db = openSqliteFile(database(), { readonly: true });
    try {
      return db.prepare('SELECT * FROM Employees WHERE ContosoLogin = ?').get(login) as Record<string, unknown> | undefined;
    } finally {
      db.close();
    }
  };
  /** Opens the file read-write, as an admin's tool would after a crash (a read-only connection cannot recover a WAL). */
  const withDatabase = <T>(fn: (db: Database.Database) => T): T => {
    const db = openSqliteFile(database());
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const filter = (login: string) => `/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`;
  /** The filter answer for one user; the start-up import fills the cache from the table, so retry while it runs. */
  const findAfterRestart = async (login: string): Promise<unknown> => {
    let answer: unknown;
    for (let i = 0; i < 50; i++) {
      const res = await scim(filter(login));
      answer = res.status === 200 ? res.json() : undefined;
      if ((answer as { totalResults?: number } | undefined)?.totalResults === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return answer;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('ecmahost-demo-'));
    dataDir = path.join(dir, 'data');
    port = await freePort();
    env = cleanEnv({ ECMAHOST_DATA_DIR: dataDir, ECMAHOST_PORT: String(port), ECMAHOST_LOG_LEVEL: 'warn' });
    demo = await startDemo(env);
    token = /Secret token: {2}(\S+)/.exec(demo.output())?.[1] ?? '';
    tenant = `https://localhost:${port}/ecma2host_GenericSQL/scim`;
    ca = await readFile(path.join(dataDir, 'tls', 'self-signed.crt'), 'utf8');
  });
  afterAll(async () => {
    await demo?.stop();
    await cleanup();
  });

  it('prints the tenant URL, a generated token and a curl command that answers 200', async () => {
    expect(demo.output()).toContain(`Tenant URL:    ${tenant}`);
    expect(token.length).toBeGreaterThanOrEqual(12);
    const curlLine = demo.output().split('\n').find((l) => l.trim().startsWith('curl -k') && l.includes('/Users?filter='));
    expect(curlLine).toContain(`-H "Authorization: Bearer ${token}"`);
    expect(existsSync(database())).toBe(true);
    if (await hasCurl()) {
      const code = await new Promise<string>((resolve, reject) =>
        execFile('sh', ['-c', `${curlLine?.trim() ?? ''} -s -o /dev/null -w '%{http_code}'`], (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
      expect(code).toBe('200');
    } else {
      const query = /'https:\/\/[^']+(\/Users\?[^']+)'/.exec(curlLine ?? '')?.[1] ?? '';
      expect((await scim(query)).status).toBe(200);
    }
  });

  it('creates, finds, updates, disables and deletes a user, each visible in the Employees table', async () => {
    const created = await scim('/Users', {
      method: 'POST',
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User'],
        userName: 'adele',
        name: { givenName: 'Adele', familyName: 'Vance' },
        emails: [{ type: 'work', value: 'adele@contoso.com' }],
        active: true,
        'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User': { InternalGUID: 'guid-1', AzureID: 'azure-1', textID: 'AV' },
      },
    });
    expect(created.status, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect(row('adele')).toMatchObject({ FirstName: 'Adele', LastName: 'Vance', Email: 'adele@contoso.com', InternalGUID: 'guid-1', AzureID: 'azure-1', textID: 'AV', IsActive: 1 });

    const found = await scim(filter('adele'));
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id, userName: 'adele', active: true }] });

    const patchOp = (operations: unknown[]) => ({ method: 'PATCH', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations } });
    const updated = await scim(`/Users/${id}`, patchOp([{ op: 'Replace', path: 'name.givenName', value: 'Adèle' }]));
    expect(updated.status, updated.body).toBe(200);
    expect(row('adele')?.FirstName).toBe('Adèle');

    const disabled = await scim(`/Users/${id}`, patchOp([{ op: 'Replace', path: 'active', value: false }]));
    expect(disabled.status, disabled.body).toBe(200);
    expect(row('adele')?.IsActive).toBe(0);
    expect((await scim(`/Users/${id}`)).json()).toMatchObject({ active: false });

    const deleted = await scim(`/Users/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(row('adele')).toBeUndefined();
    expect((await scim(filter('adele'))).json()).toMatchObject({ totalResults: 0 });
  });

  it('keeps users across a restart, with the same token, which it does not print again', async () => {
    const created = await scim('/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bianca', name: { givenName: 'Bianca' }, active: true } });
    expect(created.status, created.body).toBe(201);
    expect(await demo.stop()).toBe(0);
    demo = await startDemo(env);
    expect(demo.output()).toContain('Secret token:  printed at the first start only;');
    expect(demo.output()).not.toContain(token);
    expect(await findAfterRestart('bianca')).toMatchObject({ totalResults: 1, Resources: [{ userName: 'bianca', name: { givenName: 'Bianca' } }] });
  });

  it('a row inserted straight into the database appears after ecmahost connector import GenericSQL', async () => {
    const db = openSqliteFile(database());
    try {
      db.prepare('INSERT INTO Employees (ContosoLogin, FirstName, LastName, Email, IsActive) VALUES (?, ?, ?, ?, 1)').run('carlos', 'Carlos', 'Slattery', 'carlos@contoso.com');
    } finally {
      db.close();
    }
    expect((await scim(filter('carlos'))).json()).toMatchObject({ totalResults: 0 });
    const result = await cli(['connector', 'import', 'GenericSQL'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Full import of GenericSQL by the running host');
    expect((await scim(filter('carlos'))).json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'carlos', emails: [{ value: 'carlos@contoso.com' }] }] });
  });

  it('runs its database in WAL mode, and a user acknowledged with 201 survives kill -9 of the host', async () => {
    expect(withDatabase((db) => db.prepare('PRAGMA journal_mode').pluck().get())).toBe('wal');
    const created = await scim('/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'dmitri', name: { givenName: 'Dmitri', familyName: 'Ivanov' }, active: true } });
    expect(created.status, created.body).toBe(201);
    demo.child.kill('SIGKILL');
    expect(await demo.stop()).toBeNull();
    // On disk before the host runs again: the commit was in the write-ahead log when 201 went out.
    expect(withDatabase((db) => db.prepare('SELECT FirstName, LastName FROM Employees WHERE ContosoLogin = ?').get('dmitri'))).toEqual({ FirstName: 'Dmitri', LastName: 'Ivanov' });
    demo = await startDemo(env);
    expect(await findAfterRestart('dmitri')).toMatchObject({ totalResults: 1, Resources: [{ userName: 'dmitri', name: { givenName: 'Dmitri', familyName: 'Ivanov' } }] });
  });

  it('ECMAHOST_DEMO_TOKEN replaces the token', async () => {
    expect(await demo.stop()).toBe(0);
    const own = 'my-demo-token-2026-of-32-characters';
    demo = await startDemo({ ...env, ECMAHOST_DEMO_TOKEN: own });
    expect(demo.output()).toContain('Secret token:  the value of ECMAHOST_DEMO_TOKEN');
    expect(demo.output()).not.toContain(own);
    expect((await httpsRequest(`${tenant}${filter('bianca')}`, { ca, token: own })).status).toBe(200);
    expect((await scim(filter('bianca'))).status).toBe(401);
  });
});
