/**
 * The driver form of a value for databases without a boolean type (MySQL, SQLite): booleans as
 * 1/0, binary as a Node Buffer (what both drivers bind as a blob).
 */
export function toDriverCompact(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

/** ISO 8601 (UTC) as `YYYY-MM-DD HH:MM:SS.fff`, the form MySQL DATETIME and SQLite's date functions read. */
export function sqlDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
