// PUT /admin/connectors/:name with `additionalTypes` (issue 17): a connector serving people as Users
// and teams as Groups created, changed and checked through the admin API, with the SCIM side and the
// target file read back.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAdminRoutes } from '../src/admin/routes.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { loadDefinition } from '../src/plugins/connector-loading.js';
import { initStore } from '../src/store/store.js';
import type { Store } from '../src/store/store.js';
import { tempDir } from './cli-harness.js';
import { teamsConnectorSource } from './fixtures/teams-connector.js';

let cleanup: () => Promise<void>;
let store: Store;
let host: Host;
let adminToken: string;
let connector: string;
let dataFile: string;

beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir('ecmahost-admin-groups-'));
  ({ store } = await initStore(path.join(dir, 'data')));
  adminToken = await store.readAdminToken();
  connector = path.join(dir, 'teams.mjs');
  dataFile = path.join(dir, 'teams.json');
  await writeFile(connector, teamsConnectorSource());
  await writeFile(dataFile, JSON.stringify({ person: { alice: { login: ['alice'] } }, team: {} }));
  host = createHost({ connectors: [], logger: pino({ level: 'silent' }), loadConnector: (spec) => loadDefinition(spec, store.paths.root) });
  host.app.route('/admin', createAdminRoutes({ host, store, adminToken, allowRemote: true, loaded: [] }));
  await host.start();
});
afterEach(async () => {
  await host.stop();
  await cleanup();
});

const put = (body: unknown) =>
  Promise.resolve(host.app.request('/admin/connectors/Teams', { method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
const scim = (token: string, url: string, init: RequestInit = {}) =>
  Promise.resolve(host.app.request(`/ecma2host_Teams/scim${url}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' } }));

it('creates a connector with a Groups type, keeps it on a change that does not name it, and refuses a type that does not fit', async () => {
  const created = await put({
    package: connector,
    parameters: { file: dataFile },
    objectType: 'person',
    scimMapping: { userName: 'login' },
    deprovisioning: { delete: { action: 'attribute', attribute: 'mail', value: 'deleted@example.test' } },
    autosyncMinutes: 0,
    additionalTypes: [{ objectType: 'team', resourceType: 'Group', scimMapping: { externalId: 'code' } }],
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const { token, connector: config } = (await created.json()) as { token: string; connector: Record<string, unknown> };
  // The defaults for a group type, with the given mapping added to the proposed one.
  expect(config.additionalTypes).toEqual([
    {
      objectType: 'team',
      resourceType: 'Group',
      anchor: ['code'],
      dn: { autogenerate: true },
      attributes: [{ name: 'code' }, { name: 'name' }, { name: 'member' }],
      scimMapping: { externalId: 'code' },
      deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
    },
  ]);
  await host.runImport('Teams');
  const group = await scim(token, '/Groups', { method: 'POST', body: JSON.stringify({ externalId: 'ops' }) });
  expect(group.status, await group.clone().text()).toBe(201);
  expect(JSON.parse(await readFile(dataFile, 'utf8')).team).toEqual({ ops: { code: ['ops'] } });

  // The "set attribute value" delete flow of the users.
  const alice = Buffer.from('alice').toString('base64url');
  expect((await scim(token, `/Users/${alice}`, { method: 'DELETE' })).status).toBe(204);
  expect(JSON.parse(await readFile(dataFile, 'utf8')).person.alice).toEqual({ login: ['alice'], mail: ['deleted@example.test'] });

  // A change that does not name additionalTypes keeps them.
  const changed = await put({ autosyncMinutes: 5 });
  expect(changed.status, await changed.clone().text()).toBe(200);
  expect(((await changed.json()) as { connector: { additionalTypes: unknown[] } }).connector.additionalTypes).toHaveLength(1);

  const wrong = await put({ additionalTypes: [{ objectType: 'team', resourceType: 'Group', scimMapping: { members: 'nope' } }, { objectType: 'team', resourceType: 'Gruop' }] });
  expect(wrong.status).toBe(400);
  expect(await wrong.json()).toEqual({ error: 'the request is not valid', problems: ['additionalTypes[1].resourceType must be "User", "Group" or { "name", "schema": "urn:...", "endpoint" }.'] });
  const unfit = await put({ additionalTypes: [{ objectType: 'team', resourceType: 'Group', scimMapping: { members: 'nope' } }] });
  expect(unfit.status).toBe(400);
  expect(((await unfit.json()) as { problems: string[] }).problems).toEqual(['additionalTypes[0].scimMapping: members is mapped to nope, which is not a served attribute of team.']);

  // An empty list serves no further type: /Groups answers the empty probe list again.
  expect((await put({ additionalTypes: [] })).status).toBe(200);
  expect(await (await scim(token, '/Groups')).json()).toMatchObject({ totalResults: 0 });
});
