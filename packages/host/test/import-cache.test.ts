import { writeFileSync } from 'node:fs';
import type { AttributeChange, ImportEntry } from '@ecmahost/sdk';
import { attributeChange, defineConnector } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import { TOKEN_A, fixtureConfig, startFixtureHost } from './fixtures/fixture-host.js';
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

  it('compares entries of unusual shapes by their result: a repeated attribute, an update change', async () => {
    // The target's answer to each import: one object, its attribute changes set by the test.
    let changes: AttributeChange[] = [];
    const connector = defineConnector({
      name: 'ecmahost-fixture-shapes',
      displayName: 'Entries of unusual shapes (test fixture)',
      version: '1.0.0',
      capabilities: { import: true },
      async open() {
        return {
          async testConnection() {},
          async getSchema() {
            return { objectTypes: [{ name: 'person', anchors: ['login'], attributes: ['login', 'mail', 'firstName'].map((name) => ({ name, type: 'string' as const, multiValued: false })) }] };
          },
          async openImport() {
            return {
              async getEntries() {
                const entry: ImportEntry = { objectType: 'person', modification: 'add', anchor: { login: 'shape' }, attributeChanges: changes };
                return { entries: [entry], more: false };
              },
              async close() {},
            };
          },
          async close() {},
        };
      },
    });
    const host = createHost({
      connectors: [fixtureConfig('Shapes', TOKEN_A, 'unused', { attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }], scimMapping: { userName: 'login', 'emails[type eq "work"].value': 'mail', 'name.givenName': 'firstName' }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } } })],
      loadConnector: async () => connector,
      logger: pino({ level: 'silent' }),
    });
    const read = async () => {
      const res = await host.app.request('/ecma2host_Shapes/scim/Users?filter=userName+eq+"shape"', { headers: { authorization: `Bearer ${TOKEN_A}` } });
      return ((await res.json()) as { Resources: { emails?: { value: string }[]; name?: { givenName: string }; meta: Meta }[] }).Resources[0]!;
    };
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
    changes = [attributeChange.add('login', 'shape'), attributeChange.add('mail', 'shape@x'), attributeChange.add('firstName', 'Ann')];
    await host.start();
    await host.runImport('Shapes');
    const first = await read();

    // As many changes as the cached object has attributes, but mail is gone: the object changed.
    changes = [attributeChange.add('login', 'shape'), attributeChange.add('firstName', 'Ann'), attributeChange.add('firstName', 'Ann')];
    await pause();
    await host.runImport('Shapes');
    const second = await read();
    expect(second.emails).toBeUndefined();
    expect(second.meta.lastModified).not.toBe(first.meta.lastModified);

    // The same values again, given as an `update` of firstName: unchanged.
    changes = [attributeChange.add('login', 'shape'), attributeChange.update('firstName', { add: ['Ann'] })];
    await pause();
    await host.runImport('Shapes');
    expect(await read()).toEqual(second);
    await host.stop();
  });
});
