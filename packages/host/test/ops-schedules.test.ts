// The run profiles' schedules on fake time: an autosync timer (delta imports) every few minutes
// and a full import every few hours, with imports slower than the autosync interval, so that every
// tick finds one running. What the admin sees: the imports that ran (never two at once, the full
// one not lost behind a delta) and the next scheduled runs in the status /readyz shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectorDefinition, ImportEntry } from '@ecmahost/sdk';
import { attributeChange, defineConnector } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHost } from '../src/host.js';
import { initStore } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What the slow connector saw: each import's type and start/end (fake) times, and the most at once. */
interface Runs {
  log: { type: 'full' | 'delta'; start: number; end?: number }[];
  running: number;
  most: number;
}

/** A connector whose every import takes `importMs` of (fake) time and reports one object. */
function slowConnector(importMs: number, runs: Runs): ConnectorDefinition {
  const person: ImportEntry = { objectType: 'person', modification: 'add', anchor: { login: 'alice' }, attributeChanges: [attributeChange.add('login', 'alice'), attributeChange.add('firstName', 'Alice')] };
  return defineConnector({
    name: 'ecmahost-fixture-slow',
    displayName: 'Slow imports (test fixture)',
    version: '1.0.0',
    capabilities: { import: true, deltaImport: true, export: false },
    async open() {
      return {
        async testConnection() {},
        async getSchema() {
          return { objectTypes: [{ name: 'person', anchors: ['login'], attributes: [{ name: 'login', type: 'string', multiValued: false }, { name: 'firstName', type: 'string', multiValued: false }] }] };
        },
        async openImport(runStep) {
          const run: Runs['log'][number] = { type: runStep.type, start: Date.now() };
          runs.log.push(run);
          runs.running++;
          runs.most = Math.max(runs.most, runs.running);
          return {
            async getEntries() {
              await new Promise((resolve) => setTimeout(resolve, importMs));
              return { entries: runStep.type === 'full' ? [person] : [], more: false, watermark: String(Date.now()) };
            },
            async close() {
              runs.running--;
              run.end = Date.now();
              return { watermark: String(Date.now()) };
            },
          };
        },
        async close() {},
      };
    },
  });
}

describe('run profile schedules', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-02T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs deltas on the autosync timer and a full import on its own schedule, never two at once', async () => {
    const runs: Runs = { log: [], running: 0, most: 0 };
    // Each import takes 25 minutes while autosync ticks every 7: most ticks find one running.
    const config = fixtureConfig('Slow', TOKEN_A, 'unused', {
      autosyncMinutes: 7,
      attributes: [{ name: 'login' }, { name: 'firstName' }],
      scimMapping: { userName: 'login' },
      runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10, everyHours: 2 }, deltaImport: { pageSize: 10 } },
    });
    const host = createHost({ connectors: [config], loadConnector: async () => slowConnector(25 * MINUTE, runs), logger: pino({ level: 'silent' }) });
    await host.start();

    // The schedule is known from the start: the next autosync (a delta) and the next full import.
    const before = await (await host.app.request('/readyz?connector=Slow')).json();
    expect(before).toMatchObject({ state: 'importing', nextImports: [{ type: 'delta', at: '2026-03-02T00:07:00.000Z' }, { type: 'full', at: '2026-03-02T02:00:00.000Z' }] });

    await vi.advanceTimersByTimeAsync(5 * HOUR);
    // stop() gives the running import a grace period on the (fake) clock.
    const stopped = host.stop();
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    await stopped;

    expect(runs.most).toBe(1);
    for (const [i, run] of runs.log.entries()) {
      const next = runs.log[i + 1];
      if (next !== undefined) expect(next.start).toBeGreaterThanOrEqual(run.end ?? Infinity);
    }
    const at = (run: Runs['log'][number]) => `${run.type}@${new Date(run.start).toISOString().slice(11, 16)}`;
    // 00:00 the first full import (ends 00:25); the ticks at 00:07, 00:14 and 00:21 are skipped;
    // 00:28 runs a delta (ends 00:53), and so on. The full import due at 02:00 finds the 01:52 delta
    // running, waits for it and starts at 02:17; the one due at 04:00 waits for the 03:44 delta.
    expect(runs.log.map(at)).toEqual([
      'full@00:00',
      'delta@00:28',
      'delta@00:56',
      'delta@01:24',
      'delta@01:52',
      'full@02:17',
      'delta@02:48',
      'delta@03:16',
      'delta@03:44',
      'full@04:09',
      'delta@04:40',
    ]);
  });

  it('a full import schedule of 0 never runs one; a configuration without the field runs one every 24 hours', async () => {
    const never: Runs = { log: [], running: 0, most: 0 };
    const daily: Runs = { log: [], running: 0, most: 0 };
    const base = { autosyncMinutes: 0, attributes: [{ name: 'login' }, { name: 'firstName' }], scimMapping: { userName: 'login' } };
    const host = createHost({
      connectors: [
        fixtureConfig('Never', TOKEN_A, 'unused', { ...base, package: 'never', runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10, everyHours: 0 } } }),
        // As a configuration stored by an earlier version reads: no everyHours.
        fixtureConfig('Daily', TOKEN_A, 'unused', { ...base, package: 'daily', runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10 } } }),
      ],
      loadConnector: async (spec) => slowConnector(MINUTE, spec === 'never' ? never : daily),
      logger: pino({ level: 'silent' }),
    });
    await host.start();
    const status = host.status();
    expect(status.connectors.find((c) => c.name === 'Never')?.nextImports).toBeUndefined();
    expect(status.connectors.find((c) => c.name === 'Daily')?.nextImports).toEqual([{ type: 'full', at: '2026-03-03T00:00:00.000Z' }]);
    await vi.advanceTimersByTimeAsync(49 * HOUR);
    await host.stop();
    expect(never.log.map((r) => r.type)).toEqual(['full']);
    expect(daily.log.map((r) => new Date(r.start).toISOString())).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z']);
  });

  it('loads a configuration file saved before the full import schedule existed with the daily default, and refuses a bad schedule naming the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-ops-old-config-'));
    try {
      const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
      // As an earlier version wrote it: no runProfiles.fullImport.everyHours.
      const old = (schedule: string) =>
        `name: Old\npackage: old\nautosyncMinutes: 0\ntokenHash: sha256:a:b\nparameters: {}\nobjectType: person\nanchor: [login]\ndn: {autogenerate: true}\nattributes: [login, firstName]\ndeprovisioning: {disable: {action: none}, delete: {action: delete}}\nrunProfiles: {export: {batchSize: 50}, fullImport: {pageSize: 100${schedule}}}\n`;
      await writeFile(path.join(store.paths.connectors, 'Old.yaml'), old(''));
      const config = await store.readConnector('Old');
      const runs: Runs = { log: [], running: 0, most: 0 };
      const host = createHost({ connectors: [config], loadConnector: async () => slowConnector(MINUTE, runs), logger: pino({ level: 'silent' }) });
      await host.start();
      expect(host.connectorStatus('Old')?.nextImports).toEqual([{ type: 'full', at: '2026-03-03T00:00:00.000Z' }]);
      await vi.advanceTimersByTimeAsync(24 * HOUR + MINUTE);
      await host.stop();
      expect(runs.log.map((r) => r.type)).toEqual(['full', 'full']);

      await writeFile(path.join(store.paths.connectors, 'Old.yaml'), old(', everyHours: -1'));
      await expect(store.readConnector('Old')).rejects.toThrow('runProfiles.fullImport.everyHours must be a whole number >= 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
