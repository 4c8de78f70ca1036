import type { ConnectorInstance, CSEntryChange, ExportEntryResult, ImportEntry } from '@ecmahost/sdk';

let ids = 0;

/** Exports `batch` as entries of `objectType` in one session, and returns the per-entry results. */
export async function exportBatch(instance: ConnectorInstance, objectType: string, batch: Omit<CSEntryChange, 'identifier' | 'objectType'>[]): Promise<ExportEntryResult[]> {
  const schema = await instance.getSchema();
  const session = await instance.openExport!({ schema, batchSize: batch.length });
  try {
    return await session.putEntries(batch.map((e) => ({ ...e, objectType, identifier: `e${String(++ids)}` })));
  } finally {
    await session.close('normal');
  }
}

/** Runs one import to its end in pages of `pageSize`: every entry, and the watermark the session closed with. */
export async function importAll(instance: ConnectorInstance, type: 'full' | 'delta', watermark?: string, pageSize = 50): Promise<{ entries: ImportEntry[]; watermark: string | undefined }> {
  const schema = await instance.getSchema();
  const session = await instance.openImport!({ type, schema, pageSize, ...(watermark === undefined ? {} : { watermark }) });
  const entries: ImportEntry[] = [];
  let last: string | undefined;
  for (;;) {
    const page = await session.getEntries();
    entries.push(...page.entries);
    last = page.watermark ?? last;
    if (!page.more) break;
  }
  const final = await session.close('normal');
  return { entries, watermark: (final && final.watermark) ?? last };
}
