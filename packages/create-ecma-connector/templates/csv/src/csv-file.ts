import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ConnectorError } from '@ecmahost/sdk';

/** A CSV file as read: the header row, the data rows with their line numbers, and the raw text. */
export interface CsvContent {
  header: string[];
  rows: CsvRow[];
  /** The file's text, for the change check of delta import. */
  text: string;
  /** Whether lines end with CRLF, so a rewrite keeps the file's style. */
  crlf: boolean;
}

/** One data row: its cells, and the line it starts on (for error messages). */
export interface CsvRow {
  cells: string[];
  line: number;
}

// What csv-parse returns per record with `info: true` (its types do not follow that option).
interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads and parses a CSV file. Throws `ConnectorError`: `connection-failed` when the file cannot be
 * read, `invalid-configuration` when it has no header row or is not valid CSV (naming the line).
 */
export async function readCsvFile(filePath: string, delimiter: string): Promise<CsvContent> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw new ConnectorError('connection-failed', `Cannot read ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  let records: CsvRecord[];
  try {
    // relax_column_count: a row with too few or too many cells is reported on its own by import
    // and written back untouched by export, instead of making the whole file unreadable.
    records = parse(text, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as CsvRecord[];
  } catch (error) {
    throw new ConnectorError('invalid-configuration', `${filePath} is not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  const [first, ...rest] = records;
  if (!first) throw new ConnectorError('invalid-configuration', `${filePath} is empty; its first row must name the columns`);
  return {
    header: first.record,
    rows: rest.map(({ record, info }) => ({ cells: record, line: info.lines })),
    text,
    crlf: text.includes('\r\n'),
  };
}

/**
 * Replaces the file with `header` and `rows`, atomically: the new content is written beside it and
 * renamed over it, so a reader never sees half a file and a crash leaves the old one. Returns the text written.
 */
export async function writeCsvFile(filePath: string, header: readonly string[], rows: readonly (readonly string[])[], delimiter: string, crlf: boolean): Promise<string> {
  const text = stringify([header, ...rows], { delimiter, record_delimiter: crlf ? 'windows' : 'unix' });
  const temporary = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ConnectorError('connection-failed', `Cannot write ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  return text;
}
