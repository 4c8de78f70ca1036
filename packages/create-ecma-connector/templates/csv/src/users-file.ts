import { createHash } from 'node:crypto';
import type { AnchorValues, AttributeValue, ImportEntry, Schema } from '@ecmahost/sdk';
import { ConnectorError, attributeChangesOf } from '@ecmahost/sdk';
import type { Column } from './columns.js';
import { ColumnValueError, formatCell, parseCell, parseHeader, toAttribute } from './columns.js';
import type { CsvRow } from './csv-file.js';
import { readCsvFile, writeCsvFile } from './csv-file.js';
import type { Settings } from './settings.js';
import { OBJECT_TYPE } from './settings.js';
// #if password
import { PASSWORD_COLUMN } from './settings.js';
// #endif

/** The SHA-256 of a file's text: what delta import compares to notice edits made by others. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The users in the CSV file, loaded whole: every import and export batch reads the file afresh, so
 * edits made by others between two runs are seen.
 */
export class UsersFile {
  readonly settings: Settings;
  readonly header: string[];
  readonly columns: Column[];
  /** The columns that are attributes (all but the password column). */
  readonly attributes: Column[];
  readonly rows: CsvRow[];
  /** The hash of the text the file had when loaded (or last saved). */
  hash: string;
  readonly #crlf: boolean;
  readonly #anchorIndex: number;

  private constructor(settings: Settings, header: string[], rows: CsvRow[], text: string, crlf: boolean) {
    this.settings = settings;
    this.header = header;
    this.columns = parseHeader(header);
    // #if password
    this.attributes = this.columns.filter((c) => c.name !== PASSWORD_COLUMN);
    // #endif
    // #if !password
    this.attributes = this.columns;
    // #endif
    this.rows = rows;
    this.hash = contentHash(text);
    this.#crlf = crlf;
    this.#anchorIndex = this.columns.findIndex((c) => c.name === settings.anchor);
    const anchor = this.columns[this.#anchorIndex];
    if (!anchor) {
      throw new ConnectorError('invalid-configuration', `${settings.filePath} has no column "${settings.anchor}" (AnchorColumn)`, { parameter: 'AnchorColumn' });
    }
    if (anchor.multiValued) {
      throw new ConnectorError('invalid-configuration', `The anchor column "${settings.anchor}" must hold one value (no [] in the header)`, {
        parameter: 'AnchorColumn',
      });
    }
  }

  /** Reads the file. Throws `ConnectorError` when it cannot be read or its header is unusable. */
  static async load(settings: Settings): Promise<UsersFile> {
    const content = await readCsvFile(settings.filePath, settings.delimiter);
    return new UsersFile(settings, content.header, content.rows, content.text, content.crlf);
  }

  /** The anchor column. */
  get anchorColumn(): Column {
    return this.columns[this.#anchorIndex] as Column;
  }

  /** The schema the file's header describes: one object type whose attributes are the columns. */
  schema(): Schema {
    return {
      objectTypes: [
        { name: OBJECT_TYPE, anchors: [this.settings.anchor], attributes: this.attributes.map((c) => toAttribute(c, this.settings.anchor)) },
      ],
    };
  }

  /** The anchor cell text of an anchor value, as it is written in the file. */
  anchorCell(value: AttributeValue): string {
    return formatCell(this.anchorColumn, [value], this.settings.separator);
  }

  /** The index of the row whose anchor cell is `cell`, or -1. */
  indexOf(cell: string): number {
    return this.rows.findIndex((row) => row.cells.length === this.columns.length && row.cells[this.#anchorIndex] === cell);
  }

  /** The anchor values of an anchor cell. Throws {@link ColumnValueError} when the cell does not fit the anchor column. */
  anchorFromCell(cell: string): AnchorValues {
    const [value] = parseCell(this.anchorColumn, cell, this.settings.separator);
    return value === undefined ? {} : { [this.settings.anchor]: value };
  }

  /** A row's attribute values by name. Throws {@link ColumnValueError} for a cell that does not fit its column. */
  valuesOf(cells: readonly string[]): Record<string, AttributeValue[]> {
    const values: Record<string, AttributeValue[]> = {};
    this.columns.forEach((column, index) => {
      if (!this.attributes.includes(column)) return;
      const parsed = parseCell(column, cells[index] ?? '', this.settings.separator);
      if (parsed.length > 0) values[column.name] = parsed;
    });
    return values;
  }

  /**
   * The cells of a row holding `values`. Cells of columns that are not attributes (the password
   * hash) are kept from `previous`. Throws {@link ColumnValueError} for an unknown attribute or a value that does not fit.
   */
  cellsFor(values: Readonly<Record<string, readonly AttributeValue[]>>, previous?: readonly string[]): string[] {
    for (const name of Object.keys(values)) {
      if (!this.attributes.some((c) => c.name === name)) throw new ColumnValueError(name, `${name} is not a column of ${this.settings.filePath}`);
    }
    return this.columns.map((column, index) =>
      this.attributes.includes(column) ? formatCell(column, values[column.name] ?? [], this.settings.separator) : (previous?.[index] ?? ''),
    );
  }

  /**
   * The import entry of a row: an `add` of the whole object, or an entry carrying an error when the
   * row cannot be read (wrong number of cells, a value that does not fit, no anchor, a duplicate anchor).
   */
  importEntry(row: CsvRow, seen: Set<string>): ImportEntry {
    const where = `${this.settings.filePath} line ${String(row.line)}`;
    const failed = (code: string, message: string): ImportEntry => ({
      objectType: OBJECT_TYPE,
      modification: 'add',
      anchor: { [this.settings.anchor]: row.cells[this.#anchorIndex] ?? '' },
      attributeChanges: [],
      error: { code, message: `${where}: ${message}` },
    });
    if (row.cells.length !== this.columns.length) {
      return failed('parse-error', `${String(row.cells.length)} cells where the header has ${String(this.columns.length)}`);
    }
    const anchorCell = row.cells[this.#anchorIndex] ?? '';
    if (anchorCell === '') return failed('missing-anchor', `${this.settings.anchor} is empty`);
    if (seen.has(anchorCell)) return failed('duplicate-anchor', `${this.settings.anchor} "${anchorCell}" is used by an earlier row`);
    seen.add(anchorCell);
    try {
      return { objectType: OBJECT_TYPE, modification: 'add', anchor: this.anchorFromCell(anchorCell), attributeChanges: attributeChangesOf(this.valuesOf(row.cells)) };
    } catch (error) {
      if (error instanceof ColumnValueError) return failed('invalid-attribute-value', error.message);
      throw error;
    }
  }

  /** Writes the rows back to the file (rows this connector could not read are written back untouched). */
  async save(): Promise<void> {
    const text = await writeCsvFile(
      this.settings.filePath,
      this.header,
      this.rows.map((r) => r.cells),
      this.settings.delimiter,
      this.#crlf,
    );
    this.hash = contentHash(text);
  }
}
