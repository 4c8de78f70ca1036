// The audit trail of a host served by `runHost` over HTTP: SCIM writes (create with a password,
// a PATCH setting a password, a refused create, a delete), /admin actions (connector added,
// edited, removed; an import; a reload) and a CLI token rotation each leave one line in
// <data dir>/audit/audit.jsonl, with who did it and names only; a grep of the whole trail finds
// none of the passwords, tokens or secret parameters used. A file where the audit folder should
// be fails no SCIM request and is counted in /metrics.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLine } from '../src/audit/audit-event.js';
import { runCli } from '../src/cli/program.js';
import { runHost, type RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import type { Store } from '../src/store/store.js';
import { writeFixture } from './cli-harness.js';
import { signInToConsole } from './fixtures/console-session.js';
import { fixtureConfig } from './fixtures/fixture-host.js';

const TOKEN = 'audit-trail-scim-token-0123456789-abcdef';
const CREATE_PASSWORD = 'Create-Secret-Pa55word';
const PATCH_PASSWORD = 'Patch-Secret-Pa55word';
const SECRET_PARAMETER = 'key-s3cretvalue';

async function runCliInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, env: {}, cwd: tmpdir() });
  return { code, stdout: out, stderr: err };
}

async function auditText(dataDir: string): Promise<string> {
  const folder = path.join(dataDir, 'audit');
  const files = await readdir(folder);
  return (await Promise.all(files.map((f) => readFile(path.join(folder, f), 'utf8')))).join('');
}

describe('the audit trail of a served host', () => {
  let dir: string;
  let store: Store;
  let running: RunningHost;
  let base: string;
  let adminToken: string;
  let fixture: { connector: string; dataFile: string };

  const scim = (method: string, url: string, body?: unknown) =>
    fetch(`${base}/ecma2host_People/scim${url}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', 'x-request-id': `req-${method}-${url.length}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const admin = (method: string, url: string, body?: unknown) =>
    fetch(`${base}/admin${url}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const extraAnswers = (autosyncMinutes: number) => ({
    package: fixture.connector,
    parameters: { file: fixture.dataFile, apiKey: SECRET_PARAMETER },
    scimMapping: { userName: 'login', 'name.givenName': 'firstName' },
    deprovisioning: { disable: { action: 'attribute', attribute: 'enabled' }, delete: { action: 'delete' } },
    autosyncMinutes,
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-audit-trail-'));
    ({ store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} }));
    await store.writeConnector(fixtureConfig('People', TOKEN, path.join(dir, 'file-store.json')));
    adminToken = await store.readAdminToken();
    fixture = await writeFixture(dir, { bob: { login: 'bob', firstName: 'Bob', enabled: true } });
    running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${running.server.port}`;
    await running.host.runImport('People');
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds one line per SCIM write and admin action, with its actor, and no secret value', async () => {
    const created = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice', name: { givenName: 'Alice' }, password: CREATE_PASSWORD });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'name.givenName', value: 'Alicia' },
        { op: 'replace', path: 'password', value: PATCH_PASSWORD },
      ],
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    const refused = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice' });
    expect(refused.status).toBe(409);
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    // A wrong token is no one's write: answered 401 and not in the trail.
    expect((await fetch(`${base}/ecma2host_People/scim/Users`, { method: 'POST', headers: { authorization: 'Bearer not-the-token-0123456789-0123456789' }, body: '{}' })).status).toBe(401);

    const added = await admin('PUT', '/connectors/Extra', extraAnswers(0));
    expect(added.status, await added.clone().text()).toBe(201);
    const extraToken = ((await added.json()) as { token: string }).token;
    const edited = await admin('PUT', '/connectors/Extra', extraAnswers(30));
    expect(edited.status, await edited.clone().text()).toBe(200);
    const imported = await admin('POST', '/connectors/People/import');
    expect(await imported.text()).toContain('"summary"');

    const rotated = await runCliInProcess(['--data-dir', store.paths.root, 'token', 'rotate', 'People']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const newToken = /Secret token: (\S+)/.exec(rotated.stdout)?.[1];
    expect(newToken).toBeDefined();
    expect((await admin('POST', '/reload')).status).toBe(200);
    expect((await admin('DELETE', '/connectors/Extra')).status).toBe(204);

    await running.audit.flush();
    const text = await auditText(store.paths.root);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as AuditLine);
    // The schedule's imports (People at start, Extra at each start) run on their own time: checked apart.
    const scheduled = lines.filter((l) => l.actor === 'scheduler');
    expect(scheduled.every((l) => l.action === 'import' && l.result === 'ok')).toBe(true);
    expect(scheduled.some((l) => l.connector === 'People')).toBe(true);
    const acted = lines.filter((l) => l.actor !== 'scheduler').map(({ time, requestId, detail, ...rest }) => {
      expect(Date.parse(time)).not.toBeNaN();
      return rest;
    });
    expect(acted).toEqual([
      { actor: 'scim-token:People', action: 'scim.create', connector: 'People', id, anchor: { login: 'alice' }, attributes: ['firstName', 'login', 'password'], status: 201, result: 'ok' },
      { actor: 'scim-token:People', action: 'scim.patch', connector: 'People', id, anchor: { login: 'alice' }, attributes: ['accountDisabled', 'firstName', 'password'], status: 200, result: 'ok' },
      { actor: 'scim-token:People', action: 'scim.create', connector: 'People', attributes: [], status: 409, result: 'failed', error: 'uniqueness' },
      { actor: 'scim-token:People', action: 'scim.delete', connector: 'People', id, anchor: { login: 'alice' }, attributes: [], status: 204, result: 'ok' },
      { actor: 'admin', action: 'connector.add', connector: 'Extra', status: 201, result: 'ok' },
      { actor: 'admin', action: 'connector.edit', connector: 'Extra', status: 200, result: 'ok' },
      { actor: 'admin', action: 'import', connector: 'People', result: 'ok' },
      { actor: 'cli', action: 'token.rotate', connector: 'People', result: 'ok' },
      { actor: 'cli', action: 'reload', status: 200, result: 'ok' },
      { actor: 'admin', action: 'reload', status: 200, result: 'ok' },
      { actor: 'admin', action: 'connector.remove', connector: 'Extra', status: 204, result: 'ok' },
    ]);
    const create = lines.find((l) => l.action === 'scim.create');
    expect(create?.requestId).toBe('req-POST-6');
    expect(lines.find((l) => l.actor === 'cli' && l.action === 'reload')?.detail).toEqual({ reloaded: ['People'], failed: [] });
    expect(lines.find((l) => l.actor === 'admin' && l.action === 'import')?.detail).toMatchObject({ asked: 'full', type: 'full', objects: 0 });

    // The grep of the Done-when line, over every audit file.
    for (const secret of [CREATE_PASSWORD, PATCH_PASSWORD, TOKEN, extraToken, newToken!, SECRET_PARAMETER, adminToken, 'Alicia']) expect(text).not.toContain(secret);
  });

  it('records a reload without a request (SIGHUP) as actor signal', async () => {
    await running.reload();
    await running.audit.flush();
    const lines = (await auditText(store.paths.root)).trim().split('\n').map((l) => JSON.parse(l) as AuditLine);
    expect(lines.at(-1)).toMatchObject({ actor: 'signal', action: 'reload', result: 'ok', detail: { reloaded: [], failed: [] } });
  });

  it("shows the connector's last audit lines, newest first, on its console page", async () => {
    const session = await signInToConsole(base, adminToken);
    const page = await (await session.get('/console/connectors/People')).text();
    const trail = /<ul id="audit-trail"[^>]*>([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '';
    const items = [...trail.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1] ?? '');
    expect(items[0]).toContain('cli  token.rotate  People  ok');
    expect(items[1]).toContain('admin  import  People  asked=full type=full');
    expect(items.some((i) => i.includes('scim-token:People  scim.create  People  id=YWxpY2U  attributes=firstName,login,password  ok 201'))).toBe(true);
    expect(items.some((i) => i.includes('Extra'))).toBe(false);
  });

  it('ecmahost audit tail prints the last lines, of one connector, as text or JSON', async () => {
    await running.audit.flush();
    const tail = await runCliInProcess(['--data-dir', store.paths.root, 'audit', 'tail', '-n', '2', '--connector', 'Extra']);
    expect(tail.code, tail.stderr).toBe(0);
    const shown = tail.stdout.trim().split('\n');
    expect(shown).toHaveLength(2);
    expect(shown[1]).toMatch(/ admin {2}connector\.remove {2}Extra {2}ok 204$/);
    const json = await runCliInProcess(['--data-dir', store.paths.root, 'audit', 'tail', '-n', '1', '--json']);
    expect(JSON.parse(json.stdout) as AuditLine).toMatchObject({ actor: 'signal', action: 'reload' });
  });

  it('records a token rotation and a removal made in the console as actor admin, without the new token', async () => {
    const session = await signInToConsole(base, adminToken);
    const rotated = await (await session.post('/console/connectors/People/token', {})).text();
    const newToken = /id="new-token" value="([^"]+)"/.exec(rotated)?.[1];
    expect(newToken?.length).toBeGreaterThanOrEqual(32);
    expect((await session.post('/console/connectors/People/remove', {})).status).toBe(303);
    await running.audit.flush();
    const text = await auditText(store.paths.root);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as AuditLine);
    expect(lines.slice(-2).map(({ actor, action, connector, result }) => ({ actor, action, connector, result }))).toEqual([
      { actor: 'admin', action: 'token.rotate', connector: 'People', result: 'ok' },
      { actor: 'admin', action: 'connector.remove', connector: 'People', result: 'ok' },
    ]);
    expect(text).not.toContain(newToken!);
  });
});

describe('a broken audit folder', () => {
  it('fails no SCIM request: the write is answered, the lost line counted in /metrics', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-audit-broken-'));
    let running: RunningHost | undefined;
    try {
      const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
      await store.writeConnector(fixtureConfig('People', TOKEN, path.join(dir, 'file-store.json')));
      // A file where the folder should be: no audit line can be written.
      await writeFile(path.join(store.paths.root, 'audit'), 'in the way');
      running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
      const base = `http://127.0.0.1:${running.server.port}`;
      await running.host.runImport('People');
      const created = await fetch(`${base}/ecma2host_People/scim/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'carol', name: { givenName: 'Carol' } }),
      });
      expect(created.status, await created.clone().text()).toBe(201);
      await running.audit.flush();
      const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${await store.readAdminToken()}` } })).text();
      const failed = Number(/ecmahost_audit_lines_lost_total\{reason="failed"\} (\d+)/.exec(metrics)?.[1]);
      expect(failed).toBeGreaterThanOrEqual(1);
      expect(await readFile(path.join(store.paths.root, 'audit'), 'utf8')).toBe('in the way');
    } finally {
      await running?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
