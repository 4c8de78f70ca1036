/**
 * `node --expose-gc bench/dist/groups.js [--members N] [--batch B]`: Entra's large-group flow
 * (issue 17). A group is created empty, then PATCHed `B` members at a time (default 100) up to `N`
 * members (default 100,000), through the real host in process (`createHost`, `app.request`: the
 * host's work without the network). The connector is an in-memory one that serves people and
 * groups and keeps members in a `Set`, so the figures are the host's. Prints the PATCH latency of
 * the first and the last 50 PATCHes (median and p95), their ratio (the target is at most 2: a
 * PATCH must not grow with the group), and the RSS before and after.
 */
import { parseArgs } from 'node:util';
import type { AttributeValue, CSEntryChange, ImportEntry } from '@ecmahost/sdk';
import { attributeChangesOf, defineConnector } from '@ecmahost/sdk';
import { createHost, hashToken } from '@ecmahost/host';
import { pino } from 'pino';

const { values } = parseArgs({ options: { members: { type: 'string', default: '100000' }, batch: { type: 'string', default: '100' } } });
const MEMBERS = Number(values.members);
const BATCH = Number(values.batch);
if (!Number.isInteger(MEMBERS) || MEMBERS < BATCH || !Number.isInteger(BATCH) || BATCH < 1) throw new Error('--members and --batch take positive integers, members >= batch');

const TOKEN = 'bench-groups-token-0123456789abcdef';

/** The target: people (seeded) and groups, with each group's members in a Set as a database index would hold them. */
const people = new Map<string, string>();
const groups = new Map<string, { name: string; members: Set<string> }>();
for (let i = 0; i < MEMBERS; i++) people.set(`u${String(i)}`, `user${String(i)}`);

const connector = defineConnector({
  name: 'bench-groups',
  displayName: 'In-memory people and groups (bench)',
  version: '1.0.0',
  capabilities: { import: true, export: true, deltaImport: false, exportType: 'attributeUpdate', concurrentOperations: true },
  parameters: () => [],
  async open() {
    return {
      async testConnection() {},
      async getSchema() {
        return {
          objectTypes: [
            { name: 'person', anchors: ['id'], attributes: [{ name: 'id', type: 'string', multiValued: false }, { name: 'userName', type: 'string', multiValued: false }] },
            { name: 'group', anchors: ['id'], anchorGeneratedOnAdd: true, attributes: [{ name: 'id', type: 'string', multiValued: false, operation: 'importOnly' }, { name: 'displayName', type: 'string', multiValued: false }, { name: 'member', type: 'reference', multiValued: true }] },
          ],
        };
      },
      async openImport() {
        let done = false;
        return {
          async getEntries() {
            const entries: ImportEntry[] = done ? [] : [...people].map(([id, userName]) => ({ objectType: 'person', modification: 'add', anchor: { id }, attributeChanges: attributeChangesOf({ id, userName }) }));
            done = true;
            return { entries, more: false };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch: CSEntryChange[]) {
            return batch.map((change) => {
              if (change.objectType !== 'group') return { identifier: change.identifier, error: { code: 'permission-issue' as const, message: 'people are read-only here' } };
              if (change.modification === 'add') {
                const id = `g${String(groups.size)}`;
                const name = change.attributeChanges.find((c) => c.name === 'displayName')?.valueChanges[0]?.value;
                groups.set(id, { name: String(name), members: new Set() });
                return { identifier: change.identifier, anchor: { id } };
              }
              const group = groups.get(String(change.anchor.id))!;
              for (const attribute of change.attributeChanges) {
                for (const { modification, value } of attribute.valueChanges) {
                  if (modification === 'add') group.members.add(String(value as AttributeValue));
                  else group.members.delete(String(value));
                }
              }
              return { identifier: change.identifier };
            });
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});

const host = createHost({
  logger: pino({ level: 'warn' }),
  loadConnector: async () => connector,
  connectors: [
    {
      name: 'G',
      package: 'bench-groups',
      autosyncMinutes: 0,
      tokenHash: hashToken(TOKEN),
      parameters: {},
      objectType: 'person',
      anchor: ['id'],
      dn: { autogenerate: true },
      attributes: [{ name: 'id' }, { name: 'userName' }],
      scimMapping: { userName: 'userName' },
      deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 5000 } },
      additionalTypes: [
        {
          objectType: 'group',
          resourceType: 'Group',
          anchor: ['id'],
          dn: { autogenerate: true },
          attributes: [{ name: 'id' }, { name: 'displayName' }, { name: 'member' }],
          scimMapping: { displayName: 'displayName', members: 'member' },
          deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
        },
      ],
    },
  ],
});

const request = (path: string, init: RequestInit = {}): Promise<Response> =>
  Promise.resolve(host.app.request(`/ecma2host_G/scim${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' } }));

const gc = (globalThis as { gc?: () => void }).gc;
const rssMiB = (): number => {
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

await host.start();
await host.runImport('G');
const rssBefore = rssMiB();
const created = await request('/Groups', { method: 'POST', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone', members: [] }) });
if (created.status !== 201) throw new Error(`group create answered ${String(created.status)}: ${await created.text()}`);
const groupId = String(((await created.json()) as { id: string }).id);
// The SCIM ids of the people, as Entra holds them (the host derives them from the anchor).
const ids = [...people.keys()].map((id) => Buffer.from(id, 'utf8').toString('base64url'));

const latencies: number[] = [];
for (let from = 0; from < MEMBERS; from += BATCH) {
  const value = ids.slice(from, from + BATCH).map((id) => ({ value: id }));
  const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Add', path: 'members', value }] });
  const started = performance.now();
  const res = await request(`/Groups/${groupId}`, { method: 'PATCH', body });
  latencies.push(performance.now() - started);
  if (res.status !== 204) throw new Error(`PATCH answered ${String(res.status)}: ${await res.text()}`);
}
const rssAfter = rssMiB();
const held = groups.get('g0')!.members.size;
await host.stop();

const quantile = (list: number[], q: number): number => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))]!;
// The first and last 50 PATCHes, or a quarter of them each in a small run, so the two never overlap.
const WINDOW = Math.max(1, Math.min(50, Math.floor(latencies.length / 4)));
const first = latencies.slice(0, WINDOW);
const last = latencies.slice(-WINDOW);
const ratio = quantile(last, 0.5) / quantile(first, 0.5);
console.log(`groups bench: ${String(MEMBERS)} members in PATCHes of ${String(BATCH)} (${String(latencies.length)} PATCHes); the target holds ${String(held)}`);
console.log(`first ${String(first.length)} PATCHes: median ${quantile(first, 0.5).toFixed(2)} ms, p95 ${quantile(first, 0.95).toFixed(2)} ms`);
console.log(`last ${String(last.length)} PATCHes:  median ${quantile(last, 0.5).toFixed(2)} ms, p95 ${quantile(last, 0.95).toFixed(2)} ms`);
console.log(`end/start median ratio ${ratio.toFixed(2)} (target <= 2: ${ratio <= 2 ? 'met' : 'missed'})`);
console.log(`RSS ${rssBefore.toFixed(0)} MiB after the people import, ${rssAfter.toFixed(0)} MiB after the group filled (${gc === undefined ? 'no --expose-gc: RSS includes garbage' : 'after gc'})`);
if (held !== MEMBERS) process.exitCode = 1;
