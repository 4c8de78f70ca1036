// Proof that the reference checks bite: they pass on the reference connector with checked members
// and fail on a variant that writes a dangling reference and on one that ignores member removals.
import { describe, expect, it } from 'vitest';
import type { ReferenceCheckId } from '../src/testing/index.js';
import { REFERENCE_CHECK_IDS, runConformanceCheck } from '../src/testing/index.js';
import type { GroupDefect } from './group-reference-connector.js';
import { groupReferenceOptions } from './group-reference-connector.js';
import { referenceOptions } from './reference-samples.js';

const defects: [GroupDefect, ReferenceCheckId, RegExp][] = [
  ['writes-dangling-reference', 'reference-dangling', /adding the dangling reference \["no-such-object"\] beside a good one returned success/],
  ['ignores-member-removal', 'reference-remove', /after one of two members was removed, member of group .* reads \[.*\]; expected/],
];

describe('the reference checks', () => {
  it.each(REFERENCE_CHECK_IDS.filter((id) => id !== 'reference-rename'))('%s passes on the reference connector with checked members', async (id) => {
    await expect(runConformanceCheck(id, groupReferenceOptions())).resolves.toEqual({ status: 'passed' });
  });

  it('skips the rename check on a connector that does not declare objectRename', async () => {
    await expect(runConformanceCheck('reference-rename', groupReferenceOptions())).resolves.toEqual({ status: 'skipped', reason: 'the connector does not declare objectRename' });
  });

  it.each(REFERENCE_CHECK_IDS)('%s skips, saying why, when the options give no references', async (id) => {
    await expect(runConformanceCheck(id, referenceOptions())).resolves.toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no references/) });
  });

  it.each(defects)('%s fails the %s check', async (defect, check, message) => {
    await expect(runConformanceCheck(check, groupReferenceOptions(defect))).rejects.toThrow(message);
  });
});
