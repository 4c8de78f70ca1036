import { describe, expect, it } from 'vitest';
import { parseTableName } from './identifiers.js';

describe('parseTableName', () => {
  it('reads a table, or a schema and a table, unquoted and trimmed', () => {
    expect(parseTableName(' Employees ')).toEqual({ name: 'Employees' });
    expect(parseTableName('dbo.Employees')).toEqual({ schema: 'dbo', name: 'Employees' });
    expect(parseTableName('[dbo].[Employees]')).toEqual({ schema: 'dbo', name: 'Employees' });
  });

  it('keeps what a quoted part holds: dots, line breaks, edge spaces, the closing quote doubled', () => {
    expect(parseTableName('"my.table"')).toEqual({ name: 'my.table' });
    expect(parseTableName('"\n]"')).toEqual({ name: '\n]' });
    expect(parseTableName('"a""b"')).toEqual({ name: 'a"b' });
    expect(parseTableName('`a``b`.` x `')).toEqual({ schema: 'a`b', name: ' x ' });
    expect(parseTableName('[a]]b].["]')).toEqual({ schema: 'a]b', name: '"' });
    // An unquoted part keeps quote characters that do not open it.
    expect(parseTableName('it"s')).toEqual({ name: 'it"s' });
  });

  it('refuses an unclosed quote, an empty part, text after a quoted part and three parts', () => {
    expect(() => parseTableName('"abc')).toThrow('never closes it with "');
    expect(() => parseTableName('"abc]')).toThrow('never closes it with "');
    expect(() => parseTableName('a.')).toThrow('empty name part');
    expect(() => parseTableName('""')).toThrow('empty name part');
    expect(() => parseTableName('"a"b"')).toThrow('text after the quoted name');
    expect(() => parseTableName('db.dbo.Employees')).toThrow('more than two dot-separated parts');
  });
});
