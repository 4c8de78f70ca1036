import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CSEntryChange, ConnectorDefinition } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReferenceConnector, createReferenceStore, dropReferenceStore, referenceObjects } from '../../sdk/test/reference-connector.js';
import { hashToken } from '../src/auth/token.js';
import type { ConnectorInstanceConfig } from '../src/config/connector-config.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { scimRequest } from './fixtures/fixture-host.js';

// Entra's group flow (azure-scim-client.md §1.2: G1–G7, the manager PATCH and the manager check)
// replayed against the SDK's reference connector serving `person` as Users and `group` as Groups
// in one configuration. After each step the test reads the reference store (the target) and the
// entries the host exported.

const TOKEN = 'token-for-the-groups-connector-0123456789';
const BASE = '/ecma2host_R/scim';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function groupsConfig(store: string, overrides: Partial<ConnectorInstanceConfig> = {}): ConnectorInstanceConfig {
  return {
    name: 'R',
    package: '@ecmahost/connector-reference',
    autosyncMinutes: 0,
    tokenHash: hashToken(TOKEN),
    parameters: { store },
    objectType: 'person',
    anchor: ['id'],
    dn: { autogenerate: true },
    attributes: ['id', 'userName', 'displayName', 'manager', 'active'].map((name) => ({ name })),
    deprovisioning: { disable: { action: 'attribute', attribute: 'active' }, delete: { action: 'delete' } },
    runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 100 }, deltaImport: { pageSize: 100 } },
    scimMapping: { userName: 'userName', displayName: 'displayName', [`${ENTERPRISE}:manager`]: 'manager' },
    additionalTypes: [
      {
        objectType: 'group',
        resourceType: 'Group',
        anchor: ['id'],
        dn: { autogenerate: true },
        attributes: [{ name: 'id' }, { name: 'displayName' }, { name: 'member' }],
        scimMapping: { displayName: 'displayName', members: 'member' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      },
    ],
    ...overrides,
  };
}

let store: string;
let host: Host;
let dir: string;
/** Every entry the host exported, in order. */
let exported: CSEntryChange[];

/**
 * The reference connector, with the entries of each export session recorded on their way in. The
 * SDK's sources and the host's copy of its build are distinct types to TypeScript, hence the cast.
 */
function recordingConnector(): ConnectorDefinition {
  const connector = createReferenceConnector();
  return {
    ...connector,
    async open(values: Parameters<typeof connector.open>[0], context: Parameters<typeof connector.open>[1]) {
      const instance = await connector.open(values, context);
      const openExport = instance.openExport!.bind(instance);
      return Object.assign(Object.create(instance) as typeof instance, {
        async openExport(runStep: Parameters<typeof openExport>[0]) {
          const session = await openExport(runStep);
          return { ...session, putEntries: (entries: CSEntryChange[]) => (exported.push(...entries), session.putEntries(entries)), close: session.close.bind(session) };
        },
      });
    },
  } as unknown as ConnectorDefinition;
}

async function start(config: ConnectorInstanceConfig): Promise<void> {
  host = createHost({ connectors: [config], logger: pino({ level: 'silent' }), stateDir: path.join(dir, 'state'), loadConnector: async () => recordingConnector() });
  await host.start();
  await host.runImport('R');
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-groups-'));
  store = createReferenceStore();
  exported = [];
});
afterEach(async () => {
  await host?.stop();
  dropReferenceStore(store);
  rmSync(dir, { recursive: true, force: true });
});

function request(url: string, init: RequestInit = {}): Promise<Response> {
  return scimRequest(host, TOKEN, url, init);
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

function patch(ops: unknown[]): RequestInit {
  return { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops }) };
}

async function createUser(userName: string): Promise<string> {
  const res = await request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true }) });
  expect(res.status).toBe(201);
  return String((await json(res)).id);
}

/** The target's object with this displayName or userName. */
function target(displayNameOrUserName: string) {
  return referenceObjects(store).find((o) => o.attributes.displayName?.[0] === displayNameOrUserName || o.attributes.userName?.[0] === displayNameOrUserName);
}

describe('groups and references on the reference connector', () => {
  beforeEach(async () => {
    await start(groupsConfig(store));
  });

  it('replays G1–G7 with the target checked after each step', async () => {
    const alice = await createUser('alice');
    const bob = await createUser('bob');
    const aliceAnchor = target('alice')!.id;
    const bobAnchor = target('bob')!.id;

    // G1, with Microsoft's non-URN schema. Entra's default group mappings also send externalId;
    // the reference group type has nowhere to keep it, so the admin removes that mapping (docs/admin/groups.md).
    const g1 = await request(`${BASE}/Groups`, {
      method: 'POST',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        displayName: 'Engineering',
        members: [],
        meta: { resourceType: 'Group' },
      }),
    });
    expect(g1.status).toBe(201);
    const created = await json(g1);
    const id = String(created.id);
    expect(created).toMatchObject({ displayName: 'Engineering', meta: { resourceType: 'Group', location: `http://localhost${BASE}/Groups/${id}` } });
    expect(created.schemas).toContain('urn:ietf:params:scim:schemas:core:2.0:Group');
    expect(created.active).toBeUndefined();
    expect(g1.headers.get('location')).toBe(`http://localhost${BASE}/Groups/${id}`);
    expect(target('Engineering')).toMatchObject({ objectType: 'group', attributes: { displayName: ['Engineering'] } });

    // displayName is unique per connector.
    const duplicate = await request(`${BASE}/Groups`, { method: 'POST', body: JSON.stringify({ displayName: 'engineering' }) });
    expect(duplicate.status).toBe(409);
    expect(await json(duplicate)).toMatchObject({ scimType: 'uniqueness' });
    expect(referenceObjects(store).filter((o) => o.objectType === 'group')).toHaveLength(1);

    // G5: several members in one operation; 204 without a body; only the added values exported.
    const g5 = await request(`${BASE}/Groups/${id}`, patch([{ op: 'Add', path: 'members', value: [{ $ref: null, value: alice }, { $ref: null, value: bob }] }]));
    expect(g5.status).toBe(204);
    expect(await g5.text()).toBe('');
    expect(target('Engineering')!.attributes.member).toEqual([aliceAnchor, bobAnchor]);
    expect(exported.at(-1)).toMatchObject({
      modification: 'update',
      objectType: 'group',
      attributeChanges: [{ name: 'member', modification: 'update', valueChanges: [{ modification: 'add', value: aliceAnchor }, { modification: 'add', value: bobAnchor }] }],
    });

    // G2 and G3 honour excludedAttributes=members; without it, members are SCIM ids.
    const g2 = await json(await request(`${BASE}/Groups/${id}?excludedAttributes=members`));
    expect(g2).toMatchObject({ id, displayName: 'Engineering' });
    expect(g2.members).toBeUndefined();
    // Nor the ECMA2Host extension's copy of the member attribute.
    expect(g2['urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group']).toEqual({ id: target('Engineering')!.id, displayName: 'Engineering' });
    const g3 = await json(await request(`${BASE}/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Engineering"')}`));
    expect(g3).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect((g3.Resources as Record<string, unknown>[])[0]!.members).toBeUndefined();
    const full = await json(await request(`${BASE}/Groups/${id}`));
    expect(full.members).toEqual([{ value: alice }, { value: bob }]);

    // A member the host does not know: 400 naming it, nothing written.
    const dangling = await request(`${BASE}/Groups/${id}`, patch([{ op: 'Add', path: 'members', value: [{ value: 'no-such-user' }] }]));
    expect(dangling.status).toBe(400);
    expect(await json(dangling)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('no-such-user') });
    expect(target('Engineering')!.attributes.member).toEqual([aliceAnchor, bobAnchor]);

    // G6 by value list, then by a value filter path.
    const g6 = await request(`${BASE}/Groups/${id}`, patch([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: alice }] }]));
    expect(g6.status).toBe(204);
    expect(target('Engineering')!.attributes.member).toEqual([bobAnchor]);
    expect(exported.at(-1)!.attributeChanges).toEqual([{ name: 'member', modification: 'update', valueChanges: [{ modification: 'delete', value: aliceAnchor }] }]);
    const byFilter = await request(`${BASE}/Groups/${id}`, patch([{ op: 'Remove', path: `members[value eq "${bob}"]` }]));
    expect(byFilter.status).toBe(204);
    expect(target('Engineering')!.attributes.member ?? []).toEqual([]);
    expect((await json(await request(`${BASE}/Groups/${id}`))).members).toBeUndefined();

    // G4: displayName, 204; a rename onto another group's name is a 409.
    const g4 = await request(`${BASE}/Groups/${id}`, patch([{ op: 'Replace', path: 'displayName', value: 'Engineering (EMEA)' }]));
    expect(g4.status).toBe(204);
    expect(target('Engineering (EMEA)')).toBeDefined();
    expect((await request(`${BASE}/Groups`, { method: 'POST', body: JSON.stringify({ displayName: 'Sales' }) })).status).toBe(201);
    expect((await request(`${BASE}/Groups/${id}`, patch([{ op: 'Replace', path: 'displayName', value: 'Sales' }]))).status).toBe(409);
    expect(target('Engineering (EMEA)')).toBeDefined();

    // G7.
    const g7 = await request(`${BASE}/Groups/${id}`, { method: 'DELETE' });
    expect(g7.status).toBe(204);
    expect(target('Engineering (EMEA)')).toBeUndefined();
    expect((await request(`${BASE}/Groups/${id}`)).status).toBe(404);
  });

  it('reads members back as SCIM ids after an import', async () => {
    const alice = await createUser('alice');
    const created = await json(await request(`${BASE}/Groups`, { method: 'POST', body: JSON.stringify({ displayName: 'Ops', members: [{ value: alice }] }) }));
    expect(target('Ops')!.attributes.member).toEqual([target('alice')!.id]);
    await host.runImport('R', { delta: false });
    expect((await json(await request(`${BASE}/Groups/${String(created.id)}`))).members).toEqual([{ value: alice }]);
    // The diagnosis view of the group type's own space holds the target's value.
    const view = await json(await request(`${BASE}/cache?type=Group`));
    expect(view).toMatchObject({ totalResults: 1, objects: [{ id: String(created.id), attributes: { displayName: ['Ops'], member: [target('alice')!.id] } }] });
    expect((await request(`${BASE}/cache?type=nothing`)).status).toBe(404);
  });

  it('writes the manager as the target reference, in both forms Entra sends, and answers the manager check', async () => {
    const alice = await createUser('alice');
    const bob = await createUser('bob');
    const carol = await createUser('carol');
    // TUT example 5: unqualified path, an array of one {"$ref", "value"}.
    const added = await request(`${BASE}/Users/${alice}`, patch([{ op: 'Add', path: 'manager', value: [{ $ref: `http://localhost${BASE}/Users/${bob}`, value: bob }] }]));
    expect(added.status).toBe(200);
    expect(((await json(added))[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: bob });
    expect(target('alice')!.attributes.manager).toEqual([target('bob')!.id]);
    // The bare string form, URN-qualified.
    expect((await request(`${BASE}/Users/${alice}`, patch([{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: carol }]))).status).toBe(200);
    expect(target('alice')!.attributes.manager).toEqual([target('carol')!.id]);

    const check = async (manager: string) =>
      json(await request(`${BASE}/Users?filter=${encodeURIComponent(`id eq "${alice}" and manager eq "${manager}"`)}&attributes=id`));
    expect(await check(carol)).toMatchObject({ totalResults: 1, Resources: [{ id: alice }] });
    expect(await check(bob)).toMatchObject({ totalResults: 0 });
    // TUT-2017's form, with unquoted values.
    const unquoted = await json(await request(`${BASE}/Users?filter=${encodeURIComponent(`id eq ${alice} and manager eq ${carol}`)}&attributes=id`));
    expect(unquoted).toMatchObject({ totalResults: 1, Resources: [{ id: alice }] });
    // A create that names its manager in the enterprise extension.
    const dave = await request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'dave', [ENTERPRISE]: { manager: { value: alice } } }) });
    expect(dave.status).toBe(201);
    expect(((await json(dave))[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: alice });
    expect(target('dave')!.attributes.manager).toEqual([target('alice')!.id]);

    // An unknown manager: 400 naming it, the target keeps carol.
    const unknown = await request(`${BASE}/Users/${alice}`, patch([{ op: 'Replace', path: 'manager', value: { value: 'nobody-knows-me' } }]));
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('nobody-knows-me') });
    expect(target('alice')!.attributes.manager).toEqual([target('carol')!.id]);

    // A PATCH of another attribute keeps the manager.
    expect((await request(`${BASE}/Users/${alice}`, patch([{ op: 'Replace', path: 'displayName', value: 'Alice' }]))).status).toBe(200);
    expect(target('alice')!.attributes.manager).toEqual([target('carol')!.id]);
  });

  it('lists exactly the served resource types and their schemas', async () => {
    const types = await json(await request(`${BASE}/ResourceTypes`));
    expect((types.Resources as Record<string, unknown>[]).map((t) => [t.name, t.endpoint, t.schema])).toEqual([
      ['User', '/Users', 'urn:ietf:params:scim:schemas:core:2.0:User'],
      ['Group', '/Groups', 'urn:ietf:params:scim:schemas:core:2.0:Group'],
    ]);
    const schemas = await json(await request(`${BASE}/Schemas`));
    const ids = (schemas.Resources as Record<string, unknown>[]).map((s) => s.id);
    expect(ids).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group',
    ]);
    const group = (schemas.Resources as { id: string; attributes: { name: string; type: string; multiValued: boolean }[] }[])[2]!;
    expect(group.attributes.map((a) => a.name)).toEqual(['displayName', 'members']);
    expect(group.attributes[1]).toMatchObject({ type: 'reference', multiValued: true });
  });
});

describe('the "set attribute value" delete flow', () => {
  it('sets the attribute and leaves the user in the target', async () => {
    await start(groupsConfig(store, { deprovisioning: { disable: { action: 'none' }, delete: { action: 'attribute', attribute: 'active', value: 'false' } } }));
    const alice = await createUser('alice');
    const res = await request(`${BASE}/Users/${alice}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(target('alice')!.attributes.active).toEqual([false]);
    expect((await request(`${BASE}/Users/${alice}`)).status).toBe(404);
    // The next full import shows the object again, as the target still holds it.
    await host.runImport('R', { delta: false });
    expect((await request(`${BASE}/Users/${alice}`)).status).toBe(200);
  });
});
