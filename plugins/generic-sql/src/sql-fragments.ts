import type { AnchorValues } from '@ecmahost/sdk';
import { sql, type SQL } from 'drizzle-orm';
import type { Dialect } from './dialects/dialect.js';
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

/** `(a, b)` — a row value of columns, or the bare column when there is one. */
export function rowValue(columns: readonly string[]): SQL {
  const list = sql.join(columns.map((c) => columnSql(c)), sql`, `);
  return columns.length === 1 ? list : sql`(${list})`;
}

/** `(?, ?)` — a row value of bound parameters. */
export function paramRow(dialect: Dialect, values: readonly unknown[]): SQL {
  const list = sql.join(values.map((v) => bind(dialect.toDriver(v))), sql`, `);
  return values.length === 1 ? list : sql`(${list})`;
}

/** `(a, b) IN ((?, ?), (?, ?))`. */
export function rowsIn(dialect: Dialect, columns: readonly string[], rows: readonly (readonly unknown[])[]): SQL {
  return sql`${rowValue(columns)} IN (${sql.join(rows.map((r) => paramRow(dialect, r)), sql`, `)})`;
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
