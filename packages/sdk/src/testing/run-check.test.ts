import { describe, expect, it } from 'vitest';
import { createReferenceConnector, createReferenceStore, dropReferenceStore, seedReferenceStore } from '../../test/reference-connector.js';
import { referenceOptions, referenceSample } from '../../test/reference-samples.js';
import type { ConformanceOptions } from './options.js';
import { assertConformanceOptions, runConformanceCheck } from './run-check.js';

describe('assertConformanceOptions', () => {
  const options = referenceOptions();

  it('accepts complete options', () => {
    expect(() => assertConformanceOptions(options)).not.toThrow();
  });

  it.each(['', '   '])('refuses a skip whose reason is %j', (reason) => {
    expect(() => assertConformanceOptions({ ...options, skip: { 'delta-import': reason } })).toThrow('skip["delta-import"] needs a reason');
  });

  it('refuses a skip of an unknown check', () => {
    expect(() => assertConformanceOptions({ ...options, skip: { 'delta-imports': 'typo' } as NonNullable<ConformanceOptions['skip']> })).toThrow(
      'skip names an unknown check "delta-imports"',
    );
  });

  it('needs a reason when multiValued or invalid is left out', () => {
    const { multiValued: _m, invalid: _i, ...rest } = options;
    expect(() => assertConformanceOptions({ ...rest, invalid: options.invalid! })).toThrow('multiValued is omitted');
    expect(() => assertConformanceOptions({ ...rest, multiValued: 'mail' })).toThrow('invalid is omitted');
    expect(() =>
      assertConformanceOptions({ ...rest, skip: { 'update-multi-value': 'no multi-valued attribute', 'batch-partial-failure': 'the target accepts anything' } }),
    ).not.toThrow();
  });

  it('refuses a page or batch size that is not a positive whole number', () => {
    expect(() => assertConformanceOptions({ ...options, pageSize: 0 })).toThrow('pageSize must be a positive whole number');
    expect(() => assertConformanceOptions({ ...options, exportBatchSize: 2.5 })).toThrow('exportBatchSize must be a positive whole number');
  });
});

describe('runConformanceCheck', () => {
  it('returns a skip given in the options without touching the target', async () => {
    let targets = 0;
    const options = { ...referenceOptions(), target: async () => ((targets += 1), { values: {} }), skip: { delete: 'deletes are soft here' } };
    await expect(runConformanceCheck('delete', options)).resolves.toEqual({ status: 'skipped', reason: 'deletes are soft here' });
    expect(targets).toBe(0);
  });

  it('skips checks the capabilities rule out, with the reason, and cleans the target up', async () => {
    let cleaned = 0;
    const base = referenceOptions();
    const options: ConformanceOptions = {
      ...base,
      connector: createReferenceConnector(undefined, { deltaImport: false, password: false }),
      target: async () => {
        const target = await base.target();
        return { values: target.values, cleanup: async () => ((cleaned += 1), target.cleanup?.()) };
      },
    };
    await expect(runConformanceCheck('delta-import', options)).resolves.toEqual({
      status: 'skipped',
      reason: 'the connector has no delta import (capabilities.deltaImport is false)',
    });
    await expect(runConformanceCheck('password', options)).resolves.toMatchObject({ status: 'skipped', reason: expect.stringContaining('capabilities.password is false') });
    await expect(runConformanceCheck('object-replace', { ...options, connector: createReferenceConnector(undefined, { deleteAddAsReplace: false }) })).resolves.toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('never sends an object replace'),
    });
    expect(cleaned).toBe(3);
  });

  it('skips the watermark of a connector without delta import: the host gives watermarks to delta imports only', async () => {
    const options = { ...referenceOptions(), connector: createReferenceConnector(undefined, { deltaImport: false }) };
    await expect(runConformanceCheck('watermark', options)).resolves.toEqual({
      status: 'skipped',
      reason: 'the connector has no delta import, and the host gives watermarks to delta imports only',
    });
    await expect(runConformanceCheck('delta-import', options)).resolves.toMatchObject({ status: 'skipped' });
  });

  it('runs the import checks of an import-only connector on seeded objects', async () => {
    const stores: string[] = [];
    const options: ConformanceOptions = {
      ...referenceOptions(),
      connector: createReferenceConnector(undefined, { export: false, password: false }),
      target: async () => {
        const store = createReferenceStore();
        stores.push(store);
        return { values: { store }, cleanup: async () => dropReferenceStore(store) };
      },
      sample: (n) => ({ ...referenceSample(n), anchor: { id: `seeded-${String(n)}` } }),
      seed: async (values, objects) => seedReferenceStore(String(values.store), objects),
    };
    await expect(runConformanceCheck('full-import-paging', options)).resolves.toEqual({ status: 'passed' });
    await expect(runConformanceCheck('watermark', options)).resolves.toEqual({ status: 'passed' });
    await expect(runConformanceCheck('export-add', options)).resolves.toMatchObject({ status: 'skipped', reason: expect.stringContaining('does not export') });
    await expect(runConformanceCheck('capabilities', options)).resolves.toEqual({ status: 'passed' });
    expect(stores).toHaveLength(4);
  });

  it('fails an import-only connector without a seed with a skip reason, not an error', async () => {
    const options = { ...referenceOptions(), connector: createReferenceConnector(undefined, { export: false }) };
    await expect(runConformanceCheck('full-import-paging', options)).resolves.toEqual({
      status: 'skipped',
      reason: 'the connector does not export and the options give no seed',
    });
  });

  it('sends whole-object replaces to an objectReplace connector', async () => {
    // This variant ignores attribute replaces inside updates; an objectReplace connector never gets one.
    const options = { ...referenceOptions(), connector: createReferenceConnector('ignores-single-value-replace', { exportType: 'objectReplace' }) };
    for (const id of ['update-single-value', 'update-multi-value', 'object-replace', 'delta-import', 'missing-object'] as const) {
      await expect(runConformanceCheck(id, options)).resolves.toEqual({ status: 'passed' });
    }
    await expect(runConformanceCheck('update-single-value', referenceOptions('ignores-single-value-replace'))).rejects.toThrow('read back with different values');
  });

  it('opens every session in the first visible partition of a partitioned connector when asked to', async () => {
    const options = { ...referenceOptions(), connector: createReferenceConnector(undefined, { dnStyle: 'ldap', partitions: true }), partitions: true };
    for (const id of ['capabilities', 'export-add', 'delta-import', 'password'] as const) {
      await expect(runConformanceCheck(id, options)).resolves.toEqual({ status: 'passed' });
    }
  });

  it('refuses a sample whose values do not fit the schema, before anything is exported', async () => {
    const base = referenceOptions();
    const sample = (n: number) => ({ attributes: { ...base.sample(n).attributes, age: '42' } });
    await expect(runConformanceCheck('schema', { ...base, sample })).rejects.toThrow('sample(0).age is "42", not a value of type integer');
  });

  it('says which object type is missing from the schema', async () => {
    await expect(runConformanceCheck('schema', { ...referenceOptions(), objectType: 'robot' })).rejects.toThrow(
      'the discovered schema has no object type robot (it has: person, group)',
    );
  });
});
