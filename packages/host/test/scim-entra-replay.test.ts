import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createHost } from '../src/host.js';
import { EXT, TOKEN_A, fixtureConfig, startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

// Replays the request shapes of azure-scim-client.md §1 and §2 (Microsoft's SCIM tutorial and the
// aadOptscim062020 compatibility notes) against a connector that really stores data, and reads the
// store back after each write.

const USER = 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee';
const KEY = USER.toLowerCase();
const BASE = '/ecma2host_A/scim';

/** U1 of Microsoft's tutorial (trailing commas removed), plus the ECMA2Host extension Entra sends for mapped attributes. */
function u1(): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', EXT],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: USER,
    active: true,
    emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    addresses: null,
    title: null,
    [EXT]: { employeeNumber: '42', objectClass: ['person', 'inetOrgPerson'], code: 'AbC' },
  };
}

let f: FixtureHost;
beforeEach(async () => {
  f = await startFixtureHost();
});
afterEach(async () => {
  await f.cleanup();
});

async function create(body = u1()): Promise<{ id: string; body: Record<string, unknown> }> {
  const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  const json = (await res.json()) as Record<string, unknown>;
  return { id: String(json.id), body: json };
}

describe('Entra probes', () => {
  it('answers the PLACEHOLDER probe with an empty ListResponse (Test Connection)', async () => {
    const res = await f.request(`${BASE}/Users?filter=PLACEHOLDER+eq+"8646d011-1693-4cd3-9ee6-0d7482ca2219"`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(await res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('answers the group probe with an empty list, never an error', async () => {
    const res = await f.request(`${BASE}/Groups?excludedAttributes=members&filter=displayName+eq+"displayName"`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await f.request(`${BASE}/Groups/40734ae655284ad3abcc`)).status).toBe(404);
  });

  it('serves /Schemas and /schemas with every selected attribute under the ECMA2Host extension', async () => {
    for (const path of ['Schemas', 'schemas', 'SCHEMAS/']) {
      const res = await f.request(`${BASE}/${path}`);
      expect(res.status).toBe(200);
      const list = (await res.json()) as { totalResults: number; Resources: { id: string; attributes: Record<string, unknown>[] }[] };
      const ext = list.Resources.find((r) => r.id === EXT)!;
      const byName = Object.fromEntries(ext.attributes.map((a) => [a.name, a]));
      expect(byName.login).toMatchObject({ type: 'string', multiValued: false, mutability: 'immutable', uniqueness: 'server', required: true });
      expect(byName.objectClass).toMatchObject({ multiValued: true });
      expect(byName.employeeNumber).toMatchObject({ type: 'integer' });
      expect(byName.createdAt).toMatchObject({ type: 'dateTime', mutability: 'readOnly' });
      expect(byName.code).toMatchObject({ caseExact: true });
      expect(byName.export_password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    }
    const one = await f.request(`${BASE}/Schemas/${EXT}`);
    expect(((await one.json()) as { id: string }).id).toBe(EXT);
    expect((await f.request(`${BASE}/ServiceProviderConfig`)).status).toBe(200);
    expect(((await (await f.request(`${BASE}/ResourceTypes`)).json()) as { totalResults: number }).totalResults).toBe(1);
  });
});

describe('user lifecycle as Entra drives it', () => {
  it('creates (U1), finds by matching attribute with + encoding (U3), gets (U2), and the store holds the row', async () => {
    const { id, body } = await create();
    expect(body).toMatchObject({ userName: USER, externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', active: true });
    expect(body.emails).toEqual([{ type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }]);
    expect(body[EXT]).toMatchObject({ login: USER, employeeNumber: 42, objectClass: ['person', 'inetOrgPerson'] });
    expect(body).not.toHaveProperty('roles');

    const row = f.store('A').objects[KEY]!;
    expect(row.dn).toBe(`CN=${USER},OBJECT=PERSON`);
    expect(row.attributes).toMatchObject({
      login: [USER],
      mail: ['Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com'],
      firstName: ['givenName'],
      lastName: ['familyName'],
      externalId: ['0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'],
      employeeNumber: [42],
      accountDisabled: [false],
      objectClass: ['person', 'inetOrgPerson'],
    });

    // A GET right after the POST finds the object: the export updated the cache at once.
    const query = await f.request(`${BASE}/Users?filter=userName+eq+"${USER}"`);
    expect(query.status).toBe(200);
    const list = (await query.json()) as { totalResults: number; Resources: { id: string }[] };
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]!.id).toBe(id);

    // The matching attribute as Entra names it for ECMA targets, in another case (not caseExact).
    const byExt = await f.request(`${BASE}/Users?filter=${EXT}:mail+eq+"TEST_USER_11bb11bb-cc22-dd33-ee44-55ff55ff55ff%40testuser.com"`);
    expect(((await byExt.json()) as { totalResults: number }).totalResults).toBe(1);
    // The value-path form of TUT's matching attribute.
    const byEmail = await f.request(`${BASE}/users/?filter=emails[type+eq+"work"].value+eq+"Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"`);
    expect(((await byEmail.json()) as { totalResults: number }).totalResults).toBe(1);

    const get = await f.request(`${BASE}/Users/${id}`);
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ id, userName: USER, meta: { resourceType: 'User', location: `http://localhost${BASE}/Users/${id}` } });

    const none = await f.request(`${BASE}/Users?filter=userName+eq+"non-existent user"`);
    expect(await none.json()).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('returns Location and a stable, URL-safe id derived from the anchor', async () => {
    const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(u1()) });
    const body = (await res.json()) as { id: string };
    expect(res.headers.get('location')).toBe(`http://localhost${BASE}/Users/${body.id}`);
    expect(body.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(body.id, 'base64url').toString('utf8')).toBe(USER.toLowerCase());
    // After a restart the object has the same id: a new host importing the same store serves it.
    const restarted = createHost({ connectors: [fixtureConfig('A', TOKEN_A, f.file('A'))], logger: pino({ level: 'silent' }) });
    await restarted.start();
    await restarted.runImport('A');
    try {
      const again = await restarted.app.request(`${BASE}/Users/${body.id}`, { headers: { authorization: `Bearer ${TOKEN_A}` } });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { userName: string }).userName).toBe(USER);
    } finally {
      await restarted.stop();
    }
  });

  it('applies a PATCH with one op per attribute (default Entra style, U5/U6)', async () => {
    const { id } = await create();
    const res = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          { op: 'Add', path: `${EXT}:employeeNumber`, value: '7' },
          { op: 'Add', path: `${EXT}:objectClass`, value: ['posixAccount'] },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.emails).toEqual([{ type: 'work', value: 'updatedEmail@microsoft.com' }]);
    expect(body.name).toMatchObject({ familyName: 'updatedFamilyName', givenName: 'givenName' });
    const row = f.store('A').objects[KEY]!.attributes;
    expect(row.mail).toEqual(['updatedEmail@microsoft.com']);
    expect(row.lastName).toEqual(['updatedFamilyName']);
    expect(row.firstName).toEqual(['givenName']);
    expect(row.employeeNumber).toEqual([7]);
    expect(row.objectClass).toEqual(['person', 'inetOrgPerson', 'posixAccount']);
  });

  it('applies a path-less PATCH with dotted and URN-qualified keys (aadOptscim062020 style)', async () => {
    const { id } = await create();
    const res = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'bjfe@contoso.com' },
          { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${EXT}:employeeNumber`]: '99' } },
          { op: 'remove', path: `${EXT}:objectClass`, value: ['inetOrgPerson'] },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const row = f.store('A').objects[KEY]!.attributes;
    expect(row).toMatchObject({ displayName: ['Bjfe'], firstName: ['Kkom'], lastName: ['Unua'], employeeNumber: [99], mail: ['bjfe@contoso.com'], objectClass: ['person'] });
    // Dotted keys were resolved, not stored as literal attribute names.
    expect(Object.keys(row)).not.toContain('name.givenName');
    const got = (await (await f.request(`${BASE}/Users/${id}`)).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua' } });
  });

  it('disables with "False", keeps the user visible, and enables again (U7, §2.2)', async () => {
    const { id } = await create();
    const disable = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Operations: [{ op: 'Replace', path: 'active', value: 'False' }], schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }),
    });
    expect(disable.status).toBe(200);
    expect(await disable.json()).toMatchObject({ active: false });
    expect(f.store('A').objects[KEY]!.attributes.accountDisabled).toEqual([true]);
    // Soft-deleted users are still returned by GET and filter.
    expect(((await (await f.request(`${BASE}/Users/${id}`)).json()) as { active: boolean }).active).toBe(false);
    expect(((await (await f.request(`${BASE}/Users?filter=userName+eq+"${USER}"`)).json()) as { totalResults: number }).totalResults).toBe(1);

    const enable = await f.request(`${BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: true }] }),
    });
    expect(enable.status).toBe(200);
    expect(f.store('A').objects[KEY]!.attributes.accountDisabled).toEqual([false]);

    await f.request(`${BASE}/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ Operations: [{ op: 'Replace', path: 'active', value: false }] }) });
    expect(f.store('A').objects[KEY]!.attributes.accountDisabled).toEqual([true]);
  });

  it('refuses a duplicate create with 409 uniqueness and writes nothing', async () => {
    await create();
    const before = f.store('A');
    const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ ...u1(), userName: USER.toUpperCase() }) });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' });
    expect(f.store('A')).toEqual(before);
  });

  it('answers 404 with a SCIM error for an unknown id (U2b)', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const init: RequestInit = { method };
      if (method === 'PATCH') init.body = JSON.stringify({ Operations: [{ op: 'Replace', path: 'active', value: false }] });
      const res = await f.request(`${BASE}/Users/5171a35d82074e068ce2`, init);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
    }
  });

  it('deletes with 204 (U8) and the row is gone', async () => {
    const { id } = await create();
    const res = await f.request(`${BASE}/Users/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(f.store('A').objects[KEY]).toBeUndefined();
    expect((await f.request(`${BASE}/Users/${id}`)).status).toBe(404);
  });

  it('sets an initial password by a second call after the add, and never logs it', async () => {
    const password = 'Pass@w0rd1-initial';
    const body = u1();
    (body[EXT] as Record<string, unknown>).export_password = password;
    const { body: created } = await create(body);
    expect(f.store('A').passwords[KEY]).toBe(password);
    expect(f.store('A').objects[KEY]!.attributes).not.toHaveProperty('export_password');
    expect(JSON.stringify(created)).not.toContain(password);
    expect(f.logs.join('\n')).not.toContain(password);
    expect(f.logs.join('\n')).not.toContain(TOKEN_A);
    // The request body was logged at debug level, redacted.
    expect(f.logs.some((l) => l.includes('"request body"') && l.includes('[redacted]'))).toBe(true);
  });

  it('writes one log line per SCIM request with connector, method, path, status, latency and request id', async () => {
    const res = await f.request(`${BASE}/Users?filter=userName+eq+"x"`, { headers: { 'x-request-id': 'req-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const line = f.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'req-123' && l.msg === 'request')!;
    expect(line).toMatchObject({ connector: 'A', method: 'GET', path: `${BASE}/Users`, status: 200 });
    expect(typeof line.latencyMs).toBe('number');
  });

  it('echoes the request id on created, error, empty and unrouted responses, keeping their status and headers', async () => {
    const created = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(u1()), headers: { 'x-request-id': 'req-201' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('req-201');
    expect(created.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toContain(`${BASE}/Users/${id}`);

    const missing = await f.request(`${BASE}/Users/5171a35d82074e068ce2`, { headers: { 'x-request-id': 'req-404' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('req-404');
    expect(missing.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');

    const unauthorized = await f.request(`${BASE}/Users`, { token: 'wrong', headers: { 'x-request-id': 'req-401' } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-request-id')).toBe('req-401');
    expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer realm="ecmahost"');

    const deleted = await f.request(`${BASE}/Users/${id}`, { method: 'DELETE', headers: { 'x-request-id': 'req-204' } });
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('x-request-id')).toBe('req-204');
    expect(await deleted.text()).toBe('');

    const nowhere = await f.request('/nowhere', { headers: { 'x-request-id': 'req-none' } });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('x-request-id')).toBe('req-none');
  });
});
