import { sql, type SQL } from 'drizzle-orm';
import type { TableName } from './dialects/dialect.js';

/**
 * Reads `schema.table` (or `table`) as an admin typed it. Each part is later quoted by drizzle, so
 * a name is only ever an identifier, whatever characters it holds.
 */
export function parseTableName(text: string): TableName {
  const trimmed = text.trim();
  const dot = trimmed.indexOf('.');
  if (dot <= 0) return { name: unquote(trimmed) };
  return { schema: unquote(trimmed.slice(0, dot)), name: unquote(trimmed.slice(dot + 1)) };
}

function unquote(part: string): string {
  const p = part.trim();
  const quoted = /^(["`[])(.*)(["`\]])$/.exec(p);
  return quoted ? (quoted[2] ?? p) : p;
}

/** A table name as a quoted, possibly schema-qualified identifier. */
export function tableSql(table: TableName): SQL {
  return table.schema === undefined ? sql`${sql.identifier(table.name)}` : sql`${sql.identifier(table.schema)}.${sql.identifier(table.name)}`;
}

/** A column name as a quoted identifier. */
export function columnSql(column: string): SQL {
  return sql`${sql.identifier(column)}`;
}

/** Splits a comma-separated list, dropping blanks. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Readable `schema.table` for messages. */
export function tableLabel(table: TableName): string {
  return table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
}
