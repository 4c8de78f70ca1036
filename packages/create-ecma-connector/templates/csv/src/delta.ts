import type { ImportEntry, ImportRunStep, ImportSession } from '@ecmahost/sdk';
import { ConnectorError } from '@ecmahost/sdk';
import { pagedSession } from './import.js';
import type { JournalOperation } from './journal.js';
import { formatWatermark, parseWatermark, readJournal } from './journal.js';
import type { Settings } from './settings.js';
import { OBJECT_TYPE } from './settings.js';
import { UsersFile } from './users-file.js';

/**
 * Opens a delta import: the users changed since the watermark, from the change journal that this
 * connector's exports write beside the CSV file.
 *
 * The journal only knows this connector's own writes. So the watermark also carries the file's hash,
 * and when the file no longer has the hash the journal says it should (someone edited it by hand or
 * replaced it), this throws `ConnectorError('invalid-watermark')` and the host runs a full import
 * instead: a delta import never silently misses a change.
 */
export async function openDeltaImport(settings: Settings, runStep: ImportRunStep): Promise<ImportSession> {
  const since = parseWatermark(runStep.watermark);
  const journal = await readJournal(settings.filePath);
  const file = await UsersFile.load(settings);
  if (since.sequence > journal.last) {
    throw new ConnectorError('invalid-watermark', `The journal of ${settings.filePath} was reset since the last import; run a full import`);
  }
  const changes = journal.entries.filter((e) => e.sequence > since.sequence);
  const expected = changes.at(-1)?.hash ?? since.hash;
  if (file.hash !== expected) {
    throw new ConnectorError('invalid-watermark', `${settings.filePath} was changed by something other than this connector; run a full import`);
  }

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
