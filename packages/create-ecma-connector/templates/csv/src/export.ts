import type { AttributeValue, CSEntryChange, EntryError, ExportEntryResult, ExportSession } from '@ecmahost/sdk';
import { applyAttributeChanges, toValueArray, valuesEqual } from '@ecmahost/sdk';
import { ColumnValueError } from './columns.js';
// #if delta
import { appendJournal } from './journal.js';
// #endif
import type { Settings } from './settings.js';
import { OBJECT_TYPE } from './settings.js';
import { UsersFile } from './users-file.js';

/** What a successful entry did to the file, by the anchor cell of the user. */
interface Change {
  operation: 'add' | 'update' | 'delete';
  anchor: string;
}

/** The outcome of one entry: its result and, when it succeeded, its change. */
interface Outcome {
  result: ExportEntryResult;
  change?: Change;
}

function failure(entry: CSEntryChange, error: EntryError): Outcome {
  return { result: { identifier: entry.identifier, error } };
}

// The anchor of an entry: from `anchor`, or on add from the anchor attribute's value.
function anchorValue(file: UsersFile, entry: CSEntryChange, values: Readonly<Record<string, readonly AttributeValue[]>>): AttributeValue | undefined {
  return entry.anchor[file.settings.anchor] ?? values[file.settings.anchor]?.[0];
}

function applyEntry(file: UsersFile, entry: CSEntryChange): Outcome {
  if (entry.objectType !== OBJECT_TYPE) {
    return failure(entry, { code: 'invalid-provisioning-value', message: `This connector holds ${OBJECT_TYPE} objects, not ${entry.objectType}` });
  }
  const anchorName = file.settings.anchor;
  const given = applyAttributeChanges({}, entry.attributeChanges, valuesEqual);
  const anchor = anchorValue(file, entry, given);
  if (anchor === undefined) {
    return failure(entry, { code: 'syntax-violation', message: `${anchorName} is required`, attribute: anchorName });
  }
  const cell = file.anchorCell(anchor);
  const index = file.indexOf(cell);
  const row = file.rows[index];
  const success = (operation: Change['operation']): Outcome => ({
    result: { identifier: entry.identifier, ...(entry.modification === 'add' ? { anchor: { [anchorName]: anchor } } : {}) },
    change: { operation, anchor: cell },
  });

  switch (entry.modification) {
    case 'add': {
      if (row) return failure(entry, { code: 'existing-object', message: `A user with ${anchorName} "${cell}" already exists` });
      const values = { ...given, [anchorName]: [anchor] };
      file.rows.push({ cells: file.cellsFor(values), line: 0 });
      return success('add');
    }
    case 'replace':
    case 'update': {
      if (!row) return failure(entry, { code: 'missing-object', message: `No user with ${anchorName} "${cell}"` });
      const next = entry.modification === 'replace' ? given : applyAttributeChanges(file.valuesOf(row.cells), entry.attributeChanges, valuesEqual);
      const nextAnchor = toValueArray(next[anchorName]);
      if (nextAnchor.length > 0 && (nextAnchor.length !== 1 || !valuesEqual(nextAnchor[0] as AttributeValue, anchor))) {
        return failure(entry, { code: 'syntax-violation', message: `${anchorName} identifies a user for life and cannot change`, attribute: anchorName });
      }
      row.cells = file.cellsFor({ ...next, [anchorName]: [anchor] }, row.cells);
      return success('update');
    }
    case 'delete': {
      if (!row) return failure(entry, { code: 'missing-object', message: `No user with ${anchorName} "${cell}"` });
      file.rows.splice(index, 1);
      return success('delete');
    }
  }
}

/**
 * Opens an export run. Each batch reads the file, applies every entry in order (each gets its own
 * result: `existing-object` for an add of a user that exists, `missing-object` for an update or
 * delete of one that does not, `syntax-violation` for a value that does not fit its column) and
 * writes the file once.
 */
export async function openExport(settings: Settings): Promise<ExportSession> {
  return {
    async putEntries(batch) {
      const file = await UsersFile.load(settings);
      // #if delta
      const previous = file.hash;
      // #endif
      const outcomes = batch.map((entry) => {
        try {
          return applyEntry(file, entry);
        } catch (error) {
          if (!(error instanceof ColumnValueError)) throw error;
          return failure(entry, { code: 'syntax-violation', message: error.message, attribute: error.attribute });
        }
      });
      const changes = outcomes.flatMap((o) => (o.change ? [o.change] : []));
      if (changes.length > 0) {
        await file.save();
        // #if delta
        await appendJournal(settings.filePath, changes, previous, file.hash);
        // #endif
      }
      return outcomes.map((o) => o.result);
    },
    async close() {},
  };
}
