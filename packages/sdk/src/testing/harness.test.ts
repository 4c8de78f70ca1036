// The kit calls a connector the way @ecmahost/host does unless the options ask for more, as
// docs/connectors/conformance.md says: read from the session calls the reference connector received.
import { describe, expect, it } from 'vitest';
import type { ReferenceCall } from '../../test/reference-connector.js';
import { createReferenceConnector, referenceCalls } from '../../test/reference-connector.js';
import { referenceOptions } from '../../test/reference-samples.js';
import type { ConformanceCheckId, ConformanceOptions } from './options.js';
import { runConformanceCheck } from './run-check.js';

/** Runs one check and returns the session calls its target received. */
async function callsOf(id: ConformanceCheckId, options: ConformanceOptions): Promise<ReferenceCall[]> {
  const calls: ReferenceCall[] = [];
  await runConformanceCheck(id, {
    ...options,
    target: async () => {
      const target = await options.target();
      return {
        values: target.values,
        cleanup: async () => {
          calls.push(...referenceCalls(String(target.values.store)));
          await target.cleanup?.();
        },
      };
    },
  });
  return calls;
}

const exportCalls = (calls: readonly ReferenceCall[]) => calls.filter((c) => c.method === 'openExport' || c.method === 'putEntries' || c.method === 'closeExport');

const oneEntrySession: ReferenceCall[] = [
  { method: 'openExport', batchSize: 1, partition: undefined },
  { method: 'putEntries', entries: 1 },
  { method: 'closeExport', reason: 'normal' },
];

describe('the conformance kit calls the connector as @ecmahost/host does by default', () => {
  it('sends every export entry in a session of its own, opened with batchSize 1', async () => {
    // delta-import adds three samples, then exports an add, an update and a delete.
    const calls = await callsOf('delta-import', referenceOptions());
    expect(exportCalls(calls)).toEqual(Array.from({ length: 6 }, () => oneEntrySession).flat());
  });

  it('sends batches of up to exportBatchSize entries through one session when asked to', async () => {
    const calls = await callsOf('delta-import', { ...referenceOptions(), exportBatchSize: 2 });
    const batchedSession: ReferenceCall[] = [
      { method: 'openExport', batchSize: 2, partition: undefined },
      { method: 'putEntries', entries: 2 },
      { method: 'putEntries', entries: 1 },
      { method: 'closeExport', reason: 'normal' },
    ];
    expect(exportCalls(calls)).toEqual([...batchedSession, ...batchedSession]);
  });

  it('opens sessions without a partition, so a connector that needs one fails as it would in the host', async () => {
    const options = { ...referenceOptions(), connector: createReferenceConnector(undefined, { dnStyle: 'ldap', partitions: true }) };
    await expect(runConformanceCheck('export-add', options)).rejects.toThrow('no such partition: undefined');
    const calls = await callsOf('password', { ...options, partitions: true });
    const opened = calls.filter((c) => c.method !== 'putEntries' && c.method !== 'closeExport');
    expect(opened.map((c) => c.method)).toEqual(['openExport', 'openPassword', 'openExport']);
    expect(opened.every((c) => 'partition' in c && c.partition === 'people')).toBe(true);
  });

  it('refuses the partitions option for a connector that declares no partitions', async () => {
    await expect(runConformanceCheck('export-add', { ...referenceOptions(), partitions: true })).rejects.toThrow(
      'the options ask for partitions, but the connector does not declare capabilities.partitions',
    );
  });

  it('sends object replaces to a deleteAddAsReplace connector only when asked to', async () => {
    const options = referenceOptions();
    await expect(runConformanceCheck('object-replace', options)).resolves.toEqual({
      status: 'skipped',
      reason:
        'the host never sends an object replace to this connector (exportType attributeUpdate; @ecmahost/host does not use deleteAddAsReplace, set the deleteAddAsReplace option to check it for other hosts)',
    });
    await expect(runConformanceCheck('object-replace', { ...options, deleteAddAsReplace: true })).resolves.toEqual({ status: 'passed' });
  });

  it('sends a changed multi-valued reference of a multivaluedReferenceAttributeUpdate connector as its full new set', async () => {
    // This variant drops value deletes from updates, so only a full set (a replace) reads back right.
    const groups = (exportType: 'attributeUpdate' | 'multivaluedReferenceAttributeUpdate'): ConformanceOptions => ({
      ...referenceOptions(),
      connector: createReferenceConnector('drops-multi-value-deletes', { exportType }),
      objectType: 'group',
      sample: (n) => ({ attributes: { displayName: `Group ${String(n)}`, member: [`CN=User ${String(n)},DC=example`, `CN=Admin ${String(n)},DC=example`] } }),
      multiValued: 'member',
    });
    await expect(runConformanceCheck('update-multi-value', groups('multivaluedReferenceAttributeUpdate'))).resolves.toEqual({ status: 'passed' });
    await expect(runConformanceCheck('update-multi-value', groups('attributeUpdate'))).rejects.toThrow('read back with different values');
  });
});
