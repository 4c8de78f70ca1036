// The connector space kept across restarts (decision 021), with the built `ecmahost serve` killed
// with SIGKILL mid-import and mid-snapshot-write: it comes back serving only complete data, and its
// background refresh brings in what changed in the target while it was down.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from './cli-harness.js';
import { eventually, httpsRequest, printedToken, startServe, useCliWorkspace } from './cli-harness.js';

const SDK_DIST = fileURLToPath(new URL('../../sdk/dist/index.js', import.meta.url));

/**
 * A connector over `people/<login>.json`, imported two people a page. While the file `hold` exists,
 * an import stops before its second page and appends `held` to `import.log`: the test kills the
 * host there, mid-import, for as long as it wants.
 */
function holdableConnectorSource(): string {
  return `import { existsSync, readdirSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyAttributeChanges, attributeChangesOf, defineConnector } from ${JSON.stringify(new URL(`file://${SDK_DIST}`).href)};

const schema = { objectTypes: [{ name: 'person', anchors: ['login'], attributes: [
  { name: 'login', type: 'string', multiValued: false, required: true },
  { name: 'firstName', type: 'string', multiValued: false },
  { name: 'lastName', type: 'string', multiValued: false },
] }] };

export default defineConnector({
  name: 'fixture-holdable-people',
  displayName: 'Holdable people (fixture)',
  version: '1.0.0',
  capabilities: { import: true, export: true, deltaImport: false, exportType: 'attributeUpdate' },
  parameters(request) {
    if (request.page === 'connectivity' && request.pageNumber === 1) return [{ name: 'dir', type: 'string', label: 'Directory', required: true }];
    return [];
  },
  async open(values) {
    const dir = String(values.dir);
    const people = path.join(dir, 'people');
    return {
      async testConnection() {},
      async getSchema() { return schema; },
      async openImport() {
        const files = readdirSync(people).sort();
        let page = 0;
        return {
          async getEntries() {
            if (page > 0 && existsSync(path.join(dir, 'hold'))) {
              appendFileSync(path.join(dir, 'import.log'), 'held\\n');
              while (existsSync(path.join(dir, 'hold'))) await new Promise((r) => setTimeout(r, 20));
            }
            const entries = files.slice(page * 2, page * 2 + 2).map((f) => {
              const p = JSON.parse(readFileSync(path.join(people, f), 'utf8'));
              return { objectType: 'person', modification: 'add', anchor: { login: p.login }, attributeChanges: attributeChangesOf(p) };
            });
            page++;
            return { entries, more: page * 2 < files.length };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            for (const change of batch) {
              const next = applyAttributeChanges({}, change.attributeChanges);
              const person = Object.fromEntries(Object.entries(next).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
              writeFileSync(path.join(people, String(change.anchor.login ?? person.login) + '.json'), JSON.stringify(person));
            }
            return batch.map((change) => ({ identifier: change.identifier }));
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});
`;
}

interface Person {
  login: string;
  firstName: string;
  lastName: string;
}

describe('a host killed with SIGKILL comes back with its connector space whole', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-snapshot-' });
  let serve: ServeProcess | undefined;
  let token = '';
  let ca = '';
  let target = '';

  afterAll(async () => {
    serve?.child.kill('SIGKILL');
  });

  const stateFile = (): string => path.join(workspace.dataDir, 'state', 'People.person.space');
  const scim = (): string => `https://127.0.0.1:${serve!.port}/ecma2host_People/scim`;
  const users = async (filter?: string): Promise<{ status: number; logins: string[]; body: string }> => {
    const query = filter === undefined ? '' : `?filter=${encodeURIComponent(filter)}`;
    const res = await httpsRequest(`${scim()}/Users${query}`, { ca, token });
    const logins = res.status === 200 ? ((res.json() as { Resources: { userName: string }[] }).Resources.map((r) => r.userName).sort()) : [];
    return { status: res.status, logins, body: res.body };
  };
  const givenName = async (login: string): Promise<string | undefined> => {
    const res = await httpsRequest(`${scim()}/Users/${Buffer.from(login).toString('base64url')}`, { ca, token });
    return res.status === 200 ? (res.json() as { name?: { givenName?: string } }).name?.givenName : `status ${res.status}`;
  };
  const writePeople = async (people: Person[]): Promise<void> => {
    await rm(path.join(target, 'people'), { recursive: true, force: true });
    await mkdir(path.join(target, 'people'), { recursive: true });
    for (const p of people) await writeFile(path.join(target, 'people', `${p.login}.json`), JSON.stringify(p));
  };
  const start = async (env: NodeJS.ProcessEnv = {}): Promise<void> => {
    serve = await startServe(workspace.dataDir, { ...workspace.env, ...env });
  };
  const kill9 = async (): Promise<void> => {
    const exited = new Promise((resolve) => serve!.child.once('exit', resolve));
    serve!.child.kill('SIGKILL');
    await exited;
  };
  const held = async (): Promise<boolean> => existsSync(path.join(target, 'import.log')) && (await readFile(path.join(target, 'import.log'), 'utf8')).includes('held');
  const hold = async (): Promise<void> => {
    await rm(path.join(target, 'import.log'), { force: true });
    await writeFile(path.join(target, 'hold'), '');
  };
  const release = (): Promise<void> => rm(path.join(target, 'hold'), { force: true });
  const connectorFile = (): string => path.join(workspace.dataDir, 'connectors', 'People.yaml');

  const first: Person[] = ['alice', 'bob', 'carol', 'dave', 'erin'].map((login) => ({ login, firstName: login.toUpperCase(), lastName: 'Old' }));

  it('serves the complete snapshot after a kill mid-import and mid-snapshot-write, then applies what changed while it was down', async () => {
    target = path.join(workspace.dir, 'target');
    await writePeople(first);
    await writeFile(path.join(workspace.dir, 'holdable-connector.mjs'), holdableConnectorSource());
    expect((await workspace.run('init', '--host-name', 'localhost')).code).toBe(0);
    const added = await workspace.run('connector', 'add', 'People', '--package', path.join(workspace.dir, 'holdable-connector.mjs'), '--param', `dir=${target}`, '--scim', 'userName=login', '--scim', 'name.givenName=firstName');
    expect(added.code, added.stderr).toBe(0);
    token = printedToken(added.stdout);
    ca = await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8');
    await start();
    await eventually(async () => ((await users()).status === 200 ? true : undefined), 'the first import');
    await eventually(async () => (existsSync(stateFile()) ? true : undefined), 'the first snapshot');
    const firstSnapshot = await readFile(stateFile());
    await kill9();

    // While the host is down: alice leaves, bob is renamed, frank arrives.
    await writePeople([{ login: 'bob', firstName: 'Robert', lastName: 'New' }, ...first.slice(2), { login: 'frank', firstName: 'FRANK', lastName: 'New' }]);

    // Restarted with the refresh held after its first page: the snapshot answers at once.
    await hold();
    await start();
    expect(await users()).toMatchObject({ status: 200, logins: ['alice', 'bob', 'carol', 'dave', 'erin'] });
    expect(await givenName('bob')).toBe('BOB');
    await eventually(async () => ((await held()) ? true : undefined), 'the refresh import to stop half-way');
    // Half-way through the refresh, the answer is still the whole previous space.
    expect((await users()).logins).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    await kill9();
    expect(await readFile(stateFile())).toEqual(firstSnapshot);

    // Restarted with the snapshot write paused after its first chunk: the import completes, the
    // cache answers from it, and the host is killed before the new snapshot is renamed into place.
    await release();
    await start({ ECMAHOST_TEST_SNAPSHOT_PAUSE_MS: '60000' });
    await eventually(async () => ((await users()).logins.includes('frank') ? true : undefined), 'the refresh import');
    await eventually(async () => ((await readdir(path.join(workspace.dataDir, 'state'))).some((f) => f.endsWith('.tmp')) ? true : undefined), 'the snapshot write to begin');
    await kill9();
    expect(await readFile(stateFile())).toEqual(firstSnapshot);

    // Restarted again (refresh held): the previous complete snapshot, never the half-written one,
    // whose temporary file is gone.
    await hold();
    await start();
    expect(await users()).toMatchObject({ status: 200, logins: ['alice', 'bob', 'carol', 'dave', 'erin'] });
    expect((await readdir(path.join(workspace.dataDir, 'state'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The refresh completes: alice is gone, bob's new name is served, frank is there.
    await release();
    await eventually(async () => ((await users()).logins.includes('frank') ? true : undefined), 'the refresh import');
    expect((await users()).logins).toEqual(['bob', 'carol', 'dave', 'erin', 'frank']);
    expect(await users('userName eq "alice"')).toMatchObject({ status: 200, logins: [] });
    expect(await givenName('alice')).toBe('status 404');
    expect(await givenName('bob')).toBe('Robert');
    // …and is what the next restart serves, with a user created since that import: a planned stop
    // keeps the space as it is then.
    await eventually(async () => (!(await readFile(stateFile(), 'utf8')).includes('"alice"') ? true : undefined), 'the refreshed snapshot');
    const created = await httpsRequest(`${scim()}/Users`, { ca, token, method: 'POST', body: { userName: 'gina', name: { givenName: 'GINA' } } });
    expect(created.status, created.body).toBe(201);
    expect(await serve!.stop()).toBe(0);
    await hold();
    await start();
    expect(await users()).toMatchObject({ status: 200, logins: ['bob', 'carol', 'dave', 'erin', 'frank', 'gina'] });
    await release();
    await serve!.stop();
  }, 120_000);

  it('refuses a snapshot of another configuration or format version, and serves none when serveBeforeRefresh is false', async () => {
    const snapshot = await readFile(stateFile(), 'latin1');
    const config = await readFile(connectorFile(), 'utf8');

    // Another format version: refused, said in the log, 503 until the import completes.
    await writeFile(stateFile(), Buffer.from(snapshot.replace('"version":4,', '"version":99,'), 'latin1'));
    await hold();
    await start();
    expect((await users()).status).toBe(503);
    await eventually(async () => (serve!.output().includes('format version 99, this host reads 4') ? true : undefined), 'the refusal in the log');
    expect(serve!.output()).toContain('connector space snapshot refused');
    await release();
    await eventually(async () => ((await users()).status === 200 ? true : undefined), 'the first import');
    await eventually(async () => ((await readFile(stateFile(), 'latin1')).includes('"version":4,') ? true : undefined), 'the snapshot rewritten');
    await serve!.stop();

    // Another configuration (an attribute less): refused.
    expect(config).toMatch(/- name: lastName\n/);
    await writeFile(connectorFile(), config.replace(/ *- name: lastName\n/, ''));
    await hold();
    await start();
    expect((await users()).status).toBe(503);
    await eventually(async () => (serve!.output().includes('written under another configuration') ? true : undefined), 'the refusal in the log');
    await release();
    await eventually(async () => ((await users()).status === 200 ? true : undefined), 'the first import');
    await serve!.stop();

    // Serving before the refresh turned off (Microsoft's behaviour): a valid snapshot, still 503.
    await writeFile(connectorFile(), `${(await readFile(connectorFile(), 'utf8')).trimEnd()}\nserveBeforeRefresh: false\n`);
    await hold();
    await start();
    expect((await users()).status).toBe(503);
    expect(serve!.output()).not.toContain('snapshot refused');
    await release();
    await eventually(async () => ((await users()).status === 200 ? true : undefined), 'the first import');
    await serve!.stop();

    // Removing the connector removes the space kept for it: it holds the target's data.
    await writeFile(connectorFile(), config);
    await start();
    await eventually(async () => ((await users()).status === 200 ? true : undefined), 'the first import');
    await serve!.stop();
    expect(existsSync(stateFile())).toBe(true);
    const removed = await workspace.run('connector', 'remove', 'People');
    expect(removed.code, removed.stderr).toBe(0);
    expect((await readdir(path.join(workspace.dataDir, 'state'))).filter((f) => f.startsWith('People.'))).toEqual([]);
  }, 120_000);
});
