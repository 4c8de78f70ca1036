import type { ImportEntry, ImportRunStep, ImportSession } from '@ecmahost/sdk';
// #if delta
import { formatWatermark, readJournal } from './journal.js';
// #endif
import type { Settings } from './settings.js';
import { UsersFile } from './users-file.js';

/** Hands out `entries` a page at a time; the last page carries `watermark`. */
export function pagedSession(entries: readonly ImportEntry[], pageSize: number, watermark?: string): ImportSession {
  const size = Math.max(1, Math.floor(pageSize));
  let offset = 0;
  return {
    async getEntries() {
      const page = entries.slice(offset, offset + size);
      offset += page.length;
      const more = offset < entries.length;
      return { entries: page, more, ...(more || watermark === undefined ? {} : { watermark }) };
    },
    async close() {},
  };
}

/**
 * Opens a full import: every row of the file, a page at a time, each as an `add` of the whole user.
 * Rows that cannot be read come as entries carrying an error, so the run goes on without them.
 */
export async function openFullImport(settings: Settings, runStep: ImportRunStep): Promise<ImportSession> {
  // #if delta
  // The journal is read before the file. An export landing in between leaves a gap in the hash
  // chain from this watermark, so the next delta import falls back to a full import instead of missing it.
  const journal = await readJournal(settings.filePath);
  // #endif
  const file = await UsersFile.load(settings);
  const seen = new Set<string>();
  const entries = file.rows.map((row) => file.importEntry(row, seen));
  // #if delta
  return pagedSession(entries, runStep.pageSize, formatWatermark({ sequence: journal.last, hash: file.hash }));
  // #endif
  // #if !delta
  return pagedSession(entries, runStep.pageSize);
  // #endif
}
