import type { AttributeValues, ConnectorInstance, CSEntryChange, ExportEntryResult, ImportEntry, ParameterValues } from '@ecmahost/sdk';
import { attributeChangesOf, silentLogger } from '@ecmahost/sdk';
import connector from '../../src/index.js';

/** Opens the connector as a host does. */
export function openInstance(values: ParameterValues): Promise<ConnectorInstance> {
  return connector.open(values, { log: silentLogger, signal: new AbortController().signal });
}

let counter = 0;

/** An add entry of the User type. */
export function addUser(attributes: AttributeValues, anchor: CSEntryChange['anchor'] = {}): CSEntryChange {
  counter += 1;
  const login = attributes.ContosoLogin;
  return {
    identifier: `e${String(counter)}`,
    objectType: 'User',
    modification: 'add',
    anchor: typeof login === 'string' && Object.keys(anchor).length === 0 ? { ContosoLogin: login } : anchor,
    attributeChanges: attributeChangesOf(attributes),
  };
}

/** An entry changing an existing user. */
export function changeUser(modification: 'update' | 'delete' | 'replace', anchor: CSEntryChange['anchor'], attributeChanges: CSEntryChange['attributeChanges'] = []): CSEntryChange {
  counter += 1;
  return { identifier: `e${String(counter)}`, objectType: 'User', modification, anchor, attributeChanges };
}

/** Exports one batch in its own session; results in batch order. */
export async function exportBatch(instance: ConnectorInstance, batch: readonly CSEntryChange[]): Promise<ExportEntryResult[]> {
  const schema = await instance.getSchema();
  const session = await instance.openExport!({ schema, batchSize: batch.length });
  try {
    const results = await session.putEntries(batch);
    return batch.map((entry) => {
      const result = results.find((r) => r.identifier === entry.identifier);
      if (!result) throw new Error(`no result for ${entry.identifier}`);
      return result;
    });
  } finally {
    await session.close('normal');
  }
}

/** Reads a whole import run. */
export async function importAll(instance: ConnectorInstance, type: 'full' | 'delta' = 'full', watermark?: string, pageSize = 50): Promise<{ entries: ImportEntry[]; watermark?: string }> {
  const schema = await instance.getSchema();
  const session = await instance.openImport!({ type, schema, pageSize, ...(watermark === undefined ? {} : { watermark }) });
  const entries: ImportEntry[] = [];
  let last: string | undefined;
  for (;;) {
    const page = await session.getEntries();
    entries.push(...page.entries);
    if (page.watermark !== undefined) last = page.watermark;
    if (!page.more) break;
  }
  const final = await session.close('normal');
  const mark = (final && final.watermark) ?? last;
  return mark === undefined ? { entries } : { entries, watermark: mark };
}
