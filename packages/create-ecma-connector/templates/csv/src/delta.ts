import type { ImportEntry, ImportRunStep, ImportSession } from '@ecmahost/sdk';
import { pagedSession } from './import.js';
import type { JournalOperation } from './journal.js';
import { changesSince, formatWatermark, parseWatermark, readJournal } from './journal.js';
import type { Settings } from './settings.js';
import { OBJECT_TYPE } from './settings.js';
import { UsersFile } from './users-file.js';

/**
 * Opens a delta import: the users changed since the watermark, from the change journal that this
 * connector's exports write beside the CSV file.
 *
 * The journal only knows this connector's own writes, so each of its lines carries the file's hash
 * before and after the write, and the watermark the hash at the last import. When the chain from the
 * watermark to the file as it is now has a gap (someone edited the file by hand, replaced it, or
 * reset the journal), this throws `ConnectorError('invalid-watermark')` and the host runs a full
 * import instead: a delta import never silently misses a change.
 */
export async function openDeltaImport(settings: Settings, runStep: ImportRunStep): Promise<ImportSession> {
  const since = parseWatermark(runStep.watermark);
  const journal = await readJournal(settings.filePath);
  const file = await UsersFile.load(settings);
  const changes = changesSince(journal, since, file.hash, settings.filePath);

  // Several changes to one user collapse into one entry describing where the user is now.
  const firstOperation = new Map<string, JournalOperation>();
  for (const change of changes) if (!firstOperation.has(change.anchor)) firstOperation.set(change.anchor, change.operation);
  const entries: ImportEntry[] = [];
  const seen = new Set<string>();
  for (const [anchor, first] of firstOperation) {
    const row = file.rows[file.indexOf(anchor)];
    if (row) {
      const entry = file.importEntry(row, seen);
      entries.push(entry.error || first === 'add' ? entry : { ...entry, modification: 'replace' });
    } else if (first !== 'add') {
      entries.push({ objectType: OBJECT_TYPE, modification: 'delete', anchor: file.anchorFromCell(anchor), attributeChanges: [] });
    }
    // A user added and deleted since the last import was never known to the host: nothing to say.
  }
  return pagedSession(entries, runStep.pageSize, formatWatermark({ sequence: journal.last, hash: file.hash }));
}
