import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from './cli-harness.js';
import { fixtureAddArgs, httpsRequest, printedToken, startServe, useCliWorkspace, writeFixture } from './cli-harness.js';

const FILTER = (login: string) => `filter=${encodeURIComponent(`userName eq "${login}"`)}`;

describe('ecmahost serve and the commands that talk to it (built binary)', () => {
  const workspace = useCliWorkspace();
  const { env, run } = workspace;
  let fixture: { connector: string; dataFile: string };
  let serve: ServeProcess;
  let ca: string;
  const token = 'people-token-0123456789-abcdefghijkl';
  const users = (name: string, query: string, bearer: string) => httpsRequest(`https://localhost:${serve.port}/ecma2host_${name}/scim/Users?${query}`, { ca, token: bearer });

  beforeAll(async () => {
    fixture = await writeFixture(workspace.dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
    expect((await run('init', '--host-name', 'localhost')).code).toBe(0);
    const added = await run(...fixtureAddArgs('People', fixture, ['--token', token]));
    expect(added.code, added.stderr).toBe(0);
    serve = await startServe(workspace.dataDir, env);
    ca = await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8');
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('serves SCIM over HTTPS with the generated certificate, for the connector\'s token only', async () => {
    const found = await users('People', FILTER('alice'), token);
    expect(found.status, found.body).toBe(200);
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'alice' }] });
    expect((await users('People', FILTER('alice'), 'wrong-token-000000')).status).toBe(401);
    expect(serve.output()).toContain(`Serving People at https://localhost:${serve.port}/ecma2host_People/scim`);
  });

  it('connector set with a credential the target refuses changes nothing: the running instance keeps answering', async () => {
    const file = path.join(workspace.dataDir, 'connectors', 'People.yaml');
    const before = await readFile(file, 'utf8');
    // The fixture's target refuses this API key in testConnection, as a directory refuses a wrong bind password.
    const refused = await run('connector', 'set', 'People', '--param', 'apiKey=key-refused');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The API key was refused by the people service.');
    expect(refused.stdout).not.toContain('Updated connector');
    expect(await readFile(file, 'utf8')).toBe(before);
    const found = await users('People', FILTER('alice'), token);
    expect(found.status, found.body).toBe(200);
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'alice' }] });
  });

  it('connector import goes through the running host and refreshes what SCIM sees', async () => {
    const data = JSON.parse(await readFile(fixture.dataFile, 'utf8')) as { people: Record<string, unknown> };
    data.people.carol = { login: 'carol', firstName: 'Carol', enabled: true };
    await writeFile(fixture.dataFile, JSON.stringify(data));
    expect((await users('People', FILTER('carol'), token)).json()).toMatchObject({ totalResults: 0 });
    const before = await run('cache', 'show', 'People', 'userName eq "carol"');
    expect(before.stdout).toContain('0 object(s) match');
    const result = await run('connector', 'import', 'People');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Full import of People by the running host: 2 object(s) imported');
    expect(result.stderr).toContain('full import: 2 object(s), 1 page(s) so far...');
    expect((await users('People', FILTER('carol'), token)).json()).toMatchObject({ totalResults: 1 });
    const after = await run('cache', 'show', 'People', 'userName eq "carol"');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('1 object(s) match userName eq "carol".');
    expect(after.stderr).not.toContain('No host is running');
  });

  it('token rotate reloads the running host: the old token stops working, the new one works', async () => {
    const result = await run('token', 'rotate', 'People');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('The running host reloaded its connectors (People).');
    const fresh = printedToken(result.stdout);
    expect((await users('People', FILTER('alice'), token)).status).toBe(401);
    expect((await users('People', FILTER('alice'), fresh)).status).toBe(200);
  });

  it('connector add and remove take effect on the running host without a restart', async () => {
    const added = await run(...fixtureAddArgs('Second', fixture, ['--token', 'second-token-0123456789-abcdefghijkl']));
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('The running host reloaded its connectors (Second).');
    expect((await users('Second', FILTER('alice'), 'second-token-0123456789-abcdefghijkl')).status).toBe(200);
    const removed = await run('connector', 'remove', 'Second');
    expect(removed.code).toBe(0);
    expect((await users('Second', FILTER('alice'), 'second-token-0123456789-abcdefghijkl')).status).toBe(401);
  });

  it('the admin API wants the admin credential, never a connector token', async () => {
    const url = `https://localhost:${serve.port}/admin/status`;
    expect((await httpsRequest(url, { ca })).status).toBe(401);
    expect((await httpsRequest(url, { ca, token: 'second-token-0123456789-abcdefghijkl' })).status).toBe(401);
    const admin = (await readFile(path.join(workspace.dataDir, 'admin-token'), 'utf8')).trim();
    const status = await httpsRequest(url, { ca, token: admin });
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ connectors: [{ name: 'People', state: 'ready' }], certificate: { daysLeft: 729 } });
  });

  it('a second serve on the same port fails with a clear message', async () => {
    const result = await run('serve', '--port', String(serve.port));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${serve.port} is already in use`);
  });

  it('SIGTERM stops the host gracefully and removes its run record', async () => {
    expect(existsSync(path.join(workspace.dataDir, 'run', 'host.json'))).toBe(true);
    expect(await serve.stop()).toBe(0);
    expect(existsSync(path.join(workspace.dataDir, 'run', 'host.json'))).toBe(false);
    const after = await run('cache', 'show', 'People', 'userName eq "alice"');
    expect(after.stderr).toContain('No host is running');
  });

  it('serves plain HTTP only with --insecure-http', async () => {
    const plain = await startServe(workspace.dataDir, env, ['--port', '0', '--insecure-http']);
    try {
      const admin = (await readFile(path.join(workspace.dataDir, 'admin-token'), 'utf8')).trim();
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port: plain.port, path: '/admin/status', headers: { authorization: `Bearer ${admin}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
      expect(plain.output()).toContain('serving plain HTTP');
      const imported = await run('connector', 'import', 'People');
      expect(imported.stdout).toContain('by the running host');
    } finally {
      await plain.stop();
    }
  });
});
