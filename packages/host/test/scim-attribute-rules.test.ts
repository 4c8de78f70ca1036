import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { generatedConnector } from './fixtures/generated-connector.js';
import type { GeneratedOptions } from './fixtures/generated-connector.js';
import { EXT, TOKEN_A, fixtureConfig, scimRequest, startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';
import type { ConnectorInstanceConfig } from '../src/config/connector-config.js';

// What the host accepts from a SCIM write and how it finds what it wrote: every attribute given a
// value is either written or refused, and any served attribute name works, `id` included.

const BASE = '/ecma2host_A/scim';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const UNMAPPED_HINT =
  "map it in the connector's SCIM mapping, send the value as an attribute of urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User, or remove it from the provisioning mapping.";

let f: FixtureHost | undefined;
let generated: Host | undefined;
afterEach(async () => {
  await f?.cleanup();
  await generated?.stop();
  f = undefined;
  generated = undefined;
});

function post(fixture: FixtureHost, body: unknown): Promise<Response> {
  return fixture.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(body) });
}

/** A started host over a generated target, its logs captured from a pino stream. */
async function generatedHost(options: GeneratedOptions, overrides: Partial<ConnectorInstanceConfig>, logs: string[] = []): Promise<Host> {
  const host = createHost({
    connectors: [fixtureConfig('A', TOKEN_A, 'unused', { deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } }, ...overrides })],
    loadConnector: async () => generatedConnector(options),
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
  });
  await host.start();
  await host.runImport('A');
  return host;
}

function request(host: Host, url: string, init: RequestInit = {}): Promise<Response> {
  return scimRequest(host, TOKEN_A, url, init);
}

describe('SCIM attributes that no mapping reads', () => {
  it('refuses a POST whose userName is not mapped with 400 naming it, and writes nothing (it was dropped: 201, then no lookup found the user)', async () => {
    const { userName: _mapped, ...mapping } = fixtureConfig('A', TOKEN_A, '').scimMapping!;
    f = await startFixtureHost({ overrides: { scimMapping: mapping } });
    const res = await post(f, { userName: 'jdoe', [EXT]: { login: 'jdoe', firstName: 'J' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidValue', detail: `Attribute "userName" is not mapped to any attribute of this connector; ${UNMAPPED_HINT}` });
    expect(f.store('A').objects).toEqual({});
    // Without the anchor the answer says how Entra's matching attribute reaches it.
    const anchorless = await post(f, { [EXT]: { firstName: 'J' } });
    expect(await anchorless.json()).toEqual({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidValue',
      detail: `The anchor attribute login is required to create an object (${EXT}:login); no SCIM attribute is mapped to it: map userName (what Entra matches users on) to login in the connector's SCIM mapping (ecmahost connector set <Name> --scim userName=login).`,
    });
    // The same user with the value where the connector reads it is created and found.
    expect((await post(f, { [EXT]: { login: 'jdoe', firstName: 'J' } })).status).toBe(201);
    expect(await (await f.request(`${BASE}/Users?filter=${encodeURIComponent(`${EXT}:login eq "jdoe"`)}`)).json()).toMatchObject({ totalResults: 1 });
  });

  it('names every unmapped core and enterprise attribute, and accepts nulls, empty lists, schemas, meta, active and password', async () => {
    f = await startFixtureHost();
    const res = await post(f, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'boss',
      name: { givenName: 'B' },
      title: 'Boss',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales', manager: null },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidValue',
      detail: `Attributes "title", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" are not mapped to any attribute of this connector; ${UNMAPPED_HINT.replaceAll(' it ', ' them ').replace('remove it', 'remove them')}`,
    });
    expect(f.store('A').objects).toEqual({});
    const accepted = await post(f, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'boss',
      name: { givenName: 'B' },
      title: null,
      roles: [],
      addresses: null,
      meta: { resourceType: 'User' },
      active: true,
      password: 'Initial-Pass1',
    });
    expect(accepted.status).toBe(201);
    expect(f.store('A').objects.boss?.attributes).toMatchObject({ login: ['boss'], firstName: ['B'] });
    expect(f.store('A').passwords).toEqual({ boss: 'Initial-Pass1' });
  });

  it('refuses a PATCH and a PUT that give an unmapped attribute, and changes nothing', async () => {
    f = await startFixtureHost();
    const created = await post(f, { userName: 'pat', name: { givenName: 'P' } });
    const { id } = (await created.json()) as { id: string };
    const before = f.store('A');
    const patch = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'nickName', value: 'Patty' }] }),
    });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidValue', detail: `Attribute "nickName" is not mapped to any attribute of this connector; ${UNMAPPED_HINT}` });
    const put = await f.request(`${BASE}/Users/${id}`, { method: 'PUT', body: JSON.stringify({ userName: 'pat', name: { givenName: 'P' }, nickName: 'Patty' }) });
    expect(put.status).toBe(400);
    expect(f.store('A')).toEqual(before);
  });
});

describe("Entra's PATCH of plain replaces (decision 025)", () => {
  it('writes only what it replaces, even where the target holds a value the host would refuse from SCIM', async () => {
    f = await startFixtureHost({ host: { maxValueLength: 100 } });
    // Entra always sends active on create, so the disable flow's attribute has its value.
    const created = await post(f, { userName: 'jdoe', active: true, name: { givenName: 'J', familyName: 'Doe' }, displayName: 'J Doe' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // The target's column holds more than the host accepts from SCIM: written there by another tool.
    const store = f.store('A');
    const long = 'D'.repeat(200);
    store.objects.jdoe!.attributes.lastName = [long];
    writeFileSync(f.file('A'), JSON.stringify(store));
    await f.host.runImport('A', { delta: false });
    const exportsBefore = f.store('A').log.length;

    const res = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'Replace', path: 'displayName', value: 'Jane Doe' },
          { op: 'Replace', path: 'name.givenName', value: 'Jane' },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userName: 'jdoe', displayName: 'Jane Doe', name: { givenName: 'Jane', familyName: long } });
    const after = f.store('A');
    expect(after.objects.jdoe!.attributes).toMatchObject({ displayName: ['Jane Doe'], firstName: ['Jane'], lastName: [long] });
    expect(after.log.slice(exportsBefore)).toEqual([{ seq: after.seq, login: 'jdoe', modification: 'update' }]);
    // The same value again exports nothing.
    const again = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'displayName', value: 'Jane Doe' }] }),
    });
    expect(again.status).toBe(200);
    expect(f.store('A').log.length).toBe(exportsBefore + 1);
    // A value the host refuses from SCIM is refused, naming that value (not the target's long one).
    const tooLong = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'displayName', value: 'x'.repeat(101) }] }),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ scimType: 'invalidValue', detail: 'The value of displayName is 101 characters long; the host accepts at most 100.' });
    expect(f.store('A').objects.jdoe!.attributes.displayName).toEqual(['Jane Doe']);
  });
});

describe('an empty anchor', () => {
  it('is refused with 400 and writes nothing (it got the id "", which no URL reaches)', async () => {
    f = await startFixtureHost();
    const res = await post(f, { userName: '', name: { givenName: 'G' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidValue', detail: 'The anchor attribute login must not be empty.' });
    expect(f.store('A').objects).toEqual({});
  });
});

describe('a connector attribute named id', () => {
  it('is found by userName eq when mapped and by its extension attribute filter, like any other anchor', async () => {
    generated = await generatedHost(
      { count: 3, anchorName: 'id' },
      { anchor: ['id'], attributes: [{ name: 'id' }, { name: 'mail' }, { name: 'firstName' }], scimMapping: { userName: 'id', 'name.givenName': 'firstName' } },
    );
    for (const filter of ['userName eq "user1"', `${EXT}:id eq "user1"`]) {
      const res = await request(generated, `${BASE}/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'user1', [EXT]: { id: 'user1', mail: 'user1@example.com' } }] });
    }
    const created = await request(generated, `${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'new-one', name: { givenName: 'N' } }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const found = await request(generated, `${BASE}/Users?filter=${encodeURIComponent('userName eq "new-one"')}`);
    expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ id, userName: 'new-one', [EXT]: { id: 'new-one' } }] });
    // The SCIM id is still the host's own.
    expect(await (await request(generated, `${BASE}/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)).json()).toMatchObject({ totalResults: 1 });
  });
});

describe('features a connector declares that the host does not use', () => {
  it('logs one warning at load naming them', async () => {
    const logs: string[] = [];
    generated = await generatedHost({ count: 1, partitions: true }, { attributes: [{ name: 'login' }, { name: 'firstName' }], scimMapping: { userName: 'login' } }, logs);
    const warnings = logs.map((line) => JSON.parse(line) as { level: number; msg: string; connector?: string }).filter((line) => line.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ connector: 'A', msg: 'connector declares features this host does not use: partitions (getPartitions)' })]);
    expect((await request(generated, `${BASE}/Users?filter=${encodeURIComponent('userName eq "user0"')}`)).status).toBe(200);
  });

  it('logs nothing for a connector that declares only what the host uses', async () => {
    const logs: string[] = [];
    generated = await generatedHost({ count: 1 }, { attributes: [{ name: 'login' }, { name: 'firstName' }], scimMapping: { userName: 'login' } }, logs);
    expect(logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 40)).toEqual([]);
  });
});
