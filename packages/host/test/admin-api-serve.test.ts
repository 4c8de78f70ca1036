// The /admin connector routes on a real `ecmahost serve` (built binary, HTTPS, the data directory's
// admin credential), as a script of an admin's would call them; the CLI reads what they stored.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from './cli-harness.js';
import { eventually, httpsRequest, startServe, useCliWorkspace, writeFixture } from './cli-harness.js';

describe('PUT and DELETE /admin/connectors on ecmahost serve', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-admin-serve-' });
  const { env, run } = workspace;
  let fixture: { connector: string; dataFile: string };
  let serve: ServeProcess;
  let ca: string;
  let adminToken: string;
  const call = (method: string, url: string, token: string, body?: unknown) => httpsRequest(`https://localhost:${serve.port}${url}`, { ca, token, method, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    fixture = await writeFixture(workspace.dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
    expect((await run('init', '--host-name', 'localhost')).code).toBe(0);
    serve = await startServe(workspace.dataDir, env);
    ca = await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8');
    adminToken = (await readFile(path.join(workspace.dataDir, 'admin-token'), 'utf8')).trim();
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('creates a connector that SCIM serves and the CLI shows, refuses a SCIM token for the admin API, and deletes it', async () => {
    const body = {
      package: fixture.connector,
      parameters: { file: fixture.dataFile, apiKey: 'key-s3cretvalue' },
      scimMapping: { userName: 'login', 'name.givenName': 'firstName' },
      deprovisioning: { disable: { action: 'attribute', attribute: 'enabled' }, delete: { action: 'delete' } },
      autosyncMinutes: 0,
      token: 'people-token-of-my-own-0123456789abcdef',
    };
    const created = await call('PUT', '/admin/connectors/People', adminToken, body);
    expect(created.status, created.body).toBe(201);
    expect(created.json()).not.toHaveProperty('token');

    const found = await eventually(async () => {
      const res = await call('GET', `/ecma2host_People/scim/Users?filter=${encodeURIComponent('userName eq "alice"')}`, body.token);
      return res.status === 200 ? res.json() : undefined;
    }, 'the new connector to serve');
    expect(found).toMatchObject({ totalResults: 1, Resources: [{ userName: 'alice', name: { givenName: 'Alice' } }] });
    const posted = await call('POST', '/ecma2host_People/scim/Users', body.token, { userName: 'bob', name: { givenName: 'Bob' } });
    expect(posted.status, posted.body).toBe(201);
    expect(JSON.parse(await readFile(fixture.dataFile, 'utf8'))).toMatchObject({ people: { bob: { login: 'bob', firstName: 'Bob' } } });

    const shown = await run('connector', 'show', 'People');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('apiKey: "[secret]"');
    expect(shown.stdout).not.toContain('key-s3cretvalue');

    expect((await call('PUT', '/admin/connectors/People', body.token, { autosyncMinutes: 5 })).status).toBe(401);

    expect((await call('DELETE', '/admin/connectors/People', adminToken)).status).toBe(204);
    expect((await call('GET', '/ecma2host_People/scim/Users', body.token)).status).toBe(401);
    const listed = await run('connector', 'list');
    expect(listed.stdout).not.toContain('People');
  });
});
