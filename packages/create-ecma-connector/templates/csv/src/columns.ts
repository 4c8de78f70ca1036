import type { AttributeDefinition, AttributeValue } from '@ecmahost/sdk';
import { ConnectorError, isValueOfType } from '@ecmahost/sdk';

/** The value types a column can declare in the header row. */
export type ColumnType = 'string' | 'integer' | 'boolean' | 'datetime';

/** One column, as its header cell declares it: `Name`, `Name:integer`, `Name[]`, `Name:datetime[]`. */
export interface Column {
  /** The attribute name: the header cell without its type and `[]`. */
  name: string;
  type: ColumnType;
  /** Declared with `[]`: the cell holds several values joined by the multi-value separator. */
  multiValued: boolean;
}

/** A value that does not fit its column; export reports it as a `syntax-violation` of `attribute`. */
export class ColumnValueError extends Error {
  readonly attribute: string;

  constructor(attribute: string, message: string) {
    super(message);
    this.name = 'ColumnValueError';
    this.attribute = attribute;
  }
}

const HEADER_CELL = /^([A-Za-z_][\w.-]*)(?::(string|integer|boolean|datetime))?(\[\])?$/;

/**
 * Parses the header row. Throws `ConnectorError('invalid-configuration')` naming the first cell
 * that is not a column declaration, or a name used twice.
 */
export function parseHeader(cells: readonly string[]): Column[] {
  const columns: Column[] = [];
  for (const [index, raw] of cells.entries()) {
    const match = HEADER_CELL.exec(raw.trim());
    if (!match?.[1]) {
      throw new ConnectorError(
        'invalid-configuration',
        `Header column ${String(index + 1)} "${raw}" is not a column name; write Name, Name:integer, Name:boolean, Name:datetime, or add [] for several values`,
      );
    }
    const name = match[1];
    if (columns.some((c) => c.name === name)) throw new ConnectorError('invalid-configuration', `The header names column "${name}" twice`);
    columns.push({ name, type: (match[2] ?? 'string') as ColumnType, multiValued: match[3] !== undefined });
  }
  return columns;
}

/** The schema attribute a column stands for. */
export function toAttribute(column: Column, anchor: string): AttributeDefinition {
  return { name: column.name, type: column.type, multiValued: column.multiValued, ...(column.name === anchor ? { required: true } : {}) };
}

function parseValue(column: Column, text: string): AttributeValue {
  switch (column.type) {
    case 'string':
      return text;
    case 'integer': {
      const n = Number(text);
      if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new ColumnValueError(column.name, `${column.name}: "${text}" is not a whole number`);
      return n;
    }
    case 'boolean':
      if (/^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
      throw new ColumnValueError(column.name, `${column.name}: "${text}" is neither true nor false`);
    case 'datetime': {
      const time = Date.parse(text);
      if (Number.isNaN(time)) throw new ColumnValueError(column.name, `${column.name}: "${text}" is not a date`);
      // The SDK's datetime values are ISO 8601 in UTC, whatever the file's author typed.
      return new Date(time).toISOString();
    }
  }
}

/** The values of one cell; an empty cell has none. Throws {@link ColumnValueError} for a value that does not fit. */
export function parseCell(column: Column, cell: string, separator: string): AttributeValue[] {
  if (cell === '') return [];
  const parts = column.multiValued ? cell.split(separator).filter((part) => part !== '') : [cell];
  return parts.map((part) => parseValue(column, part));
}

/** Writes values into one cell. Throws {@link ColumnValueError} for a value of the wrong type or one a cell cannot hold. */
export function formatCell(column: Column, values: readonly AttributeValue[], separator: string): string {
  if (!column.multiValued && values.length > 1) {
    throw new ColumnValueError(column.name, `${column.name} holds one value, got ${String(values.length)}`);
  }
  const texts = values.map((value) => {
    if (!isValueOfType(value, column.type)) throw new ColumnValueError(column.name, `${column.name}: ${JSON.stringify(value)} is not of type ${column.type}`);
    const text = column.type === 'datetime' ? new Date(value as string).toISOString() : String(value);
    if (text === '') throw new ColumnValueError(column.name, `${column.name}: an empty string cannot be stored; leave the value out instead`);
    if (column.multiValued && text.includes(separator)) {
      throw new ColumnValueError(column.name, `${column.name}: "${text}" contains the multi-value separator "${separator}"`);
    }
    return text;
  });
  return texts.join(separator);
}
