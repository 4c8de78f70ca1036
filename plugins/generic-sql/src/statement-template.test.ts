import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, splitStatements } from './statement-template.js';

const pg = new PgDialect();

describe('parseTemplate', () => {
  it('turns known @names into placeholders, case-insensitively, keeping the schema spelling', () => {
    const t = parseTemplate('INSERT INTO Employees (ContosoLogin, FirstName) VALUES (@contosologin, @FirstName)', ['ContosoLogin', 'FirstName']);
    expect(t.placeholders).toEqual(['ContosoLogin', 'FirstName']);
    expect(t.pieces).toEqual([
      { text: 'INSERT INTO Employees (ContosoLogin, FirstName) VALUES (' },
      { placeholder: 'ContosoLogin' },
      { text: ', ' },
      { placeholder: 'FirstName' },
      { text: ')' },
    ]);
  });

  it('leaves @names in quotes and comments, unknown @variables and @@system variables alone', () => {
    const t = parseTemplate("SELECT '@A', \"@A\", `@A` -- @A\n/* @A */ @B, @@A, @A", ['A']);
    expect(t.pieces.filter((p) => 'placeholder' in p)).toEqual([{ placeholder: 'A' }]);
    expect(t.pieces[0]).toEqual({ text: "SELECT '@A', \"@A\", `@A` -- @A\n/* @A */ @B, @@A, " });
  });

  it('handles doubled and backslash-escaped quotes inside strings', () => {
    const t = parseTemplate("SELECT 'it''s @A', 'x\\'@A' , @A", ['A']);
    expect(t.pieces.filter((p) => 'placeholder' in p)).toHaveLength(1);
  });
});

describe('renderTemplate', () => {
  it('binds each placeholder as a parameter, never as text', () => {
    const hostile = "x'); DROP TABLE Employees; --";
    const t = parseTemplate('UPDATE Employees SET FirstName = @FirstName WHERE ContosoLogin = @ContosoLogin', ['FirstName', 'ContosoLogin']);
    const query = pg.sqlToQuery(renderTemplate(t, (name) => (name === 'FirstName' ? hostile : undefined)));
    expect(query.sql).toBe('UPDATE Employees SET FirstName = $1 WHERE ContosoLogin = $2');
    expect(query.params).toEqual([hostile, null]);
  });

  it('renders a template without placeholders as written', () => {
    expect(pg.sqlToQuery(renderTemplate(parseTemplate('SELECT 1', []), () => undefined)).sql).toBe('SELECT 1');
    expect(pg.sqlToQuery(sql`${renderTemplate(parseTemplate('', []), () => undefined)}`).sql).toBe('');
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    expect(splitStatements("INSERT INTO t VALUES ('a;b'); -- c;d\nDELETE FROM t /* ; */ WHERE x = 1;  ")).toEqual([
      "INSERT INTO t VALUES ('a;b')",
      '-- c;d\nDELETE FROM t /* ; */ WHERE x = 1',
    ]);
  });
});
