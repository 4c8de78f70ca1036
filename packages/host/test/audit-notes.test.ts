// The audit notes of SCIM writes (anchor, changed attribute names) are handed from the audit
// middleware through the route to the export gateway (decision 024): writes that overlap in time
// each get their own, and a read between them gets none. Served in process over the file store.
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../src/audit/audit-event.js';
import { startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

const BASE = '/ecma2host_A/scim';
let fixture: FixtureHost | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('audit notes of overlapping SCIM writes', () => {
  it('give each write its own anchor and attributes, however the writes interleave', async () => {
    const audited: AuditEvent[] = [];
    const f = (fixture = await startFixtureHost({ host: { audit: { record: (event) => audited.push(event) } }, level: 'silent' }));
    const logins = Array.from({ length: 12 }, (_, i) => `overlap${i}`);
    // Creates and lookups sent together: the requests are in the host at the same time.
    const answers = await Promise.all(
      logins.flatMap((login, i) => [
        f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: login, name: { givenName: `G${i}` }, ...(i % 2 === 0 ? {} : { displayName: `D${i}` }) }) }),
        f.request(`${BASE}/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`),
      ]),
    );
    expect(answers.map((a) => a.status)).toEqual(logins.flatMap(() => [201, 200]));
    const ids = new Map<string, string>();
    for (let i = 0; i < logins.length; i++) ids.set(logins[i]!, ((await answers[2 * i]!.json()) as { id: string }).id);

    const patches = await Promise.all(
      logins.map((login, i) =>
        f.request(`${BASE}/Users/${ids.get(login)!}`, {
          method: 'PATCH',
          body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: i % 2 === 0 ? 'name.familyName' : 'emails[type eq "work"].value', value: i % 2 === 0 ? `F${i}` : `${login}@contoso.test` }] }),
        }),
      ),
    );
    expect(patches.map((p) => p.status)).toEqual(logins.map(() => 200));

    const creates = audited.filter((e) => e.action === 'scim.create');
    const updates = audited.filter((e) => e.action === 'scim.patch');
    expect(creates).toHaveLength(logins.length);
    expect(updates).toHaveLength(logins.length);
    for (const [i, login] of logins.entries()) {
      expect(creates.find((e) => e.id === ids.get(login))).toMatchObject({ anchor: { login }, attributes: i % 2 === 0 ? ['firstName', 'login'] : ['displayName', 'firstName', 'login'], status: 201 });
      const update = updates.find((e) => e.id === ids.get(login));
      expect(update).toMatchObject({ anchor: { login }, status: 200 });
      // Its own attribute, never the one the PATCH beside it changed (the disable flow's
      // accountDisabled, written on a first PATCH, may join both).
      expect(update?.attributes?.filter((a) => a === 'lastName' || a === 'mail')).toEqual([i % 2 === 0 ? 'lastName' : 'mail']);
    }
    // Reads are no one's write: not a SCIM line among them (the fixture's first import has its own line).
    expect(audited.filter((e) => e.action.startsWith('scim.'))).toHaveLength(2 * logins.length);
  });
});
