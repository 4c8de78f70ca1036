import type { AttributeType } from '@ecmahost/sdk';

/**
 * The attribute type of a column from the type name the database reports (information_schema
 * `data_type`/`column_type`, SQLite's declared type). Microsoft's Schema 4 page maps the same way
 * and leaves anything undetectable a string.
 */
export function attributeTypeOf(dataType: string): AttributeType {
  const t = dataType.trim().toLowerCase();
  if (t === 'tinyint(1)' || t === 'bit(1)' || t.startsWith('bool')) return 'boolean';
  // SQL Server: image, and rowversion (which its INFORMATION_SCHEMA calls timestamp; the dialect renames it).
  if (/^(bytea|(tiny|medium|long)?blob|(var)?binary|image|rowversion)/.test(t) || t === 'blob') return 'binary';
  if (/^(date|time|datetime|datetime2|datetimeoffset|smalldatetime|timestamp)\b/.test(t)) return 'datetime';
  // SQLite's affinity rule: a declared type containing INT is an integer.
  if (/^(smallint|integer|int|bigint|mediumint|tinyint|serial|bigserial|smallserial)\b/.test(t) || (t.includes('int') && !t.includes('interval') && !t.includes('point'))) {
    return 'integer';
  }
  return 'string';
}
