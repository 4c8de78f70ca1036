import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

const BASE = '/ecma2host_A/scim';
type Meta = { created: string; lastModified: string };

let f: FixtureHost;
beforeEach(async () => {
  f = await startFixtureHost();
});
afterEach(async () => {
  await f.cleanup();
});

async function create(userName: string, firstName: string): Promise<string> {
  const res = await f.request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName, name: { givenName: firstName } }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function user(id: string): Promise<{ name: { givenName: string }; meta: Meta }> {
  const res = await f.request(`${BASE}/Users/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { name: { givenName: string }; meta: Meta };
}

describe('full import into the cache', () => {
  it('moves meta.lastModified only for the objects the target changed, and keeps meta.created of all', async () => {
    const changed = await create('changed-elsewhere', 'Before');
    const stable = await create('left-alone', 'Same');
    const emptied = await create('loses-a-value', 'Kept');
    const extended = await create('gains-a-value', 'Kept');
    await f.host.runImport('A');
    const [changedBefore, stableBefore, emptiedBefore, extendedBefore] = [await user(changed), await user(stable), await user(emptied), await user(extended)];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const store = f.store('A');
    store.objects['changed-elsewhere']!.attributes.firstName = ['After'];
    delete store.objects['loses-a-value']!.attributes.createdAt;
    store.objects['gains-a-value']!.attributes.displayName = ['Gained'];
    writeFileSync(f.file('A'), JSON.stringify(store));

    await f.host.runImport('A');
    const changedAfter = await user(changed);
    expect(changedAfter.name.givenName).toBe('After');
    expect(changedAfter.meta.created).toBe(changedBefore.meta.created);
    expect(Date.parse(changedAfter.meta.lastModified)).toBeGreaterThan(Date.parse(changedBefore.meta.lastModified));
    expect(await user(stable)).toEqual(stableBefore);
    for (const [id, before] of [
      [emptied, emptiedBefore],
      [extended, extendedBefore],
    ] as const) {
      const after = await user(id);
      expect(after.meta.created).toBe(before.meta.created);
      expect(after.meta.lastModified).not.toBe(before.meta.lastModified);
    }
    expect(await user(extended)).toMatchObject({ displayName: 'Gained' });
  });
});
