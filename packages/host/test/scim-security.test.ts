import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXT, TOKEN_A, TOKEN_B, startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

// Hostile and malformed input: every answer is a clean SCIM error, and the store is unchanged.

let f: FixtureHost;
beforeAll(async () => {
  f = await startFixtureHost({ names: ['A', 'B'], host: { bodyLimitBytes: 16 * 1024 } });
});
afterAll(async () => {
  await f.cleanup();
});

const BASE = '/ecma2host_A/scim';
const ROUTES: [string, string][] = [
  ['GET', 'Users'],
  ['GET', 'Users?filter=userName+eq+"x"'],
  ['POST', 'Users'],
  ['GET', 'Users/dGVzdA'],
  ['PATCH', 'Users/dGVzdA'],
  ['PUT', 'Users/dGVzdA'],
  ['DELETE', 'Users/dGVzdA'],
  ['GET', 'Groups'],
  ['GET', 'Schemas'],
  ['GET', `Schemas/${EXT}`],
  ['GET', 'ServiceProviderConfig'],
  ['GET', 'ResourceTypes'],
  ['GET', 'cache'],
  ['GET', 'nonexistent'],
  ['GET', ''],
];

function user(login: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: login, name: { givenName: 'G' }, ...extra });
}

async function expectScimError(res: Response, status: number, scimType?: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status) });
  if (scimType !== undefined) expect(body.scimType).toBe(scimType);
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  return body;
}

describe('authentication', () => {
  const cases: [string, Record<string, string>][] = [
    ['no token', {}],
    ['the other connector’s token', { authorization: `Bearer ${TOKEN_B}` }],
    ['a wrong token', { authorization: 'Bearer not-the-right-token-at-all' }],
    ['a token with another scheme', { authorization: `Basic ${TOKEN_A}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ];
  for (const [label, headers] of cases) {
    it(`refuses every connector route with ${label} (401)`, async () => {
      for (const [method, path] of ROUTES) {
        const init: RequestInit = { method, headers };
        if (method === 'POST' || method === 'PATCH' || method === 'PUT') init.body = user('intruder');
        const res = await f.host.app.request(`${BASE}/${path}`, init);
        await expectScimError(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      expect(f.store('A').objects).toEqual({});
    });
  }

  it('accepts each connector’s own token only on that connector', async () => {
    expect((await f.request('/ecma2host_B/scim/Users', { token: TOKEN_B })).status).toBe(200);
    expect((await f.request('/ecma2host_B/scim/Users', { token: TOKEN_A })).status).toBe(401);
  });

  it('matches connector names case-sensitively and answers unknown connectors with the 401 of a wrong token (names cannot be probed)', async () => {
    const body = await expectScimError(await f.request('/ecma2host_a/scim/Users'), 401);
    expect(body.detail).toBe('The bearer token is not valid for connector a.');
    await expectScimError(await f.request('/ecma2host_Nope/scim/Users'), 401);
    await expectScimError(await f.request('/ecma2host_Nope/scim/Users', { token: '' }), 401);
    const long = await expectScimError(await f.request(`/ecma2host_${'x'.repeat(8000)}/scim/Users`), 401);
    expect(long.detail).toBe(`The bearer token is not valid for connector ${'x'.repeat(100)}….`);
  });
});

describe('malformed requests', () => {
  it('refuses malformed JSON with 400 invalidSyntax', async () => {
    for (const body of ['{"userName":', 'not json', '[1,2', '']) {
      await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body }), 400, 'invalidSyntax');
    }
    expect(f.store('A').objects).toEqual({});
  });

  it('accepts application/json as well as application/scim+json, refuses other media types', async () => {
    const res = await f.request(`${BASE}/Users`, { method: 'POST', body: user('json-type'), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
    await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: user('form'), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    expect(Object.keys(f.store('A').objects)).toEqual(['json-type']);
  });

  it('refuses a body over the limit with 413 and writes nothing', async () => {
    const before = f.store('A');
    const huge = user('huge', { displayName: 'x'.repeat(20 * 1024) });
    await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: huge }), 413);
    // Also when no Content-Length announces it (a streamed body).
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const res = await f.host.app.request(`${BASE}/Users`, {
      method: 'POST',
      body: stream,
      headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' },
      duplex: 'half',
    } as RequestInit);
    await expectScimError(res, 413);
    expect(f.store('A')).toEqual(before);
  });

  it('refuses filter syntax errors with 400 invalidFilter', async () => {
    const filters = ['userName+eq', '(userName+eq+"a"', 'userName+xx+"a"', 'userName+eq+"unterminated', 'userName+eq+"a"+and', 'emails[type+eq+"work"+eq+"x"', '"just a string"', 'a.b.c+eq+"x"'];
    for (const filter of filters) {
      await expectScimError(await f.request(`${BASE}/Users?filter=${filter}`), 400, 'invalidFilter');
    }
  });

  it('answers a filter on an unknown attribute with an empty list', async () => {
    const res = await f.request(`${BASE}/Users?filter=noSuchAttribute+eq+"x"`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('refuses unknown attributes in the ECMA2Host extension with 400 and writes nothing', async () => {
    const before = f.store('A');
    const body = await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: user('unknown-attr', { [EXT]: { notAnAttribute: 'x' } }) }), 400, 'invalidValue');
    expect(String(body.detail)).toContain('notAnAttribute');
    await expectScimError(
      await f.request(`${BASE}/Users`, { method: 'POST', body: user('readonly-attr', { [EXT]: { createdAt: '2020-01-01T00:00:00Z' } }) }),
      400,
      'mutability',
    );
    await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: user('bad-int', { [EXT]: { employeeNumber: 'twelve' } }) }), 400, 'invalidValue');
    expect(f.store('A')).toEqual(before);
  });

  it('refuses a 10 kB attribute value with 400 and passes the directory’s own message for a value over its column size', async () => {
    const before = f.store('A');
    await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: user('long', { displayName: 'x'.repeat(10 * 1024) }) }), 400, 'invalidValue');
    const body = await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: user('column', { displayName: 'y'.repeat(300) }) }), 400, 'invalidValue');
    expect(String(body.detail)).toContain("String or binary data would be truncated in column 'displayName'");
    const missing = await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: 'no-first-name' }) }), 400, 'invalidValue');
    expect(String(missing.detail)).toContain("Cannot insert the value NULL into column 'firstName'");
    expect(f.store('A')).toEqual(before);
  });

  it('treats filter values crafted against LDAP or SQL quoting as plain data', async () => {
    const created = await f.request(`${BASE}/Users`, { method: 'POST', body: user('victim') });
    expect(created.status).toBe(201);
    const before = f.store('A');
    // Well-formed filters whose values carry LDAP/SQL metacharacters match nothing (and everything is not returned).
    for (const value of ['*', '*)(uid=*', "x' OR '1'='1", 'victim)(|(objectClass=*', "victim'--", 'victim"; DROP TABLE users; --', 'victim\\']) {
      const res = await f.request(`${BASE}/Users?filter=userName+eq+${encodeURIComponent(JSON.stringify(value))}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ totalResults: 0, Resources: [] });
    }
    // Quotes that break out of the string are a filter syntax error, not a wider query.
    for (const filter of ['userName+eq+"victim"+or+"1"="1"', 'userName+eq+"a"b"', 'userName+eq+"victim"+or+1=1']) {
      await expectScimError(await f.request(`${BASE}/Users?filter=${filter}`), 400, 'invalidFilter');
    }
    expect(f.store('A')).toEqual(before);
  });

  it('refuses malformed PATCH bodies and paths with clean 400s', async () => {
    const list = (await (await f.request(`${BASE}/Users?filter=userName+eq+"victim"`)).json()) as { Resources: { id: string }[] };
    const id = list.Resources[0]!.id;
    const before = f.store('A');
    const bad: [unknown, string][] = [
      [{ Operations: [] }, 'invalidSyntax'],
      [{ Operations: [{ op: 'frobnicate', path: 'displayName', value: 'x' }] }, 'invalidSyntax'],
      [{ Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }] }, 'invalidPath'],
      [{ Operations: [{ op: 'remove' }] }, 'noTarget'],
      [{ Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] }, 'invalidValue'],
      [{ Operations: [{ op: 'replace', path: `${EXT}:createdAt`, value: '2020-01-01T00:00:00Z' }] }, 'mutability'],
      [{ Operations: [{ op: 'replace', path: `${EXT}:nope`, value: 'x' }] }, 'invalidPath'],
      [{ Operations: [{ op: 'replace', path: 'userName', value: 'renamed' }] }, 'mutability'],
      [['not', 'an', 'object'], 'invalidSyntax'],
    ];
    for (const [body, scimType] of bad) {
      await expectScimError(await f.request(`${BASE}/Users/${id}`, { method: 'PATCH', body: JSON.stringify(body) }), 400, scimType);
    }
    expect(f.store('A')).toEqual(before);
  });

  it('never puts a stack trace or the token in a response or a log line', async () => {
    const logs = f.logs.join('\n');
    expect(logs).not.toContain(TOKEN_A);
    expect(logs).not.toContain(TOKEN_B);
    expect(logs).not.toMatch(/"stack"/);
  });
});
