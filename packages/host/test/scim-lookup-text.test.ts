import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AttributeValue } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecordReading } from '../src/connectors/resource-text.js';
import { UserOperations } from '../src/connectors/user-operations.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { listResponse } from '../src/scim/list-response.js';
import { EXT, TOKEN_A, fixtureConfig, scimRequest } from './fixtures/fixture-host.js';
import type { StoreFile } from './fixtures/file-store-connector.js';

// Entra's lookup (`GET /Users?filter=<attribute> eq "<value>"`) is written from the packed records
// as text (decision 027). On the wire it must be what the rendering path answers, byte for byte:
// the same query through `host.queryCache` (decode, render, filter), as a ListResponse.

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const HOSTILE = ['say "hi"', 'back\\slash', '{"b64":"aGk="}', '[1,2]', 'a,b]', '\u0000\u001f\n', '\ud800 lone', 'Zoë \u{1F600}', 'ecmahost0x1'];

function people(): StoreFile['objects'] {
  const objects: StoreFile['objects'] = {};
  HOSTILE.forEach((text, i) => {
    const login = `user${String(i)}`;
    const attributes: Record<string, AttributeValue[]> = {
      login: [login],
      firstName: [text],
      lastName: [`Family ${text}`],
      mail: [`${login}@example.com`],
      displayName: [text],
      externalId: [`ext-${text}`],
      employeeNumber: [i * 7],
      accountDisabled: [i % 2 === 0],
      objectClass: i % 3 === 0 ? ['person', 'top'] : ['person'],
      code: [`Code${String(i)}`],
    };
    objects[login] = i % 4 === 0 ? { dn: `CN=${text},O=Lab`, attributes } : { attributes };
  });
  // Two people sharing a mail: one lookup, two resources.
  objects.twin1 = { attributes: { login: ['twin1'], firstName: ['T1'], mail: ['twin@example.com'] } };
  objects.twin2 = { attributes: { login: ['twin2'], firstName: ['T2'], mail: ['TWIN@example.com'] } };
  return objects;
}

let host: Host;
let dir: string;
const URL_BASE = 'http://localhost/ecma2host_Text/scim';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-lookup-text-'));
  const file = path.join(dir, 'store.json');
  writeFileSync(file, JSON.stringify({ seq: 0, objects: people(), passwords: {}, log: [] }));
  host = createHost({
    connectors: [
      fixtureConfig('Text', TOKEN_A, file, {
        // The fixture's mapping, and a case-exact attribute and an enterprise one beside it.
        scimMapping: { ...fixtureConfig('Text', TOKEN_A, file).scimMapping, nickName: 'code', [`${ENTERPRISE}:employeeNumber`]: 'employeeNumber' },
      }),
    ],
    logger: pino({ level: 'silent' }),
    stateDir: path.join(dir, 'state'),
  });
  await host.start();
  await host.runImport('Text');
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The body the rendering path gives for the same query (`queryCache` writes locations without the origin). */
function rendered(filter: string, paging: { startIndex?: number; count?: number } = {}): string {
  const page = host.queryCache('Text', filter, paging);
  return JSON.stringify(listResponse(page.resources, page.totalResults, paging.startIndex ?? 1)).replaceAll('"location":"/ecma2host_Text/', `"location":"http://localhost/ecma2host_Text/`);
}

async function lookup(filter: string, query = ''): Promise<{ status: number; text: string }> {
  const response = await scimRequest(host, TOKEN_A, `${URL_BASE}/Users?filter=${encodeURIComponent(filter)}${query}`);
  return { status: response.status, text: await response.text() };
}

const FILTERS = [
  ...HOSTILE.map((_, i) => `userName eq "user${String(i)}"`),
  'userName eq "USER3"',
  `${EXT}:login eq "user4"`,
  'externalId eq "ext-say \\"hi\\""',
  'emails[type eq "work"].value eq "user5@example.com"',
  'emails[type eq "work"].value eq "twin@example.com"',
  'nickName eq "Code6"',
  // `code` is case-exact: its index finds nothing for another case, as the rendering path.
  'nickName eq "code6"',
  `${ENTERPRISE}:employeeNumber eq "14"`,
  'userName eq "nobody"',
  'PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"',
];

describe('an eq lookup answered from the packed records', () => {
  it('answers the bytes of the rendering path, for hostile values, DNs, multi-valued and case rules', async () => {
    // Twice: first with the indexes built over the packed records on their first lookup, then
    // after a second full import, whose records carry the keys of those indexes.
    for (const round of [1, 2]) {
      if (round === 2) await host.runImport('Text');
      const answered = vi.spyOn(UserOperations.prototype, 'queryText');
      const written = vi.spyOn(RecordReading.prototype, 'text');
      let resources = 0;
      for (const filter of FILTERS) {
        const { status, text } = await lookup(filter);
        expect(status).toBe(200);
        expect(text).toBe(rendered(filter));
        resources += (JSON.parse(text) as { Resources: unknown[] }).Resources.length;
      }
      // Every filter but the unmapped PLACEHOLDER went the text way, and every resource was
      // written from its record (all are packed, none binary).
      expect(answered.mock.results.filter((r) => r.type === 'return' && typeof r.value === 'string')).toHaveLength(FILTERS.length - 1);
      expect(written.mock.results.filter((r) => r.type === 'return' && typeof r.value === 'string')).toHaveLength(resources);
      expect(resources).toBeGreaterThan(10);
      answered.mockRestore();
      written.mockRestore();
    }
    expect(JSON.parse((await lookup('emails[type eq "work"].value eq "twin@example.com"')).text)).toMatchObject({ totalResults: 2, itemsPerPage: 2 });
  });

  it('pages as the rendering path does', async () => {
    const filter = 'emails[type eq "work"].value eq "twin@example.com"';
    for (const [startIndex, count] of [
      [1, 1],
      [2, 1],
      [2, 5],
      [3, 1],
      [1, 0],
    ] as const) {
      const { text } = await lookup(filter, `&startIndex=${String(startIndex)}&count=${String(count)}`);
      expect(text).toBe(rendered(filter, { startIndex, count }));
    }
  });

  it('answers objects written since the import (the overlay) and leaves out removed ones, as the rendering path', async () => {
    const id = JSON.parse(rendered('userName eq "user1"')).Resources[0].id as string;
    const patch = await scimRequest(host, TOKEN_A, `${URL_BASE}/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Patched "quote"' }] }),
    });
    expect(patch.status).toBe(200);
    const after = await lookup('userName eq "user1"');
    expect(after.text).toBe(rendered('userName eq "user1"'));
    expect(JSON.parse(after.text).Resources[0].displayName).toBe('Patched "quote"');
    const gone = JSON.parse(rendered('userName eq "user2"')).Resources[0].id as string;
    expect((await scimRequest(host, TOKEN_A, `${URL_BASE}/Users/${gone}`, { method: 'DELETE' })).status).toBe(204);
    expect((await lookup('userName eq "user2"')).text).toBe(rendered('userName eq "user2"'));
    expect(JSON.parse((await lookup('userName eq "user2"')).text)).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('leaves projections to the rendering path', async () => {
    const { text } = await lookup('userName eq "user3"', '&attributes=userName');
    expect(JSON.parse(text).Resources[0]).toEqual({ id: expect.any(String), userName: 'user3', schemas: expect.any(Array) });
  });

  it('answers a malformed filter with the same 400', async () => {
    const { status, text } = await lookup('userName eq "unterminated');
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ scimType: 'invalidFilter' });
  });
});
