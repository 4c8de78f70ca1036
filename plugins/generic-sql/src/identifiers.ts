import { sql, type SQL } from 'drizzle-orm';
import type { TableName } from './dialects/dialect.js';

/** The SQL quote pairs an admin may put around a part of a name: `"…"`, `` `…` `` and `[…]`. */
const CLOSING: Readonly<Record<string, string>> = { '"': '"', '`': '`', '[': ']' };

/**
 * Reads `schema.table` (or `table`) as an admin typed it. A part may be quoted as in SQL — `"…"`,
 * `` `…` `` or `[…]`, the closing character doubled inside it — so that it can hold dots, quotes,
 * spaces at its ends or line breaks; an unquoted part is taken as typed, trimmed. Each part is later
 * quoted by drizzle, so a name is only ever an identifier, whatever characters it holds.
 * Throws when the text is not one or two such parts (an unclosed quote, an empty part).
 */
export function parseTableName(text: string): TableName {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const part = readPart(text, at);
    parts.push(part.name);
    at = part.end;
    if (at >= text.length) break;
    at += 1; // the dot
  }
  if (parts.length > 2) throw new Error(`"${text}" has more than two dot-separated parts; quote a name that holds a dot ("my.table")`);
  const [first, second] = parts as [string, string?];
  return second === undefined ? { name: first } : { schema: first, name: second };
}

/** One part of a name from `start`: its text, and where the dot after it (or the end) is. */
function readPart(text: string, start: number): { name: string; end: number } {
  let at = start;
  while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
  const open = text.charAt(at);
  const close = CLOSING[open];
  if (close === undefined) {
    const dot = text.indexOf('.', at);
    const end = dot === -1 ? text.length : dot;
    const name = text.slice(at, end).trim();
    if (name === '') throw new Error(`"${text}" has an empty name part`);
    return { name, end };
  }
  let name = '';
  at += 1;
  for (;;) {
    const next = text.indexOf(close, at);
    if (next === -1) throw new Error(`"${text}" opens a quoted name with ${open} and never closes it with ${close}`);
    name += text.slice(at, next);
    at = next + 1;
    if (text.charAt(at) !== close) break;
    name += close; // doubled: one quote character inside the name
    at += 1;
  }
  while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
  if (at < text.length && text.charAt(at) !== '.') throw new Error(`"${text}" has text after the quoted name ${close === ']' ? '[…]' : `${close}…${close}`}; double ${close} to put one inside the name`);
  if (name === '') throw new Error(`"${text}" has an empty name part`);
  return { name, end: at };
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
