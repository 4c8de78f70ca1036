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
  /** What the first start printed: the only output with the token in its curl lines. */
  let firstOutput: string;
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
  /** The Groups rows and the membership rows (as `GroupId:MemberId`), read from the file as an admin would. */
  const groupRows = () => {
    const db = openSqliteFile(database(), { readonly: true });
    try {
      return {
        groups: db.prepare('SELECT GroupId, DisplayName FROM Groups ORDER BY GroupId').all(),
        members: (db.prepare('SELECT GroupId, MemberId FROM GroupMembers ORDER BY GroupId, MemberId').all() as { GroupId: string; MemberId: string }[]).map((r) => `${r.GroupId}:${r.MemberId}`),
      };
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
    firstOutput = demo.output();
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

  it('prints group lines that, pasted after the user line, make a group with alice in it and bob as her manager', async () => {
    const lines = firstOutput
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('curl -k') && !l.includes('/Users?filter='));
    expect(lines.map((l) => /-X (\w+) '[^']+\/(Users|Groups)/.exec(l)?.slice(1).join(' ') ?? `GET ${/\/(Groups)\//.exec(l)?.[1]}`)).toEqual([
      'POST Users',
      'POST Users',
      'POST Groups',
      'PATCH Groups',
      'PATCH Users',
      'GET Groups',
    ]);
    const run = async (line: string): Promise<{ code: string; body: string }> => {
      if (await hasCurl()) {
        const out = await new Promise<string>((resolve, reject) => execFile('sh', ['-c', `${line} -s -w '\n%{http_code}'`], (error, stdout) => (error ? reject(error) : resolve(stdout))));
        const at = out.lastIndexOf('\n');
        return { code: out.slice(at + 1), body: out.slice(0, at) };
      }
      // Without curl, the same request from the printed line's method, URL and body.
      const method = /-X (\w+)/.exec(line)?.[1] ?? 'GET';
      const url = /'(https:\/\/[^']+)'/.exec(line)?.[1] ?? '';
      const body = / -d '(.*)'$/.exec(line)?.[1];
      const res = await httpsRequest(url, { ca, token, method, ...(body === undefined ? {} : { body: JSON.parse(body) as unknown }) });
      return { code: String(res.status), body: res.body };
    };
    const answers = [];
    for (const line of lines) answers.push(await run(line));
    expect(answers.map((a) => a.code)).toEqual(['201', '201', '201', '204', '200', '200']);
    expect(JSON.parse(answers[5]!.body)).toMatchObject({ displayName: 'Sales', externalId: 'sales-0001', members: [{ value: JSON.parse(answers[0]!.body).id }] });
    expect(groupRows()).toEqual({ groups: [{ GroupId: 'sales-0001', DisplayName: 'Sales' }], members: ['sales-0001:alice'] });
    expect(row('alice')?.Manager).toBe('bob');
    // The next test replays Entra on a table of its own groups.
    expect((await scim(`/Groups/${JSON.parse(answers[2]!.body).id}`, { method: 'DELETE' })).status).toBe(204);
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

  it('replays Entra\'s group flow (G1–G7), the manager PATCH and the manager check over HTTPS, and keeps groups, members and managers across a restart', async () => {
    const user = async (userName: string): Promise<string> => {
      const res = await scim('/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName: userName }, active: true } });
      expect(res.status, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const [gwen, hank, ivy] = [await user('gwen'), await user('hank'), await user('ivy')];
    const patch = (operations: unknown[]) => ({ method: 'PATCH', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations } });

    // G1: Entra's create, with its non-URN schema and an empty member list.
    const objectId = '8aa1a0c0-c2a5-4c5e-a6d6-3c1f2e7d9b01';
    const created = await scim('/Groups', {
      method: 'POST',
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        externalId: objectId,
        displayName: 'Marketing',
        meta: { resourceType: 'Group' },
      },
    });
    expect(created.status, created.body).toBe(201);
    const group = created.json() as { id: string };
    expect(group).toMatchObject({ externalId: objectId, displayName: 'Marketing', meta: { resourceType: 'Group' } });
    expect(groupRows()).toEqual({ groups: [{ GroupId: objectId, DisplayName: 'Marketing' }], members: [] });
    const again = await scim('/Groups', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], externalId: 'another-object-id', displayName: 'Marketing' } });
    expect(again.status, again.body).toBe(409);

    // G4: rename.
    const renamed = await scim(`/Groups/${group.id}`, patch([{ op: 'Replace', path: 'displayName', value: 'Marketing EMEA' }]));
    expect(renamed.status, renamed.body).toBe(204);
    expect(groupRows().groups).toEqual([{ GroupId: objectId, DisplayName: 'Marketing EMEA' }]);

    // G5: several members in one operation.
    const added = await scim(`/Groups/${group.id}`, patch([{ op: 'Add', path: 'members', value: [{ $ref: null, value: gwen }, { $ref: null, value: hank }, { $ref: null, value: ivy }] }]));
    expect(added.status, added.body).toBe(204);
    expect(groupRows().members).toEqual([`${objectId}:gwen`, `${objectId}:hank`, `${objectId}:ivy`]);
    const dangling = await scim(`/Groups/${group.id}`, patch([{ op: 'Add', path: 'members', value: [{ value: 'bm9ib2R5' }] }]));
    expect(dangling.status, dangling.body).toBe(400);
    expect(dangling.json()).toMatchObject({ scimType: 'invalidValue' });
    expect(dangling.body).toContain('bm9ib2R5');
    expect(groupRows().members).toHaveLength(3);

    // G2 and G3: without members, as Entra asks.
    const got = await scim(`/Groups/${group.id}?excludedAttributes=members`);
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ id: group.id, displayName: 'Marketing EMEA', externalId: objectId });
    expect(got.json()).not.toHaveProperty('members');
    // Nor the extension's copy of them, which would send the whole member list all the same.
    expect(got.json()).not.toHaveProperty(['urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group', 'MemberId']);
    expect(got.json()).toHaveProperty(['urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group', 'DisplayName'], 'Marketing EMEA');
    const byName = await scim(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Marketing EMEA"')}`);
    expect(byName.json()).toMatchObject({ totalResults: 1, startIndex: 1, Resources: [{ id: group.id }] });
    expect((byName.json() as { Resources: object[] }).Resources[0]).not.toHaveProperty('members');
    expect((byName.json() as { Resources: object[] }).Resources[0]).not.toHaveProperty(['urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group', 'MemberId']);

    // G6: remove by value list, and by a filter on members.
    const removed = await scim(`/Groups/${group.id}`, patch([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: ivy }] }]));
    expect(removed.status, removed.body).toBe(204);
    expect(groupRows().members).toEqual([`${objectId}:gwen`, `${objectId}:hank`]);
    const filtered = await scim(`/Groups/${group.id}`, patch([{ op: 'Remove', path: `members[value eq "${hank}"]` }]));
    expect(filtered.status, filtered.body).toBe(204);
    expect(groupRows().members).toEqual([`${objectId}:gwen`]);

    // The manager: TUT's array of { $ref, value }, then the bare string Entra also sends.
    const manager = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';
    const asObject = await scim(`/Users/${gwen}`, patch([{ op: 'Add', path: manager, value: [{ $ref: `${tenant}/Users/${hank}`, value: hank }] }]));
    expect(asObject.status, asObject.body).toBe(200);
    expect(asObject.json()).toMatchObject({ 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: hank } } });
    expect(row('gwen')?.Manager).toBe('hank');
    const asString = await scim(`/Users/${ivy}`, patch([{ op: 'Replace', path: manager, value: hank }]));
    expect(asString.status, asString.body).toBe(200);
    expect(row('ivy')?.Manager).toBe('hank');
    const byValue = await scim(`/Users/${hank}`, patch([{ op: 'Add', path: manager, value: { value: ivy } }]));
    expect(byValue.status, byValue.body).toBe(200);
    expect(row('hank')?.Manager).toBe('ivy');
    const unknownManager = await scim(`/Users/${gwen}`, patch([{ op: 'Replace', path: manager, value: 'bm9ib2R5' }]));
    expect(unknownManager.status, unknownManager.body).toBe(400);
    expect(row('gwen')?.Manager).toBe('hank');

    // The manager check, quoted and as TUT-2017 printed it (unquoted).
    const check = (text: string) => scim(`/Users?filter=${encodeURIComponent(text)}&attributes=id`);
    expect((await check(`id eq "${gwen}" and manager eq "${hank}"`)).json()).toMatchObject({ totalResults: 1, Resources: [{ id: gwen }] });
    expect((await check(`id eq ${gwen} and manager eq ${hank}`)).json()).toMatchObject({ totalResults: 1, Resources: [{ id: gwen }] });
    expect((await check(`id eq "${gwen}" and manager eq "${ivy}"`)).json()).toMatchObject({ totalResults: 0 });

    // Restart: the group, its member and the managers come back from the table.
    expect(await demo.stop()).toBe(0);
    demo = await startDemo(env);
    let after: { status: number; json: () => unknown } | undefined;
    for (let i = 0; i < 50 && after?.status !== 200; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      after = await scim(`/Groups/${group.id}`);
    }
    expect(after?.json()).toMatchObject({ id: group.id, displayName: 'Marketing EMEA', externalId: objectId, members: [{ value: gwen }] });
    // Answered from the tables, not only from the connector space the host keeps on disk.
    const imported = await cli(['connector', 'import', 'GenericSQL'], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect((await scim(`/Groups/${group.id}`)).json()).toMatchObject({ displayName: 'Marketing EMEA', members: [{ value: gwen }] });
    expect((await scim(`/Users/${gwen}`)).json()).toMatchObject({ 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: hank } } });
    expect((await check(`id eq "${gwen}" and manager eq "${hank}"`)).json()).toMatchObject({ totalResults: 1 });
    expect(groupRows()).toEqual({ groups: [{ GroupId: objectId, DisplayName: 'Marketing EMEA' }], members: [`${objectId}:gwen`] });
    expect([row('gwen')?.Manager, row('ivy')?.Manager, row('hank')?.Manager]).toEqual(['hank', 'hank', 'ivy']);

    // G7: the group goes, and its membership rows with it.
    const deleted = await scim(`/Groups/${group.id}`, { method: 'DELETE' });
    expect(deleted.status, deleted.body).toBe(204);
    expect(groupRows()).toEqual({ groups: [], members: [] });
    expect((await scim(`/Groups/${group.id}`)).status).toBe(404);
  });

  it('a demo database made before groups gets the Manager column and the groups tables at the next start, keeping its users', async () => {
    expect(await demo.stop()).toBe(0);
    // Back to the file an older demo left: Employees without Manager, no Groups nor GroupMembers.
    withDatabase((db) => {
      db.exec(`DROP TABLE GroupMembers; DROP TABLE Groups;
        CREATE TABLE OldEmployees (ContosoLogin TEXT NOT NULL PRIMARY KEY, FirstName TEXT, LastName TEXT, Email TEXT, InternalGUID TEXT, AzureID TEXT, textID TEXT, IsActive BOOLEAN NOT NULL DEFAULT 1);
        INSERT INTO OldEmployees SELECT ContosoLogin, FirstName, LastName, Email, InternalGUID, AzureID, textID, IsActive FROM Employees;
        DROP TABLE Employees;
        ALTER TABLE OldEmployees RENAME TO Employees;`);
    });
    expect(withDatabase((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all())).toEqual(['Employees']);
    demo = await startDemo(env);
    expect(await findAfterRestart('bianca')).toMatchObject({ totalResults: 1 });
    expect(withDatabase((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all())).toEqual(['Employees', 'GroupMembers', 'Groups']);
    const bianca = ((await scim(filter('bianca'))).json() as { Resources: [{ id: string }] }).Resources[0].id;
    const carlos = ((await scim(filter('carlos'))).json() as { Resources: [{ id: string }] }).Resources[0].id;
    const group = await scim('/Groups', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], externalId: 'after-upgrade', displayName: 'Upgraded', members: [{ value: bianca }] } });
    expect(group.status, group.body).toBe(201);
    expect(groupRows()).toEqual({ groups: [{ GroupId: 'after-upgrade', DisplayName: 'Upgraded' }], members: ['after-upgrade:bianca'] });
    const managed = await scim(`/Users/${carlos}`, { method: 'PATCH', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: bianca }] } });
    expect(managed.status, managed.body).toBe(200);
    expect(row('carlos')).toMatchObject({ FirstName: 'Carlos', Email: 'carlos@contoso.com', Manager: 'bianca' });
    // The added column carries the foreign key: removing the manager's row clears it.
    expect((await scim(`/Users/${bianca}`, { method: 'DELETE' })).status).toBe(204);
    expect(row('carlos')?.Manager).toBeNull();
    expect(groupRows().members).toEqual([]);
  });

  it('ECMAHOST_DEMO_TOKEN replaces the token', async () => {
    expect(await demo.stop()).toBe(0);
    const own = 'my-demo-token-2026-of-32-characters';
    demo = await startDemo({ ...env, ECMAHOST_DEMO_TOKEN: own });
    expect(demo.output()).toContain('Secret token:  the value of ECMAHOST_DEMO_TOKEN');
    expect(demo.output()).not.toContain(own);
    expect((await httpsRequest(`${tenant}${filter('carlos')}`, { ca, token: own })).status).toBe(200);
    expect((await scim(filter('carlos'))).status).toBe(401);
  });
});
