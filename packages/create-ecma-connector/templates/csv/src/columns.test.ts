import { describe, expect, it } from 'vitest';
import { ColumnValueError, formatCell, parseCell, parseHeader } from './columns.js';

describe('parseHeader', () => {
  it('reads names, types and multi-valued markers', () => {
    expect(parseHeader(['UserName', 'EmployeeId:integer', 'Email[]', 'Active:boolean', 'Seen:datetime[]'])).toEqual([
      { name: 'UserName', type: 'string', multiValued: false },
      { name: 'EmployeeId', type: 'integer', multiValued: false },
      { name: 'Email', type: 'string', multiValued: true },
      { name: 'Active', type: 'boolean', multiValued: false },
      { name: 'Seen', type: 'datetime', multiValued: true },
    ]);
  });

  it('refuses an unknown type and a name used twice, naming the column', () => {
    expect(() => parseHeader(['UserName', 'Age:number'])).toThrow(/column 2 "Age:number"/);
    expect(() => parseHeader(['Mail', 'Mail[]'])).toThrow(/"Mail" twice/);
  });
});

describe('cells', () => {
  const [email, id, active, hired] = parseHeader(['Email[]', 'Id:integer', 'Active:boolean', 'Hired:datetime']);

  it('round-trips every type', () => {
    expect(parseCell(email!, formatCell(email!, ['a@contoso.com', 'b@contoso.com'], ';'), ';')).toEqual(['a@contoso.com', 'b@contoso.com']);
    expect(parseCell(id!, formatCell(id!, [42], ';'), ';')).toEqual([42]);
    expect(parseCell(active!, formatCell(active!, [false], ';'), ';')).toEqual([false]);
    expect(parseCell(hired!, '2024-01-02', ';')).toEqual(['2024-01-02T00:00:00.000Z']);
    expect(parseCell(email!, '', ';')).toEqual([]);
  });

  it('refuses values that do not fit, naming the attribute', () => {
    expect(() => parseCell(id!, '12abc', ';')).toThrow(ColumnValueError);
    expect(() => formatCell(id!, ['12'], ';')).toThrow(/Id: "12" is not of type integer/);
    expect(() => formatCell(email!, ['a;b@contoso.com'], ';')).toThrow(/multi-value separator/);
    expect(() => formatCell(active!, [true, false], ';')).toThrow(/holds one value/);
  });
});
