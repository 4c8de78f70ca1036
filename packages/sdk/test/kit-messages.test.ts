// What the kit says when a connector is broken: each message names what it saw (the anchors it read,
// the entries it did not expect), so the author can tell the defect without a debugger.
import { describe, expect, it } from 'vitest';
import { runConformanceCheck } from '../src/testing/index.js';
import { reservedNameWarning } from '../src/testing/checks.js';
import { referenceOptions } from './reference-samples.js';

describe('kit messages on broken connectors', () => {
  it('lists the anchors it read when a sample is missing from the full import', async () => {
    const run = runConformanceCheck('export-add', referenceOptions('imports-prefixed-anchors'));
    await expect(run).rejects.toThrow(/^sample\(0\) \(anchor \{ id: "([0-9a-f-]{36})" \}\) is missing from the full import \(2 entries read: \{ id: "x-[0-9a-f-]{36}" \} \(add\), \{ id: "x-[0-9a-f-]{36}" \} \(add\)\)$/);
  });

  it('shows the first five anchors read and how many more', async () => {
    // Page size 3: the paging check adds 7 objects.
    const run = runConformanceCheck('full-import-paging', { ...referenceOptions('imports-prefixed-anchors'), pageSize: 3 });
    await expect(run).rejects.toThrow(/7 entries read: (\{ id: "x-[0-9a-f-]{36}" \} \(add\), ){4}\{ id: "x-[0-9a-f-]{36}" \} \(add\) and 2 more\)$/);
  });

  it('lists the delta entries for objects the kit never touched', async () => {
    await expect(runConformanceCheck('delta-import', referenceOptions('delta-reports-phantom'))).rejects.toThrow(
      'the delta import reports 1 entries for objects the kit never touched: { id: "phantom" } (add)',
    );
  });
});

describe('attribute names SCIM reserves', () => {
  it('the schema check passes with a warning naming an id-named attribute and its consequence', async () => {
    const outcome = await runConformanceCheck('schema', referenceOptions());
    expect(outcome).toEqual({ status: 'passed', warnings: [expect.stringMatching(/^person has attributes named like SCIM's reserved ones: id\. In SCIM filters/)] });
    expect(outcome.status === 'passed' && outcome.warnings?.[0]).toContain('urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:id');
  });

  it('matches the reserved names case-insensitively, as SCIM does, and nothing else', () => {
    const type = { name: 'user', attributes: [{ name: 'ExternalID' }, { name: 'mail' }, { name: 'META' }, { name: 'Schemas' }, { name: 'identifier' }] };
    expect(reservedNameWarning(type)).toMatch(/^user has attributes named like SCIM's reserved ones: ExternalID, META, Schemas\. /);
    expect(reservedNameWarning({ name: 'user', attributes: [{ name: 'login' }, { name: 'userId' }] })).toBeUndefined();
  });
});
