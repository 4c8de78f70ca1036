// PUT and DELETE /admin/connectors/:name on a host serving from a real data directory: the body
// carries the answers of the `connector add` flags, configure/ builds and checks them, the
// connector opens before anything is stored, and the SCIM side shows the result.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminRoutes } from '../src/admin/routes.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { loadDefinition } from '../src/plugins/connector-loading.js';
import { initStore } from '../src/store/store.js';
import type { Store } from '../src/store/store.js';
import { tempDir, writeFixture } from './cli-harness.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';

let dir: string;
let cleanup: () => Promise<void>;
let store: Store;
let host: Host;
let adminToken: string;
let fixture: { connector: string; dataFile: string };

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('ecmahost-admin-api-'));
  ({ store } = await initStore(path.join(dir, 'data')));
  adminToken = await store.readAdminToken();
  fixture = await writeFixture(dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
  host = createHost({ connectors: [], logger: pino({ level: 'silent' }), loadConnector: (spec) => loadDefinition(spec, store.paths.root) });
  host.app.route('/admin', createAdminRoutes({ host, store, adminToken, allowRemote: true, loaded: [] }));
  await host.start();
});
afterEach(async () => {
  await host.stop();
  await cleanup();
});

const admin = (method: string, name: string, body?: string) =>
  Promise.resolve(host.app.request(`/admin/connectors/${name}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) }));
const put = (name: string, body: unknown) => admin('PUT', name, JSON.stringify(body));
const scim = (name: string, token: string, url: string, init: RequestInit = {}) =>
  Promise.resolve(host.app.request(`/ecma2host_${name}/scim${url}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' } }));
const storedFiles = () => readdir(store.paths.connectors).catch(() => [] as string[]);

/** The answers `fixtureAddArgs` gives as flags. */
const answers = () => ({
  package: fixture.connector,
  parameters: { file: fixture.dataFile, apiKey: 'key-s3cretvalue' },
  scimMapping: { userName: 'login', 'name.givenName': 'firstName' },
  deprovisioning: { disable: { action: 'attribute', attribute: 'enabled' }, delete: { action: 'delete' } },
  autosyncMinutes: 0,
});

async function create(name = 'People'): Promise<string> {
  const res = await put(name, answers());
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { token: string };
  await host.runImport(name);
  return body.token;
}

describe('/admin/connectors', () => {
  it('creates a connector: 201 with the stored configuration (secret masked) and the token once; SCIM works with it', async () => {
    const res = await put('People', answers());
    expect(res.status).toBe(201);
    const body = (await res.json()) as { connector: Record<string, unknown>; token: string };
    expect(body.connector).toMatchObject({
      name: 'People',
      package: fixture.connector,
      objectType: 'person',
      anchor: ['login'],
      parameters: { file: fixture.dataFile, apiKey: '[secret]' },
      scimMapping: { userName: 'login', 'name.givenName': 'firstName' },
      deprovisioning: { disable: { action: 'attribute', attribute: 'enabled' }, delete: { action: 'delete' } },
    });
    expect(body.connector).not.toHaveProperty('tokenHash');
    expect(body.token.length).toBeGreaterThanOrEqual(12);
    const file = await readFile(path.join(store.paths.connectors, 'People.yaml'), 'utf8');
    expect(file).not.toContain('key-s3cretvalue');
    expect((await store.readConnector('People')).parameters.apiKey).toMatchObject({ reveal: expect.any(Function) });

    await host.runImport('People');
    const created = await scim('People', body.token, '/Users', { method: 'POST', body: JSON.stringify({ userName: 'bob', name: { givenName: 'Bob' } }) });
    expect(created.status).toBe(201);
    expect(JSON.parse(await readFile(fixture.dataFile, 'utf8'))).toMatchObject({ people: { bob: { login: 'bob', firstName: 'Bob' } } });
  });

  it('refuses a change the target rejects with 422 and its message; the file and the running instance stay as they were', async () => {
    const token = await create();
    const before = await readFile(path.join(store.paths.connectors, 'People.yaml'), 'utf8');
    const res = await put('People', { parameters: { apiKey: 'key-refused' } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toContain('The API key was refused by the people service.');
    expect(await readFile(path.join(store.paths.connectors, 'People.yaml'), 'utf8')).toBe(before);
    const alice = await scim('People', token, `/Users?filter=${encodeURIComponent('userName eq "alice"')}`);
    expect(alice.status).toBe(200);
    expect(await alice.json()).toMatchObject({ totalResults: 1 });
  });

  it('changes a connector, keeping the secret it was not given: 200, the new mapping served at once', async () => {
    const token = await create();
    const res = await put('People', { scimMapping: { 'name.familyName': 'lastName' }, attributes: [{ name: 'firstName' }, { name: 'lastName' }, { name: 'enabled' }] });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { connector: { scimMapping: Record<string, string> } }).connector.scimMapping).toEqual({ userName: 'login', 'name.givenName': 'firstName', 'name.familyName': 'lastName' });
    const stored = await store.readConnector('People');
    expect((stored.parameters.apiKey as { reveal(): string }).reveal()).toBe('key-s3cretvalue');
    const newToken = await put('People', { token: 'a-token-of-my-own-0123456789abcdefghij' });
    expect(newToken.status).toBe(400);
    expect(await newToken.json()).toEqual({ error: 'the request is not valid', problems: ['token: a change keeps the SCIM token; make a new one with "ecmahost token rotate".'] });
    expect((await store.readConnector('People')).tokenHash).toBe(stored.tokenHash);
    // Serving the kept space before the refresh after a restart: turned off, and kept off by a
    // change that does not name it.
    expect((await put('People', { serveBeforeRefresh: false })).status).toBe(200);
    expect((await store.readConnector('People')).serveBeforeRefresh).toBe(false);
    expect((await put('People', { autosyncMinutes: 30 })).status).toBe(200);
    expect((await store.readConnector('People')).serveBeforeRefresh).toBe(false);
    await host.runImport('People');
    const created = await scim('People', token, '/Users', { method: 'POST', body: JSON.stringify({ userName: 'cy', name: { givenName: 'Cy', familyName: 'Young' } }) });
    expect(created.status).toBe(201);
    expect(JSON.parse(await readFile(fixture.dataFile, 'utf8'))).toMatchObject({ people: { cy: { lastName: 'Young' } } });
  });

  it('takes two requests for one name one after the other: the second PUT changes what the first created', async () => {
    const [first, second] = await Promise.all([put('People', answers()), put('People', answers())]);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(host.connectorNames()).toEqual(['People']);
    expect(await storedFiles()).toEqual(['People.yaml']);
  });

  it('deletes a connector: 204, its SCIM URL answers 401 to its old token (as for any unknown name) and its file is gone; a second delete is 404', async () => {
    const token = await create();
    expect((await admin('DELETE', 'People')).status).toBe(204);
    expect((await scim('People', token, '/Users')).status).toBe(401);
    expect(await storedFiles()).toEqual([]);
    const again = await admin('DELETE', 'People');
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: 'no connector named People.' });
  });

  it('lists every problem of a body and stores nothing: not JSON, wrong types, unknown members, __proto__', async () => {
    const notJson = await admin('PUT', 'People', '{"package": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'the body is not JSON' });

    const wrong = await put('People', { package: 7, parameters: { file: ['x'] }, anchor: 'login', autosyncMinutes: -1, dn: { attribute: 'login', autogenerate: true }, serveBeforeRefresh: 'no', colour: 'blue' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: 'the request is not valid',
      problems: [
        'the body has unknown member(s) "colour" (allowed: package, parameters, objectType, anchor, attributes, dn, scimMapping, deprovisioning, autosyncMinutes, runProfiles, serveBeforeRefresh, token, additionalTypes).',
        'package must be a package name or a path.',
        'parameters.file must be a string or a boolean.',
        'anchor must be an array of attribute names.',
        'dn must be { "attribute": "<name>" } or { "autogenerate": true }.',
        'autosyncMinutes must be a whole number of minutes (0 = off).',
        'serveBeforeRefresh must be true or false.',
      ],
    });

    const polluting = await admin('PUT', 'People', `{"__proto__": {"polluted": true}, "package": ${JSON.stringify(fixture.connector)}, "parameters": {"__proto__": {"polluted": true}, "file": "x.json"}}`);
    expect(polluting.status).toBe(400);
    expect(((await polluting.json()) as { problems: string[] }).problems).toEqual([
      'the body has unknown member(s) "__proto__" (allowed: package, parameters, objectType, anchor, attributes, dn, scimMapping, deprovisioning, autosyncMinutes, runProfiles, serveBeforeRefresh, token, additionalTypes).',
      'parameters may not have a member named "__proto__".',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const array = await admin('PUT', 'People', '[]');
    expect(await array.json()).toEqual({ error: 'the request is not valid', problems: ['the body must be an object.'] });
    expect((await put('bad name!', answers())).status).toBe(400);
    expect(await storedFiles()).toEqual([]);
    expect(host.connectorNames()).toEqual([]);
  });

  it('refuses a 10 MB body with 413 without reading it all, and stores nothing', async () => {
    const res = await admin('PUT', 'People', JSON.stringify({ ...answers(), token: 'x'.repeat(10 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'the body is larger than 262144 bytes; nothing was changed.' });
    expect(await storedFiles()).toEqual([]);
  });

  it("refuses values the connector's pages or the schema refuse with 400, every issue listed, and a package that does not load with 422", async () => {
    const pages = await put('People', { ...answers(), parameters: { file: path.join(dir, 'people.txt'), apiKey: 'key-s3cretvalue' } });
    expect(pages.status).toBe(400);
    expect(await pages.json()).toEqual({ error: 'invalid values on the connectivity page', problems: ['Data file (file): The data file must end in .json.'] });

    const unknown = await put('People', { ...answers(), parameters: { ...answers().parameters, colour: 'blue' } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { problems: string[] }).problems).toEqual(['fixture-json-people has no parameter colour (its parameters: file, apiKey, about, region, pretty, transport, allowHttp, prefix, sep, comment).']);

    const schema = await put('People', { ...answers(), anchor: ['nope'], scimMapping: { userName: 'nicknamez' } });
    expect(schema.status).toBe(400);
    expect(((await schema.json()) as { problems: string[] }).problems).toEqual([
      'anchor: person has no attribute nope (its attributes: login, firstName, lastName, mail, enabled, internalNote, photo, nicknames).',
      'scimMapping: userName is mapped to nicknamez, which is not a served attribute of person.',
    ]);

    const missing = await put('People', { ...answers(), package: path.join(dir, 'no-such-connector.mjs') });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: string }).error).toContain('cannot load connector');

    const incomplete = await put('People', { token: 'a-token-of-my-own-0123456789abcdefghij' });
    expect(await incomplete.json()).toEqual({ error: 'the request is incomplete', problems: ['package is required for a new connector.'] });
    expect(await storedFiles()).toEqual([]);
    expect(host.connectorNames()).toEqual([]);
  });

  it('serves the extension attributes of a connector created through the API', async () => {
    const token = await create();
    const alice = (await (await scim('People', token, `/Users?filter=${encodeURIComponent('userName eq "alice"')}`)).json()) as { Resources: Record<string, unknown>[] };
    expect(alice.Resources[0]).toMatchObject({ userName: 'alice', name: { givenName: 'Alice' }, [EXT]: { login: 'alice' } });
  });
});
