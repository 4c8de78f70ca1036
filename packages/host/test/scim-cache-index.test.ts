import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';
import { generatedConnector } from './fixtures/generated-connector.js';

const COUNT = 100_000;
let host: Host;

beforeAll(async () => {
  host = createHost({
    connectors: [
      fixtureConfig('Big', TOKEN_A, 'unused', {
        attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }],
        scimMapping: { userName: 'login', 'emails[type eq "work"].value': 'mail' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
        runProfiles: { export: { batchSize: 10 }, fullImport: { pageSize: 5000 } },
      }),
    ],
    loadConnector: async () => generatedConnector({ count: COUNT }),
    logger: pino({ level: 'silent' }),
  });
  await host.start();
  await host.runImport('Big');
});

afterAll(async () => {
  await host.stop();
});

describe(`a cache of ${COUNT} objects`, () => {
  it('answers eq on an indexed attribute from the index, evaluating one object', () => {
    const result = host.queryCache('Big', 'userName eq "USER99999"');
    expect(result.totalResults).toBe(1);
    expect(result.resources[0]).toMatchObject({ userName: 'user99999' });
    expect(result.plan).toEqual({ index: 'login', scanned: 1 });
  });

  it('uses the index for the URN-qualified and value-path forms and inside an and', () => {
    const ext = host.queryCache('Big', 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:mail eq "user42@example.com"');
    expect(ext.plan).toEqual({ index: 'mail', scanned: 1 });
    const valuePath = host.queryCache('Big', 'emails[type eq "work"].value eq "user7@example.com"');
    expect(valuePath).toMatchObject({ totalResults: 1, plan: { index: 'mail', scanned: 1 } });
    const and = host.queryCache('Big', 'userName eq "user3" and urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:firstName eq "First4"');
    expect(and).toMatchObject({ totalResults: 0, plan: { index: 'login', scanned: 1 } });
    const byId = host.queryCache('Big', `id eq "${Buffer.from('user5').toString('base64url')}"`);
    expect(byId).toMatchObject({ totalResults: 1, plan: { index: 'id', scanned: 1 } });
  });

  it('scans for eq on an extension attribute no SCIM core attribute maps: only the anchor and mapped attributes are indexed', () => {
    const result = host.queryCache('Big', 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:firstName eq "First4"');
    expect(result.totalResults).toBe(1);
    expect(result.resources[0]).toMatchObject({ userName: 'user4' });
    expect(result.plan).toEqual({ index: null, scanned: COUNT });
  });

  it('scans for filters no index can answer (the plan counter is real)', () => {
    const result = host.queryCache('Big', 'userName sw "user9999"', { count: 5 });
    expect(result.plan).toEqual({ index: null, scanned: COUNT });
    expect(result.totalResults).toBe(11);
    expect(result.resources).toHaveLength(5);
  });

  it('shows the plan in the authenticated cache view', async () => {
    const res = await host.app.request('/ecma2host_Big/scim/cache?filter=userName+eq+"user12345"', { headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { totalResults: number; plan: unknown; objects: { anchor: unknown }[]; cacheSize: number };
    expect(body).toMatchObject({ totalResults: 1, plan: { index: 'login', scanned: 1 }, cacheSize: COUNT });
    expect(body.objects[0]!.anchor).toEqual({ login: 'user12345' });
  });
});
