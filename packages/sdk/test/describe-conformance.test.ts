// describeConnectorConformance end to end: a child vitest run of a fixture file, as a connector's own
// suite would run, must report each check as passed, failed or skipped (with the reason).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { CONFORMANCE_CHECKS } from '../src/testing/index.js';

const root = path.dirname(fileURLToPath(new URL('../package.json', import.meta.url)));

async function runFixture(env: Record<string, string>, logs: string[] = []) {
  // A child run with failures sets process.exitCode for the whole worker; the parent's verdict is ours.
  const exitCode = process.exitCode;
  const vitest = await startVitest('test', ['test/fixtures/defective-conformance.fixture.ts'], {
    root,
    config: false,
    watch: false,
    include: ['test/fixtures/*.fixture.ts'],
    // A reporter that prints nothing and keeps what the suite printed: the parent run reports the outcome.
    reporters: [{ onUserConsoleLog: (log) => void logs.push(log.content) }],
    env,
    alias: { '@ecmahost/sdk': path.join(root, 'src/index.ts') },
  });
  const outcomes = new Map<string, { state: string; note: string | undefined }>();
  for (const module of vitest.state.getTestModules()) {
    for (const test of module.children.allTests()) {
      const id = test.name.split(':')[0] ?? test.name;
      const result = test.result();
      outcomes.set(id, { state: result.state, note: result.state === 'skipped' ? (result.note ?? test.name) : undefined });
    }
  }
  await vitest.close();
  process.exitCode = exitCode;
  return outcomes;
}

describe('describeConnectorConformance in a vitest run', () => {
  it('passes every check on the reference connector, with skips that say why', async () => {
    const outcomes = await runFixture({ CONFORMANCE_DEFECT: '', CONFORMANCE_NO_DELTA: '1' });
    expect([...outcomes.keys()]).toEqual([...CONFORMANCE_CHECKS]);
    expect(outcomes.get('delta-import')).toEqual({ state: 'skipped', note: 'the connector has no delta import (capabilities.deltaImport is false)' });
    expect(outcomes.get('existing-object')?.state).toBe('skipped');
    expect(outcomes.get('existing-object')?.note).toContain('skipped by the fixture, to show a skip with a reason');
    const failed = [...outcomes].filter(([, o]) => o.state === 'failed').map(([id]) => id);
    expect(failed).toEqual([]);
  });

  it('fails the run on a defective variant, naming the check', async () => {
    const outcomes = await runFixture({ CONFORMANCE_DEFECT: 'drops-multi-value-deletes' });
    const failed = [...outcomes].filter(([, o]) => o.state === 'failed').map(([id]) => id);
    expect(failed).toEqual(['update-multi-value']);
  });

  it('prints every skipped check with its reason and the warnings, with the default reporter too', async () => {
    const logs: string[] = [];
    await runFixture({ CONFORMANCE_DEFECT: '', CONFORMANCE_NO_DELTA: '1' }, logs);
    const printed = logs.join('');
    expect(printed).toContain('connector conformance: reference connector\n');
    expect(printed).toContain('  skipped existing-object: skipped by the fixture, to show a skip with a reason\n');
    expect(printed).toContain('  skipped delta-import: the connector has no delta import (capabilities.deltaImport is false)\n');
    expect(printed).toContain("  warning from schema: person has attributes named like SCIM's reserved ones: id.");
  });

  it('reports a dropped export result once: the later checks that meet it skip, naming the first', async () => {
    const logs: string[] = [];
    const outcomes = await runFixture({ CONFORMANCE_DEFECT: 'drops-update-results' }, logs);
    const failed = [...outcomes].filter(([, o]) => o.state === 'failed').map(([id]) => id);
    expect(failed).toEqual(['update-single-value']);
    const repeated = /^earlier check update-single-value failed with the same defect \(putEntries returned no result for the update entry conformance-\d+\)$/;
    for (const id of ['update-multi-value', 'delta-import', 'missing-object']) {
      expect(outcomes.get(id)).toEqual({ state: 'skipped', note: expect.stringMatching(repeated) });
    }
    expect(outcomes.get('through-host')).toEqual({ state: 'skipped', note: 'earlier check update-single-value failed; the host would meet the same defect' });
    expect(outcomes.get('export-add')?.state).toBe('passed');
    expect(logs.join('')).toMatch(/skipped delta-import: earlier check update-single-value failed with the same defect/);
  });
});
