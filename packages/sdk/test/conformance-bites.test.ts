// Proof that the conformance kit bites: each variant of the reference connector has one defect,
// and the check that covers it must fail on the variant while passing on the correct connector.
import { describe, expect, it } from 'vitest';
import type { ConformanceCheckId, ConformanceOptions } from '../src/testing/index.js';
import { CONFORMANCE_CHECKS, REFERENCE_CHECK_IDS, runConformanceCheck } from '../src/testing/index.js';
import type { ReferenceDefect } from './reference-connector.js';
import { referenceOptions } from './reference-samples.js';

// Two defects show only in modes @ecmahost/host never uses, so their rows opt into them: a whole
// batch failing needs batches, a merging replace needs replaces sent for deleteAddAsReplace.
const defects: [ReferenceDefect, ConformanceCheckId, RegExp, Partial<ConformanceOptions>?][] = [
  ['test-connection-broken', 'test-connection', /refused the API key/],
  ['malformed-schema', 'schema', /anchor objectGUID is not among its attributes/],
  ['password-without-session', 'capabilities', /capability password is declared but openPassword is missing/],
  ['ignores-page-size', 'full-import-paging', /page held \d+ entries; the page size asked for was 2/],
  ['imports-null-value', 'full-import-paging', /returned an entry the host cannot take \(anchor \{ id: ".+" \}\): attribute mail has a value that is null/],
  ['loses-watermark', 'watermark', /delta import given its watermark returned 3 entries/],
  ['corrupts-binary', 'export-add', /photo \(binary\): expected/],
  ['shifts-datetime', 'export-add', /hiredAt \(datetime\): expected/],
  ['hides-generated-anchor', 'generated-anchor', /does not carry the generated anchor/],
  ['ignores-single-value-replace', 'update-single-value', /displayName \(string\): expected \["User Number 1"\]/],
  ['drops-multi-value-deletes', 'update-multi-value', /mail \(string, multi-valued\): expected/],
  ['replace-merges', 'object-replace', /still has/, { deleteAddAsReplace: true }],
  ['delta-misses-deletes', 'delta-import', /does not report the deleted object as delete/],
  ['throws-on-missing-object', 'missing-object', /putEntries threw instead of returning per-entry results/],
  ['add-twice-succeeds', 'existing-object', /returned success, not existing-object/],
  ['fails-whole-batch', 'batch-partial-failure', /good entry 0 beside a bad one failed: syntax-violation/, { exportBatchSize: 3 }],
  ['ignores-delete', 'delete', /deleted object .* is still in the full import/],
  ['password-ignores-missing-object', 'password', /returned success, not missing-object/],
  ['drops-update-results', 'through-host', /through the host, the PATCH replacing displayName .* should answer 200 or 204; it answered 5\d\d/],
  // A leak names the line of the connector that created the handle.
  ['leaks-timer', 'handles-released', /handles remain after instance\.close\(\): Timeout \+1 \(opened by the connector, created at .*reference-connector\.ts:\d+/],
  ['leaks-socket', 'handles-released', /TCPSERVERWRAP \+1 \(opened by the connector, created at .*reference-connector\.ts:\d+/],
];

describe('the conformance kit on defective connectors', () => {
  it('has a defective variant for every check', () => {
    // The reference checks' defective variants are in reference-groups-bites.test.ts.
    const covered = new Set<ConformanceCheckId>([...defects.map(([, check]) => check), ...REFERENCE_CHECK_IDS]);
    expect(CONFORMANCE_CHECKS.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(defects)('%s fails the %s check', async (defect, check, message, mode = {}) => {
    await expect(runConformanceCheck(check, { ...referenceOptions(), ...mode })).resolves.toMatchObject({ status: 'passed' });
    await expect(runConformanceCheck(check, { ...referenceOptions(defect), ...mode })).rejects.toThrow(message);
  });

  it.each(defects)('%s fails the whole kit', async (defect, check, _message, mode = {}) => {
    const failed: ConformanceCheckId[] = [];
    for (const id of CONFORMANCE_CHECKS) {
      await runConformanceCheck(id, { ...referenceOptions(defect), ...mode }).catch(() => failed.push(id));
    }
    expect(failed).toContain(check);
  });
});
