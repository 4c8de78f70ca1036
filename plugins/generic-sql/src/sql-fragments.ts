import type { AnchorValues } from '@ecmahost/sdk';
import { sql, type SQL } from 'drizzle-orm';
import type { Dialect, Executor, Row } from './dialects/dialect.js';
import { columnSql } from './identifiers.js';
import type { ObjectModel } from './object-model.js';

/** A value as a bound parameter, as an `sql` fragment: the only way a value enters a statement. */
export function bind(value: unknown): SQL {
  return sql`${sql.param(value)}`;
}

/** `a = ? AND b = ?` for an object's anchor, plus the object-type column when there is one. */
export function objectCondition(dialect: Dialect, model: ObjectModel, anchor: AnchorValues): SQL {
  const parts = model.anchors.map((a) => sql`${columnSql(a)} = ${bind(dialect.toDriver(anchor[a]))}`);
  if (model.typeColumn) parts.push(sql`${columnSql(model.typeColumn.column)} = ${bind(model.typeColumn.value)}`);
  return sql.join(parts, sql` AND `);
}

/** The object-type condition alone, or `undefined` when the table holds one type. */
export function typeCondition(model: ObjectModel): SQL | undefined {
  return model.typeColumn ? sql`${columnSql(model.typeColumn.column)} = ${bind(model.typeColumn.value)}` : undefined;
}

/**
 * Rows after `last` in the order of `columns`: `a > ?` for one column,
 * `a > ? OR (a = ? AND b > ?)` for several. Spelled out rather than as a row-value comparison
 * (`(a, b) > (?, ?)`), which SQL Server lacks.
 */
export function keysetAfter(dialect: Pick<Dialect, 'toDriver'>, columns: readonly string[], last: readonly unknown[]): SQL {
  const branches = columns.map((column, i) => {
    const equal = columns.slice(0, i).map((c, j) => sql`${columnSql(c)} = ${bind(dialect.toDriver(last[j]))}`);
    return sql.join([...equal, sql`${columnSql(column)} > ${bind(dialect.toDriver(last[i]))}`], sql` AND `);
  });
  return branches.length === 1 ? (branches[0] as SQL) : sql`(${sql.join(branches.map((b) => sql`(${b})`), sql` OR `)})`;
}

/** `a IN (?, ?)` for one column; `((a = ? AND b = ?) OR …)` for several (no row values, as above). */
export function rowsIn(dialect: Pick<Dialect, 'toDriver'>, columns: readonly string[], rows: readonly (readonly unknown[])[]): SQL {
  if (columns.length === 1) {
    const [column] = columns as [string];
    return sql`${columnSql(column)} IN (${sql.join(rows.map((r) => bind(dialect.toDriver(r[0]))), sql`, `)})`;
  }
  const matches = rows.map((r) => sql`(${sql.join(columns.map((c, i) => sql`${columnSql(c)} = ${bind(dialect.toDriver(r[i]))}`), sql` AND `)})`);
  return sql`(${sql.join(matches, sql` OR `)})`;
}

/** Parameters left free for the rest of a statement around a key list (a type condition and the like). */
const SPARE_PARAMETERS = 16;

/**
 * The rows `statement` reads for `keys`, in as few statements as the dialect's parameter limit
 * allows: SQL Server takes 2,100 parameters per request, fewer than the keys of one default import
 * page (5,000), and refuses the whole statement beyond.
 */
export async function allByKeys(
  db: Executor,
  dialect: Pick<Dialect, 'toDriver' | 'maxParameters'>,
  columns: readonly string[],
  keys: readonly (readonly unknown[])[],
  statement: (condition: SQL) => SQL,
): Promise<Row[]> {
  const limit = dialect.maxParameters;
  const perStatement = limit === undefined ? keys.length : Math.max(1, Math.floor((limit - SPARE_PARAMETERS) / Math.max(1, columns.length)));
  if (keys.length <= perStatement) return db.all(statement(rowsIn(dialect, columns, keys)));
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += perStatement) rows.push(...(await db.all(statement(rowsIn(dialect, columns, keys.slice(i, i + perStatement))))));
  return rows;
}

/** Joins conditions with AND; `undefined` ones are left out. */
export function and(...conditions: (SQL | undefined)[]): SQL | undefined {
  const present = conditions.filter((c): c is SQL => c !== undefined);
  return present.length === 0 ? undefined : sql.join(present, sql` AND `);
}

/** `WHERE …` or nothing. */
export function where(condition: SQL | undefined): SQL {
  return condition === undefined ? sql`` : sql` WHERE ${condition}`;
}
