// Finding 9 of the hostile review (issue 15): the host remembers a create whose add failed with 503,
// so Entra's retry finishes it (201) instead of answering 409 for the object the target committed.
// That memory was unbounded: one entry per failed POST never retried. It now keeps at most
// MAX_UNFINISHED_ADDS creates, each for UNFINISHED_ADD_TTL_MS; what it forgot, a retry sees as 409.
import type { ExportEntryResult, ImportEntry } from '@ecmahost/sdk';
import { attributeChange, defineConnector } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_UNFINISHED_ADDS, UNFINISHED_ADD_TTL_MS } from '../src/connectors/unfinished-adds.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

/** The faked part: a target that commits every add and then answers it with a directory error (503), as a target failing mid-call. */
function failingAddsConnector(target: Map<string, string>) {
  return defineConnector({
    name: 'ecmahost-fixture-failing-adds',
    displayName: 'Adds commit, then fail (test fixture)',
    version: '1.0.0',
    capabilities: { import: true, export: true },
    async open() {
      return {
        async testConnection() {},
        async getSchema() {
          return {
            objectTypes: [
              {
                name: 'person',
                anchors: ['login'],
                attributes: [
                  { name: 'login', type: 'string', multiValued: false },
                  { name: 'firstName', type: 'string', multiValued: false },
                ],
              },
            ],
          };
        },
        async openImport() {
          let done = false;
          return {
            async getEntries() {
              const entries: ImportEntry[] = done
                ? []
                : [...target].map(([login, firstName]) => ({
                    objectType: 'person',
                    modification: 'add' as const,
                    anchor: { login },
                    attributeChanges: [attributeChange.add('login', login), attributeChange.add('firstName', firstName)],
                  }));
              done = true;
              return { entries, more: false };
            },
            async close() {},
          };
        },
        async openExport() {
          return {
            async putEntries(batch): Promise<ExportEntryResult[]> {
              return batch.map((change) => {
                const login = String(change.anchor.login);
                if (target.has(login)) return { identifier: change.identifier, error: { code: 'existing-object' as const, message: `${login} exists` } };
                const firstName = change.attributeChanges.find((a) => a.name === 'firstName');
                target.set(login, String(firstName?.valueChanges[0]?.value ?? ''));
                return { identifier: change.identifier, error: { code: 'connected-directory-error' as const, message: 'the target went down mid-call', retryable: true } };
              });
            },
            async close() {},
          };
        },
        async close() {},
      };
    },
  });
}

let host: Host;
let target: Map<string, string>;

beforeEach(async () => {
  target = new Map();
  host = createHost({
    connectors: [
      fixtureConfig('Flaky', TOKEN_A, 'unused', {
        attributes: [{ name: 'login' }, { name: 'firstName' }],
        scimMapping: { userName: 'login', 'name.givenName': 'firstName' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      }),
    ],
    loadConnector: async () => failingAddsConnector(target),
    logger: pino({ level: 'silent' }),
  });
  await host.start();
  await host.runImport('Flaky');
});
afterEach(async () => {
  vi.useRealTimers();
  await host.stop();
});

function post(login: string): Promise<Response> {
  return Promise.resolve(
    host.app.request('/ecma2host_Flaky/scim/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: login, name: { givenName: 'G' } }),
    }),
  );
}

describe('the memory of unfinished adds', () => {
  it('finishes a retried create the target committed before failing', async () => {
    expect((await post('alice')).status).toBe(503);
    const retry = await post('alice');
    expect(retry.status).toBe(201);
    expect(await retry.json()).toMatchObject({ userName: 'alice', name: { givenName: 'G' } });
  });

  it(`forgets the oldest create past ${MAX_UNFINISHED_ADDS} unfinished ones: its retry gets 409`, async () => {
    for (let i = 0; i <= MAX_UNFINISHED_ADDS; i++) expect((await post(`user${i}`)).status).toBe(503);
    const oldest = await post('user0');
    expect(oldest.status).toBe(409);
    expect(await oldest.json()).toMatchObject({ scimType: 'uniqueness' });
    // The newest is still remembered, and its retry finishes it.
    expect((await post(`user${MAX_UNFINISHED_ADDS}`)).status).toBe(201);
  }, 120_000);

  it('forgets a create after 24 hours: its retry gets 409', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    expect((await post('bob')).status).toBe(503);
    expect((await post('carol')).status).toBe(503);
    // Both failed at the same (frozen) moment: bob's retry comes a day later, carol's a millisecond sooner.
    vi.setSystemTime(start + UNFINISHED_ADD_TTL_MS);
    expect((await post('bob')).status).toBe(409);
    vi.setSystemTime(start + UNFINISHED_ADD_TTL_MS - 1);
    expect((await post('carol')).status).toBe(201);
  });
});
