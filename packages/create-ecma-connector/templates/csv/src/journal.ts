import { appendFile, readFile } from 'node:fs/promises';
import { ConnectorError } from '@ecmahost/sdk';

/** What happened to one user, as export records it for delta import. */
export type JournalOperation = 'add' | 'update' | 'delete';

/** One change to one user. */
export interface JournalChange {
  operation: JournalOperation;
  /** The anchor cell of the user, as written in the CSV file. */
  anchor: string;
}

/**
 * One line of the change journal: the changes one write made, and the file's hash before and after
 * it. Each line's `previous` is the line before's `hash`, unless something else wrote the file in between.
 */
export interface JournalBatch {
  /** Increases by one per line, from 1. */
  sequence: number;
  previous: string;
  hash: string;
  changes: JournalChange[];
}

/** The journal as read: its lines and the last sequence number (0 when empty). */
export interface Journal {
  batches: JournalBatch[];
  last: number;
}

/** The position a delta import starts from: a journal sequence and the file's hash at that point. */
export interface Watermark {
  sequence: number;
  hash: string;
}

/** The journal belongs beside the CSV file: `users.csv` → `users.csv.journal`. */
export function journalPath(filePath: string): string {
  return `${filePath}.journal`;
}

function isChange(value: unknown): value is JournalChange {
  const c = value as Partial<JournalChange> | null;
  return typeof c === 'object' && c !== null && (c.operation === 'add' || c.operation === 'update' || c.operation === 'delete') && typeof c.anchor === 'string';
}

function isBatch(value: unknown): value is JournalBatch {
  const b = value as Partial<JournalBatch> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    Number.isSafeInteger(b.sequence) &&
    typeof b.previous === 'string' &&
    typeof b.hash === 'string' &&
    Array.isArray(b.changes) &&
    b.changes.every(isChange)
  );
}

/**
 * Reads the journal of a CSV file; a missing journal is an empty one. A line that is not a journal
 * line throws `ConnectorError('invalid-watermark')`: the host then runs a full import, which does
 * not need the journal.
 */
export async function readJournal(filePath: string): Promise<Journal> {
  let text: string;
  try {
    text = await readFile(journalPath(filePath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { batches: [], last: 0 };
    throw new ConnectorError('connection-failed', `Cannot read ${journalPath(filePath)}: ${(error as Error).message}`, { cause: error });
  }
  const batches: JournalBatch[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (!isBatch(parsed)) {
      throw new ConnectorError(
        'invalid-watermark',
        `${journalPath(filePath)} line ${String(index + 1)} is not a journal entry; delete the journal and run a full import`,
      );
    }
    batches.push(parsed);
  }
  return { batches, last: batches.at(-1)?.sequence ?? 0 };
}

/** Records one write of the file: its changes, and the file's hash before and after. */
export async function appendJournal(filePath: string, changes: readonly JournalChange[], previous: string, hash: string): Promise<void> {
  if (changes.length === 0) return;
  const { last } = await readJournal(filePath);
  const batch: JournalBatch = { sequence: last + 1, previous, hash, changes: [...changes] };
  await appendFile(journalPath(filePath), `${JSON.stringify(batch)}\n`, 'utf8');
}

/**
 * The changes made since `since`, in order, when the journal accounts for every write of the file
 * since then: each line must start from the hash the line before (or the watermark) ended with, and
 * the last must end with the file's current hash. Otherwise something else wrote the file (a person,
 * a script, a restored backup) or the journal was reset, and this throws
 * `ConnectorError('invalid-watermark')` so the host runs a full import.
 */
export function changesSince(journal: Journal, since: Watermark, currentHash: string, filePath: string): JournalChange[] {
  if (since.sequence > journal.last) {
    throw new ConnectorError('invalid-watermark', `The journal of ${filePath} was reset since the last import; run a full import`);
  }
  const changedElsewhere = () =>
    new ConnectorError('invalid-watermark', `${filePath} was changed by something other than this connector; run a full import`);
  const batches = journal.batches.filter((b) => b.sequence > since.sequence);
  let hash = since.hash;
  for (const batch of batches) {
    if (batch.previous !== hash) throw changedElsewhere();
    hash = batch.hash;
  }
  if (hash !== currentHash) throw changedElsewhere();
  return batches.flatMap((b) => b.changes);
}

/** The watermark as the opaque string the host stores. */
export function formatWatermark(watermark: Watermark): string {
  return `${String(watermark.sequence)}:${watermark.hash}`;
}

/** Parses a watermark; throws `ConnectorError('invalid-watermark')` when it is not one of ours. */
export function parseWatermark(text: string | undefined): Watermark {
  const match = text === undefined ? null : /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match?.[1] || !match[2]) throw new ConnectorError('invalid-watermark', 'Delta import needs the watermark of an earlier import; run a full import');
  return { sequence: Number(match[1]), hash: match[2] };
}
