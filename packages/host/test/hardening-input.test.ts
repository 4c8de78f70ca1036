import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/middleware/json-body.js';
import { MAX_FILTER_EVALUATIONS } from '../src/scim/filter-evaluate.js';
import { MAX_FILTER_TERMS, MAX_PATH_LENGTH } from '../src/scim/filter-parser.js';
import { readStore } from './fixtures/file-store-connector.js';
import type { StoreFile } from './fixtures/file-store-connector.js';
import { startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

// Findings 3, 4 and 6 of the hostile review (issue 15): input built to exhaust the stack, the
// event loop or the store's encoding is refused with a clean 400 and writes nothing.

let f: FixtureHost;
let id: string;
beforeAll(async () => {
  f = await startFixtureHost();
  const created = await f.request(`${BASE}/Users`, { method: 'POST', body: user('victim') });
  expect(created.status).toBe(201);
  id = ((await created.json()) as { id: string }).id;
});
afterAll(async () => {
  await f.cleanup();
});

const BASE = '/ecma2host_A/scim';

function user(login: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: login, name: { givenName: 'G' }, ...extra });
}

async function expectScimError(res: Response, status: number, scimType: string): Promise<string> {
  const body = (await res.json()) as Record<string, unknown>;
  expect({ status: res.status, scimType: body.scimType }).toEqual({ status, scimType });
  expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  return String(body.detail);
}

function patch(path: string, value: unknown = 'x'): Promise<Response> {
  return f.request(`${BASE}/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path, value }] }) });
}

describe('PATCH paths (finding 4)', () => {
  it('answers 20,000 "and" terms in a path with 400 invalidPath, not a stack overflow', async () => {
    const before = f.store('A');
    const path = `emails[${Array.from({ length: 20_000 }, (_, i) => `type eq "t${i}"`).join(' and ')}].value`;
    const detail = await expectScimError(await patch(path), 400, 'invalidPath');
    expect(detail).toContain(`longer than ${MAX_PATH_LENGTH} characters`);
    expect(f.store('A')).toEqual(before);
  });

  it(`answers a short path with more than ${MAX_FILTER_TERMS} terms with 400 invalidPath`, async () => {
    const before = f.store('A');
    const path = `emails[${Array.from({ length: MAX_FILTER_TERMS + 1 }, () => 'a pr').join(' or ')}]`;
    expect(path.length).toBeLessThan(MAX_PATH_LENGTH);
    const detail = await expectScimError(await patch(path), 400, 'invalidPath');
    expect(detail).toContain(`more than ${MAX_FILTER_TERMS} terms`);
    expect(f.store('A')).toEqual(before);
  });

  it('answers the same hostile path as a key of a path-less PATCH value with 400 invalidPath', async () => {
    const before = f.store('A');
    const key = `emails[${Array.from({ length: 20_000 }, () => 'a pr').join(' and ')}].value`;
    const res = await f.request(`${BASE}/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ Operations: [{ op: 'replace', value: { [key]: 'x' } }] }) });
    await expectScimError(res, 400, 'invalidPath');
    expect(f.store('A')).toEqual(before);
  });

  it('still applies a path Entra sends', async () => {
    expect((await patch('emails[type eq "work"].value', 'victim@example.com')).status).toBe(200);
    expect(f.store('A').objects.victim?.attributes.mail).toEqual(['victim@example.com']);
  });
});

describe('JSON bodies (findings 4 and 6)', () => {
  it('answers values nested 200,000 arrays deep with 400 invalidValue, on POST and PATCH', async () => {
    const before = f.store('A');
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const detail = await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: `{"userName":"deep","displayName":${deep}}` }), 400, 'invalidValue');
    expect(detail).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
    await expectScimError(
      await f.request(`${BASE}/Users/${id}`, { method: 'PATCH', body: `{"Operations":[{"op":"replace","path":"displayName","value":${deep}}]}` }),
      400,
      'invalidValue',
    );
    // Objects count as well as arrays; brackets inside strings do not.
    const objects = `${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}`;
    await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body: `{"userName":"deep","x":${objects}}` }), 400, 'invalidValue');
    expect(f.store('A')).toEqual(before);
    const brackets = await f.request(`${BASE}/Users`, { method: 'POST', body: user('brackets', { displayName: '[[[[{{{{'.repeat(10) }) });
    expect(brackets.status).toBe(201);
    expect(f.store('A').objects.brackets?.attributes.displayName).toEqual(['[[[[{{{{'.repeat(10)]);
  });

  it('refuses a lone surrogate with 400 invalidValue and writes nothing', async () => {
    const before = f.store('A');
    for (const body of ['{"userName":"sur\\uD800x","name":{"givenName":"G"}}', '{"userName":"ok","name":{"givenName":"\\uDC00"}}', '{"userName":"ok","name":{"givenName":"G"},"\\uD83D":1}']) {
      const detail = await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body }), 400, 'invalidValue');
      expect(detail).toContain('not well-formed Unicode');
    }
    await expectScimError(await patch('displayName', 'x\uD800'), 400, 'invalidValue');
    expect(f.store('A')).toEqual(before);
  });

  it('refuses bytes that are not UTF-8 with 400 invalidValue and writes nothing', async () => {
    const before = f.store('A');
    // ED A0 80 is a surrogate encoded as UTF-8 (CESU), FF is never valid.
    for (const bad of [Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff])]) {
      const body = Buffer.concat([Buffer.from('{"userName":"bytes'), bad, Buffer.from('","name":{"givenName":"G"}}')]);
      const detail = await expectScimError(await f.request(`${BASE}/Users`, { method: 'POST', body }), 400, 'invalidValue');
      expect(detail).toContain('not valid UTF-8');
    }
    expect(f.store('A')).toEqual(before);
  });

  it('accepts an escaped surrogate pair and stores the character it encodes', async () => {
    const res = await f.request(`${BASE}/Users`, { method: 'POST', body: '{"userName":"smile","name":{"givenName":"\\uD83D\\uDE00 G"}}' });
    expect(res.status).toBe(201);
    expect(f.store('A').objects.smile?.attributes.firstName).toEqual(['😀 G']);
  });
});

describe('filters (finding 3)', () => {
  it(`answers 700 "co" terms with 400 invalidFilter naming the ${MAX_FILTER_TERMS}-term limit`, async () => {
    const filter = Array.from({ length: 700 }, () => `a co "x"`).join(' or ');
    expect(filter.length).toBeLessThan(10_000);
    const detail = await expectScimError(await f.request(`${BASE}/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    expect(detail).toContain(`more than ${MAX_FILTER_TERMS} terms`);
  });

  it('answers an unindexed filter whose evaluations exceed the budget with 400 invalidFilter', async () => {
    // Enough cached users that a filter within the term limit still exceeds the budget.
    const users = Math.ceil(MAX_FILTER_EVALUATIONS / MAX_FILTER_TERMS) + 1;
    const store: StoreFile = readStore(f.file('A'));
    for (let i = 0; i < users; i++) store.objects[`bulk${i}`] = { attributes: { login: [`bulk${i}`], firstName: ['Bulk'], displayName: [`Bulk ${i}`] } };
    writeFileSync(f.file('A'), JSON.stringify(store));
    await f.host.runImport('A');
    const terms = Array.from({ length: MAX_FILTER_TERMS }, (_, i) => `displayName co "absent${i}"`).join(' or ');
    const detail = await expectScimError(await f.request(`${BASE}/Users?filter=${encodeURIComponent(terms)}`), 400, 'invalidFilter');
    expect(detail).toContain(`more than ${MAX_FILTER_EVALUATIONS} term evaluations`);
    // One term over the same cache is within the budget.
    const one = await f.request(`${BASE}/Users?filter=${encodeURIComponent('displayName co "Bulk 1234"')}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ totalResults: 1 });
  }, 60_000);
});
