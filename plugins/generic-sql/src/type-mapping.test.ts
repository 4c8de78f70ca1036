import { describe, expect, it } from 'vitest';
import { attributeTypeOf } from './type-mapping.js';

describe('attributeTypeOf', () => {
  it.each([
    ['character varying', 'string'],
    ['text', 'string'],
    ['uuid', 'string'],
    ["enum('a','b')", 'string'],
    ['numeric', 'string'],
    ['integer', 'integer'],
    ['bigint', 'integer'],
    ['int(11)', 'integer'],
    ['smallint unsigned', 'integer'],
    ['INTEGER', 'integer'],
    ['unsigned big int', 'integer'],
    ['boolean', 'boolean'],
    ['tinyint(1)', 'boolean'],
    ['BOOLEAN', 'boolean'],
    ['tinyint(4)', 'integer'],
    ['bytea', 'binary'],
    ['BLOB', 'binary'],
    ['varbinary(16)', 'binary'],
    ['longblob', 'binary'],
    ['timestamp without time zone', 'datetime'],
    ['timestamp with time zone', 'datetime'],
    ['datetime(6)', 'datetime'],
    ['date', 'datetime'],
    ['DATETIME', 'datetime'],
    ['interval', 'string'],
    ['point', 'string'],
    // SQL Server, as its dialect reports them (bit as bit(1), timestamp as rowversion).
    ['nvarchar', 'string'],
    ['uniqueidentifier', 'string'],
    ['bit(1)', 'boolean'],
    ['datetime2', 'datetime'],
    ['datetimeoffset', 'datetime'],
    ['smalldatetime', 'datetime'],
    ['image', 'binary'],
    ['rowversion', 'binary'],
    ['money', 'string'],
  ] as const)('%s → %s', (dataType, type) => {
    expect(attributeTypeOf(dataType)).toBe(type);
  });
});
