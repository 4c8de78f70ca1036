// The parts of the connector contract the host honours that no other suite exercises, checked
// through createHost and app.request as Entra meets them: a test connector (defineConnector) records
// what the host calls it with, and the assertions read the SCIM answers, the log and that record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Capabilities, CloseReason, CSEntryChange, ExportRunStep, ImportEntry, ImportRunStep } from '@ecmahost/sdk';
import { ConnectorError, attributeChange, defineConnector } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../src/auth/token.js';
import type { ConnectorInstanceConfig } from '../src/config/connector-config.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';

const TOKEN = 'host-contract-token-0123456789abc';
const BASE = '/ecma2host_Rec/scim';
const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';

/** What the recording connector was called with. */
interface Calls {
  imports: ImportRunStep[];
  exports: { step: ExportRunStep; batches: CSEntryChange[][]; closed: CloseReason[] }[];
  /** Export batches inside `putEntries` right now, and the most there ever were. */
  inFlight: number;
  maxInFlight: number;
  closed: number;
  /** The signal handed to `open`. */
  signal?: AbortSignal;
}

/** How the recording connector behaves. */
interface RecordingOptions {
  capabilities?: Partial<Capabilities>;
  /** The objects every full import returns (a delta import returns none). */
  entries?: () => ImportEntry[];
  /** When given, a delta import with a watermark throws `invalid-watermark`. */
  refuseWatermark?: boolean;
  /** When given, each `putEntries` waits for it. */
  gate?: () => Promise<void>;
  /** Leave `openExport` out while declaring export (capabilities and methods disagree). */
  withoutExport?: boolean;
}

const person = (login: string, error?: ImportEntry['error']): ImportEntry => ({
  objectType: 'person',
  modification: 'add',
  anchor: { login },
  attributeChanges: [attributeChange.add('login', login), attributeChange.add('title', `T-${login}`)],
  ...(error === undefined ? {} : { error }),
});

function recordingConnector(calls: Calls, options: RecordingOptions) {
  return defineConnector({
    name: 'ecmahost-test-recording',
    displayName: 'Recording (test connector)',
    version: '1.0.0',
    capabilities: { import: true, deltaImport: true, export: true, ...options.capabilities },
    async open(_values, context) {
      calls.signal = context.signal;
      context.log.info('recording connector opened');
      return {
        async testConnection() {},
        async getSchema() {
          return {
            objectTypes: [
              {
                name: 'person',
                anchors: ['login'],
                attributes: [
                  { name: 'login', type: 'string' as const, multiValued: false },
                  { name: 'title', type: 'string' as const, multiValued: false, description: 'Job title as HR writes it', required: true },
                ],
              },
            ],
          };
        },
        async openImport(runStep: ImportRunStep) {
          calls.imports.push(runStep);
          if (runStep.type === 'delta' && options.refuseWatermark === true) {
            throw new ConnectorError('invalid-watermark', `watermark ${runStep.watermark ?? ''} is older than the change log`);
          }
          const entries = runStep.type === 'full' ? (options.entries?.() ?? []) : [];
          return {
            async getEntries() {
              return { entries, more: false, watermark: `w${calls.imports.length}` };
            },
            async close() {},
          };
        },
        ...(options.withoutExport === true
          ? {}
          : {
              async openExport(step: ExportRunStep) {
                const session = { step, batches: [] as CSEntryChange[][], closed: [] as CloseReason[] };
                calls.exports.push(session);
                return {
                  async putEntries(batch: readonly CSEntryChange[]) {
                    session.batches.push([...batch]);
                    calls.inFlight++;
                    calls.maxInFlight = Math.max(calls.maxInFlight, calls.inFlight);
                    await options.gate?.();
                    calls.inFlight--;
                    return batch.map((c) => ({ identifier: c.identifier }));
                  },
                  async close(reason: CloseReason) {
                    session.closed.push(reason);
                  },
                };
              },
            }),
        async close() {
          calls.closed++;
        },
      };
    },
  });
}

const config: ConnectorInstanceConfig = {
  name: 'Rec',
  package: 'recording',
  autosyncMinutes: 0,
  tokenHash: hashToken(TOKEN),
  parameters: {},
  objectType: 'person',
  anchor: ['login'],
  dn: { autogenerate: true },
  attributes: [{ name: 'login' }, { name: 'title' }],
  deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
  runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10 }, deltaImport: { pageSize: 10 } },
  scimMapping: { userName: 'login', title: 'title' },
};

let host: Host | undefined;
// Every state directory a test made: a test may serve twice (one host after another).
const stateDirs: string[] = [];
afterEach(async () => {
  await host?.stop();
  host = undefined;
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts a host serving the recording connector as `Rec`; `logs` receives its log lines. */
async function serve(options: RecordingOptions = {}): Promise<{ calls: Calls; logs: string[]; request: (url: string, init?: RequestInit) => Promise<Response> }> {
  const calls: Calls = { imports: [], exports: [], inFlight: 0, maxInFlight: 0, closed: 0 };
  const logs: string[] = [];
  const stateDir = mkdtempSync(path.join(tmpdir(), 'ecmahost-contract-'));
  stateDirs.push(stateDir);
  host = createHost({
    connectors: [config],
    loadConnector: async () => recordingConnector(calls, options),
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
    stateDir,
  });
  await host.start();
  const started = host;
  const request = (url: string, init: RequestInit = {}) =>
    Promise.resolve(started.app.request(url, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' } }));
  return { calls, logs, request };
}

const post = (request: (url: string, init?: RequestInit) => Promise<Response>, login: string) =>
  request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify({ userName: login, title: `T-${login}` }) });

/** A gate every export waits at until `open()` is called. */
function exportGate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait: () => opened, open };
}

describe('the connector contract through the host', () => {
  it('opens one export session per SCIM write, with batchSize 1, one putEntries of one entry, closed normally', async () => {
    const { calls, request } = await serve();
    await host!.runImport('Rec');
    expect((await post(request, 'ada')).status).toBe(201);
    expect((await post(request, 'bob')).status).toBe(201);
    expect(calls.exports.map((s) => s.step.batchSize)).toEqual([1, 1]);
    expect(calls.exports.map((s) => s.batches.map((b) => b.map((c) => [c.modification, c.anchor])))).toEqual([[[['add', { login: 'ada' }]]], [[['add', { login: 'bob' }]]]]);
    expect(calls.exports.map((s) => s.closed)).toEqual([['normal'], ['normal']]);
  });

  it('sends the writes of a connector without concurrentOperations one at a time, and side by side otherwise', async () => {
    const serial = exportGate();
    const one = await serve({ capabilities: { concurrentOperations: false }, gate: serial.wait });
    await host!.runImport('Rec');
    const answers = ['u1', 'u2', 'u3'].map((login) => post(one.request, login));
    await vi.waitFor(() => expect(one.calls.inFlight).toBe(1));
    // Give the two other requests every chance to reach the connector; the lock must hold them.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(one.calls.exports).toHaveLength(1);
    serial.open();
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([201, 201, 201]);
    expect(one.calls.maxInFlight).toBe(1);
    expect(one.calls.exports.flatMap((s) => s.batches.flat().map((c) => c.anchor.login)).sort()).toEqual(['u1', 'u2', 'u3']);
    await host!.stop();

    const parallel = exportGate();
    const many = await serve({ capabilities: { concurrentOperations: true }, gate: parallel.wait });
    await host!.runImport('Rec');
    const more = ['v1', 'v2', 'v3'].map((login) => post(many.request, login));
    await vi.waitFor(() => expect(many.calls.inFlight).toBe(3));
    parallel.open();
    expect((await Promise.all(more)).map((r) => r.status)).toEqual([201, 201, 201]);
  });

  it('refuses to start an instance whose capabilities and methods disagree: 503, the reason in the status and the log, the instance closed', async () => {
    const { calls, logs, request } = await serve({ withoutExport: true });
    const status = host!.connectorStatus('Rec');
    expect(status).toMatchObject({ state: 'failing', lastError: 'ecmahost-test-recording is inconsistent: capability export is declared but openExport is missing' });
    const answer = await request(`${BASE}/Users`);
    expect(answer.status).toBe(503);
    expect(logs.some((line) => line.includes('connector failed to start') && line.includes('openExport is missing'))).toBe(true);
    expect(calls.imports).toEqual([]);
    expect(calls.closed).toBe(1);
  });

  it('falls back to a full import when the connector refuses the delta watermark', async () => {
    let people = ['ada'];
    const { calls, logs, request } = await serve({ refuseWatermark: true, entries: () => people.map((login) => person(login)) });
    await host!.runImport('Rec');
    people = ['ada', 'cy'];
    const summary = await host!.runImport('Rec', { delta: true });
    expect(summary).toMatchObject({ type: 'full', objects: 2 });
    expect(calls.imports.map((s) => [s.type, s.watermark])).toEqual([
      ['full', undefined],
      ['delta', 'w1'],
      ['full', undefined],
    ]);
    expect(logs.some((line) => line.includes('delta watermark refused; running a full import'))).toBe(true);
    const found = (await (await request(`${BASE}/Users?filter=${encodeURIComponent('userName eq "cy"')}`)).json()) as { totalResults: number };
    expect(found.totalResults).toBe(1);
  });

  it('skips an imported entry that carries an error, logs it and imports the rest', async () => {
    const { logs, request } = await serve({
      entries: () => [person('ada'), person('broken', { code: 'invalid-attribute-value', message: 'title of broken is not UTF-8' }), person('cy')],
    });
    const summary = await host!.runImport('Rec');
    expect(summary).toMatchObject({ objects: 2, errors: 1, cacheSize: 2 });
    const list = (await (await request(`${BASE}/Users`)).json()) as { Resources: { userName: string }[] };
    expect(list.Resources.map((r) => r.userName).sort()).toEqual(['ada', 'cy']);
    const skipped = logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'import entry skipped');
    expect(skipped).toMatchObject({ connector: 'Rec', code: 'invalid-attribute-value', detail: 'title of broken is not UTF-8' });
  });

  it('hands the connector a logger naming the instance and a signal aborted when the host stops, then closes it', async () => {
    const { calls, logs } = await serve();
    await host!.runImport('Rec');
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'recording connector opened');
    expect(line).toMatchObject({ connector: 'Rec' });
    expect(calls.signal?.aborted).toBe(false);
    expect(calls.closed).toBe(0);
    await host!.stop();
    expect(calls.signal?.aborted).toBe(true);
    expect(calls.closed).toBe(1);
  });

  it("publishes an attribute's description and required flag in /Schemas", async () => {
    const { request } = await serve();
    await host!.runImport('Rec');
    const answer = await request(`${BASE}/Schemas/${EXT}`);
    expect(answer.status).toBe(200);
    const schema = (await answer.json()) as { attributes: { name: string; description: string; required: boolean }[] };
    expect(schema.attributes.find((a) => a.name === 'title')).toMatchObject({ description: 'Job title as HR writes it', required: true });
  });
});
