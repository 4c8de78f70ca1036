import type { CSEntryChange } from '@ecmahost/sdk';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createHost } from '../src/host.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';
import { generatedConnector } from './fixtures/generated-connector.js';

const auth = { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' };

describe('the cache never answers from an incomplete import', () => {
  it('answers 503 with Retry-After while the first import is held half-way, then answers from the complete cache', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const reachedGate = new Promise<void>((resolve) => (held = resolve));
    const exported: CSEntryChange[] = [];
    const connector = generatedConnector({ count: 30, gate, onHeld: held, exported });
    const host = createHost({
      connectors: [fixtureConfig('Held', TOKEN_A, 'unused', { attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }], scimMapping: { userName: 'login' }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } }, runProfiles: { export: { batchSize: 10 }, fullImport: { pageSize: 10 } } })],
      loadConnector: async () => connector,
      logger: pino({ level: 'silent' }),
    });
    await host.start();
    await reachedGate;

    // user0..user9 are already read, but the import is not complete: no answer may come from it.
    for (const url of ['/ecma2host_Held/scim/Users?filter=userName+eq+"user5"', '/ecma2host_Held/scim/Users?filter=userName+eq+"user25"', '/ecma2host_Held/scim/Users/dXNlcjU']) {
      const res = await host.app.request(url, { headers: auth });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as { status: string; detail: string };
      expect(body.status).toBe('503');
      expect(body.detail).toContain('currently importing');
    }
    const post = await host.app.request('/ecma2host_Held/scim/Users', { method: 'POST', headers: auth, body: JSON.stringify({ userName: 'new-user' }) });
    expect(post.status).toBe(503);
    expect(exported).toEqual([]);
    // The schema is already known: /Schemas answers while the import runs.
    expect((await host.app.request('/ecma2host_Held/scim/Schemas', { headers: auth })).status).toBe(200);
    const ready = await host.app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, connectors: { Held: { state: 'importing' } } });

    release();
    const summary = await host.runImport('Held');
    expect(summary.objects).toBe(30);

    const found = await host.app.request('/ecma2host_Held/scim/Users?filter=userName+eq+"user25"', { headers: auth });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'user25' }] });
    expect((await host.app.request('/readyz')).status).toBe(200);

    // A GET right after a successful POST finds the object, without waiting for an import.
    const created = await host.app.request('/ecma2host_Held/scim/Users', { method: 'POST', headers: auth, body: JSON.stringify({ userName: 'new-user' }) });
    expect(created.status).toBe(201);
    expect(exported.map((c) => c.modification)).toEqual(['add']);
    const id = ((await created.json()) as { id: string }).id;
    expect((await host.app.request(`/ecma2host_Held/scim/Users/${id}`, { headers: auth })).status).toBe(200);
    await host.stop();
  });

  it('keeps the previous generation answering while a later full import is held', async () => {
    let release!: () => void;
    let held!: () => void;
    const reachedGate = new Promise<void>((resolve) => (held = resolve));
    const options = { count: 20, onHeld: () => held() } as Parameters<typeof generatedConnector>[0];
    const host = createHost({
      connectors: [fixtureConfig('Gen', TOKEN_A, 'unused', { attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }], scimMapping: { userName: 'login' }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } }, runProfiles: { export: { batchSize: 10 }, fullImport: { pageSize: 10 } } })],
      loadConnector: async () => generatedConnector(options),
      logger: pino({ level: 'silent' }),
    });
    await host.start();
    await host.runImport('Gen');
    options.count = 15;
    options.gate = new Promise<void>((resolve) => (release = resolve));
    const second = host.runImport('Gen');
    await reachedGate;
    // The half-built generation (user15+ gone) is not visible: the old one answers.
    const res = await host.app.request('/ecma2host_Gen/scim/Users?filter=userName+eq+"user15"', { headers: auth });
    expect(await res.json()).toMatchObject({ totalResults: 1 });
    release();
    await second;
    const after = await host.app.request('/ecma2host_Gen/scim/Users?filter=userName+eq+"user15"', { headers: auth });
    expect(await after.json()).toMatchObject({ totalResults: 0 });
    expect(host.connectorStatus('Gen')).toMatchObject({ state: 'ready', cacheSize: 15 });
    await host.stop();
  });

  it('retries a failed start-up import until the target answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const options = { count: 3, failImports: 2 };
    const host = createHost({
      connectors: [fixtureConfig('Late', TOKEN_A, 'unused', { attributes: [{ name: 'login' }], scimMapping: { userName: 'login' }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } } })],
      loadConnector: async () => generatedConnector(options),
      logger: pino({ level: 'silent' }),
    });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    try {
      await host.start();
      await settle();
      expect(host.connectorStatus('Late')).toMatchObject({ state: 'failing', lastError: expect.stringContaining('ECONNREFUSED') });
      const down = await host.app.request('/ecma2host_Late/scim/Users', { headers: auth });
      expect(down.status).toBe(503);
      await vi.advanceTimersByTimeAsync(5_000);
      await settle();
      expect(options.failImports).toBe(0);
      expect(host.connectorStatus('Late')?.state).toBe('failing');
      await vi.advanceTimersByTimeAsync(10_000);
      await settle();
      expect(host.connectorStatus('Late')).toMatchObject({ state: 'ready', cacheSize: 3 });
      expect((await host.app.request('/ecma2host_Late/scim/Users', { headers: auth })).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await host.stop();
    }
  });
});
