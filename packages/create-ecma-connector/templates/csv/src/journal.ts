import { appendFile, readFile } from 'node:fs/promises';
import { ConnectorError } from '@ecmahost/sdk';

/** What happened to one user, as export records it for delta import. */
export type JournalOperation = 'add' | 'update' | 'delete';

/** One line of the change journal. */
export interface JournalEntry {
  /** Increases by one per entry, from 1. */
  sequence: number;
  operation: JournalOperation;
  /** The anchor cell of the user, as written in the CSV file. */
  anchor: string;
  /** The hash of the CSV file's text right after this change was written. */
  hash: string;
}

/** The journal as read: its entries and the last sequence number (0 when empty). */
export interface Journal {
  entries: JournalEntry[];
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

function isEntry(value: unknown): value is JournalEntry {
  const e = value as Partial<JournalEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    Number.isSafeInteger(e.sequence) &&
    (e.operation === 'add' || e.operation === 'update' || e.operation === 'delete') &&
    typeof e.anchor === 'string' &&
    typeof e.hash === 'string'
  );
}

/**
 * Reads the journal of a CSV file; a missing journal is an empty one. A line that is not a journal
 * entry throws `ConnectorError('invalid-watermark')`: the host then runs a full import, which does
 * not need the journal.
 */
export async function readJournal(filePath: string): Promise<Journal> {
  let text: string;
  try {
    text = await readFile(journalPath(filePath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], last: 0 };
    throw new ConnectorError('connection-failed', `Cannot read ${journalPath(filePath)}: ${(error as Error).message}`, { cause: error });
  }
  const entries: JournalEntry[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (!isEntry(parsed)) {
      throw new ConnectorError(
        'invalid-watermark',
        `${journalPath(filePath)} line ${String(index + 1)} is not a journal entry; delete the journal and run a full import`,
      );
    }
    entries.push(parsed);
  }
  return { entries, last: entries.at(-1)?.sequence ?? 0 };
}

/** Appends one entry per change, all with the file's hash after the batch that made them. */
export async function appendJournal(filePath: string, changes: readonly { operation: JournalOperation; anchor: string }[], hash: string): Promise<void> {
  if (changes.length === 0) return;
  const { last } = await readJournal(filePath);
  const lines = changes.map((change, i) => `${JSON.stringify({ sequence: last + i + 1, ...change, hash })}\n`);
  await appendFile(journalPath(filePath), lines.join(''), 'utf8');
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
