import type { AttributeType, AttributeValue } from '@ecmahost/sdk';

/**
 * A value read from the database as the attribute type says, or `undefined` for NULL and values
 * that cannot be read so (the caller reports those).
 */
export function fromDatabase(raw: unknown, type: AttributeType): AttributeValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  switch (type) {
    case 'string':
    case 'reference':
      if (raw instanceof Uint8Array) return Buffer.from(raw).toString('utf8');
      if (raw instanceof Date) return raw.toISOString();
      return String(raw);
    case 'integer': {
      const n = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'number' ? raw : Number(String(raw));
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'number' || typeof raw === 'bigint') return Number(raw) !== 0;
      if (raw instanceof Uint8Array) return raw.some((b) => b !== 0);
      return /^(1|t|true|y|yes)$/i.test(String(raw).trim());
    case 'binary':
      if (raw instanceof Uint8Array) return raw;
      return Buffer.from(String(raw), 'utf8');
    case 'datetime':
      return toIsoUtc(raw);
  }
}

/**
 * A database date/time as ISO 8601 in UTC. Text without a zone (MySQL DATETIME, SQLite, PostgreSQL
 * `timestamp`) is UTC: sessions run in UTC and ECMA2 stores UTC.
 */
export function toIsoUtc(raw: unknown): string | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.toISOString();
  const text = String(raw).trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text);
  if (!m) {
    const parsed = new Date(text);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
  }
  const time = m[2] ?? '00:00:00';
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{2}$/.test(zone)) zone = `${zone}:00`;
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  // JavaScript dates keep milliseconds; more digits (PostgreSQL, MySQL(6)) are cut, not rounded.
  const trimmed = time.replace(/(\.\d{3})\d+$/, '$1');
  const parsed = new Date(`${m[1]}T${trimmed}${zone}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** Why a value cannot be written as `type`, or `undefined` when it can. */
export function valueProblem(value: AttributeValue, type: AttributeType): string | undefined {
  switch (type) {
    case 'string':
    case 'reference':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : 'must be a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'binary':
      return value instanceof Uint8Array ? undefined : 'must be binary';
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO 8601 date and time';
  }
}
