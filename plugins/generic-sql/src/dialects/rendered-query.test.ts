import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { queryRenderer } from './rendered-query.js';

/** drizzle's PostgreSQL dialect, counting how often it renders. */
function countingDialect(): { dialect: PgDialect; renders: () => number } {
  const dialect = new PgDialect();
  let count = 0;
  const original = dialect.sqlToQuery.bind(dialect);
  dialect.sqlToQuery = (query: SQL) => {
    count += 1;
    return original(query);
  };
  return { dialect, renders: () => count };
}

describe('queryRenderer', () => {
  it('renders a reusable statement once and binds each run its own values', () => {
    const { dialect, renders } = countingDialect();
    const render = queryRenderer(dialect);
    const update = sql`UPDATE ${sql.identifier('Users')} SET ${sql.identifier('Title')} = ${sql.placeholder('0')} WHERE ${sql.identifier('Login')} = ${sql.placeholder('1')}`;
    expect(render(update, { 0: 'Boss', 1: 'ann' })).toEqual({ text: 'UPDATE "Users" SET "Title" = $1 WHERE "Login" = $2', params: ['Boss', 'ann'] });
    expect(render(update, { 0: null, 1: 'bob' })).toEqual({ text: 'UPDATE "Users" SET "Title" = $1 WHERE "Login" = $2', params: [null, 'bob'] });
    expect(renders()).toBe(1);
  });

  it('renders a one-off statement each time, its values bound as parameters', () => {
    const { dialect, renders } = countingDialect();
    const render = queryRenderer(dialect);
    const select = sql`SELECT 1 FROM ${sql.identifier('Users')} WHERE ${sql.identifier('Login')} = ${'ann'}`;
    expect(render(select)).toEqual({ text: 'SELECT 1 FROM "Users" WHERE "Login" = $1', params: ['ann'] });
    render(select);
    expect(renders()).toBe(2);
  });

  it('refuses a run that leaves a placeholder without a value', () => {
    const render = queryRenderer(new PgDialect());
    expect(() => render(sql`DELETE FROM ${sql.identifier('Users')} WHERE ${sql.identifier('Login')} = ${sql.placeholder('0')}`, {})).toThrow(/No value for placeholder "0"/);
  });
});
