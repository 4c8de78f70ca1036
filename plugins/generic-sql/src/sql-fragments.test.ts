import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { keysetAfter, rowsIn } from './sql-fragments.js';

const pg = new PgDialect();
const asIs = { toDriver: (value: unknown) => value };
const render = (query: Parameters<PgDialect['sqlToQuery']>[0]) => {
  const { sql, params } = pg.sqlToQuery(query);
  return { sql, params };
};

describe('keysetAfter', () => {
  it('compares one anchor column directly', () => {
    expect(render(keysetAfter(asIs, ['Login'], ['m']))).toEqual({ sql: '"Login" > $1', params: ['m'] });
  });

  it('spells out a composite anchor in order, without row values', () => {
    expect(render(keysetAfter(asIs, ['Tenant', 'Login'], ['a', 'm']))).toEqual({
      sql: '(("Tenant" > $1) OR ("Tenant" = $2 AND "Login" > $3))',
      params: ['a', 'a', 'm'],
    });
  });
});

describe('rowsIn', () => {
  it('uses IN for one column and OR of equalities for several, every value bound', () => {
    expect(render(rowsIn(asIs, ['Login'], [['a'], ["b'--"]]))).toEqual({ sql: '"Login" IN ($1, $2)', params: ['a', "b'--"] });
    expect(render(rowsIn(asIs, ['T', 'L'], [['a', '1'], ['b', '2']]))).toEqual({
      sql: '(("T" = $1 AND "L" = $2) OR ("T" = $3 AND "L" = $4))',
      params: ['a', '1', 'b', '2'],
    });
  });
});
