import type { AnchorValues, AttributeValue, CSEntryChange, ExportEntryResult } from '@ecmahost/sdk';
import { sql, type SQL } from 'drizzle-orm';
import type { Dialect, Executor } from './dialects/dialect.js';
import { EntryProblem } from './error-mapping.js';
import { columnSql, tableSql } from './identifiers.js';
import { findAttribute, type ObjectModel } from './object-model.js';
import { bind, objectCondition } from './sql-fragments.js';
import type { WritePlan } from './write-plan.js';

/** A value in the driver's form: datetimes as the database reads them, booleans and binary per dialect, NULL typed where the database needs it. */
export function driverValue(dialect: Dialect, model: ObjectModel, name: string, value: AttributeValue | null): unknown {
  const type = findAttribute(model, name)?.column.type;
  if (value === null) return type !== undefined && dialect.nullFor ? dialect.nullFor(type) : null;
  if (type === 'datetime' && typeof value === 'string') return dialect.formatDateTime(value);
  return dialect.toDriver(value);
}

/**
 * INSERT and UPDATE statements of each model by the columns they write, their values as
 * placeholders `0`, `1`… : the dialect renders each once (see {@link Executor}). Entra sends an
 * object type's attributes in the same order each time, so a model has a handful of them; the
 * bound only keeps a client that varies them endlessly from growing the map without end.
 */
const statements = new WeakMap<ObjectModel, Map<string, SQL>>();
const MAX_STATEMENTS_PER_MODEL = 256;

function statementFor(model: ObjectModel, key: string, build: () => SQL): SQL {
  let byKey = statements.get(model);
  if (byKey === undefined) {
    byKey = new Map();
    statements.set(model, byKey);
  }
  let statement = byKey.get(key);
  if (statement === undefined) {
    if (byKey.size >= MAX_STATEMENTS_PER_MODEL) byKey.clear();
    statement = build();
    byKey.set(key, statement);
  }
  return statement;
}

/** The placeholder of the `index`th value of a statement. */
function placeholder(index: number): SQL {
  return sql`${sql.placeholder(String(index))}`;
}

/** Values by placeholder name: the `i`th value for {@link placeholder}(i). */
function placeholderValues(values: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const [i, v] of values.entries()) named[String(i)] = v;
  return named;
}

function missing(model: ObjectModel, anchor: AnchorValues): EntryProblem {
  return new EntryProblem({ code: 'missing-object', message: `${model.objectType} ${Object.values(anchor).map(String).join('+')} does not exist.` });
}

async function exists(db: Executor, dialect: Dialect, model: ObjectModel, anchor: AnchorValues): Promise<boolean> {
  const rows = await db.all(sql`SELECT 1 AS present FROM ${tableSql(model.table!)} WHERE ${objectCondition(dialect, model, anchor)}`);
  return rows.length > 0;
}

/** Child rows: removes then adds values of multi-valued attributes (Microsoft's multi-valued table). */
async function writeChildren(db: Executor, dialect: Dialect, model: ObjectModel, anchor: AnchorValues, plan: WritePlan): Promise<void> {
  const multi = model.multi;
  if (!multi || plan.multi.length === 0) return;
  const join = multi.join.map((p) => sql`${columnSql(p.child)} = ${bind(dialect.toDriver(anchor[p.parent]))}`);
  for (const change of plan.multi) {
    const column = columnSql(change.name);
    const valueParam = (v: AttributeValue): SQL => bind(driverValue(dialect, model, change.name, v));
    if (change.remove === 'all') {
      await db.run(sql`DELETE FROM ${tableSql(multi.table)} WHERE ${sql.join(join, sql` AND `)} AND ${column} IS NOT NULL`);
    } else {
      for (const v of [...change.remove, ...change.add]) {
        // Deleting before adding keeps a value from being stored twice.
        await db.run(sql`DELETE FROM ${tableSql(multi.table)} WHERE ${sql.join(join, sql` AND `)} AND ${column} = ${valueParam(v)}`);
      }
    }
    for (const v of change.add) {
      const columns = [...multi.join.map((p) => columnSql(p.child)), column];
      const values = [...multi.join.map((p) => bind(dialect.toDriver(anchor[p.parent]))), valueParam(v)];
      await db.run(sql`INSERT INTO ${tableSql(multi.table)} (${sql.join(columns, sql`, `)}) VALUES (${sql.join(values, sql`, `)})`);
    }
  }
}

/**
 * Microsoft's table/view export method: INSERT, UPDATE and DELETE generated from the model, every
 * value a bound parameter and every name a quoted identifier. Throws {@link EntryProblem} for a
 * missing object and lets database errors through for the session to map.
 */
export async function writeToTable(db: Executor, dialect: Dialect, model: ObjectModel, entry: CSEntryChange, plan: WritePlan): Promise<Omit<ExportEntryResult, 'identifier'>> {
  const table = model.table!;
  if (entry.modification === 'add') {
    const values = new Map<string, unknown>();
    for (const [k, v] of Object.entries(plan.anchor)) values.set(k, driverValue(dialect, model, k, v));
    for (const [k, v] of plan.columns) values.set(k, driverValue(dialect, model, k, v));
    if (model.typeColumn) values.set(model.typeColumn.column, model.typeColumn.value);
    if (model.dn.mode === 'column' && plan.dn !== undefined && !values.has(model.dn.column)) values.set(model.dn.column, plan.dn);
    const names = [...values.keys()];
    const insert = statementFor(model, `add\u0000${names.join('\u0000')}`, () => {
      const columns = names.map((n) => columnSql(n));
      const params = names.map((_, i) => placeholder(i));
      return dialect.insertReturning
        ? dialect.insertReturning(tableSql(table), columns, params, model.anchors)
        : sql`INSERT INTO ${tableSql(table)} (${sql.join(columns, sql`, `)}) VALUES (${sql.join(params, sql`, `)})`;
    });
    const bound = placeholderValues([...values.values()]);
    let anchor: AnchorValues = { ...plan.anchor };
    if (dialect.insertReturning) {
      const [row] = await db.all(insert, bound);
      for (const a of model.anchors) {
        const v = row?.[a];
        if (v !== undefined && v !== null) anchor[a] = typeof v === 'bigint' ? Number(v) : (v as AttributeValue);
      }
    } else {
      const result = await db.run(insert, bound);
      const generated = model.anchors.filter((a) => anchor[a] === undefined);
      if (generated.length === 1 && generated[0] !== undefined && result.insertId !== undefined) anchor = { ...anchor, [generated[0]]: result.insertId };
    }
    // Integer anchors come back as text from some drivers (PostgreSQL bigint): keep the schema's type.
    for (const a of model.anchors) {
      const column = findAttribute(model, a)?.column;
      if (column?.type === 'integer' && typeof anchor[a] === 'string') anchor[a] = Number(anchor[a]);
    }
    await writeChildren(db, dialect, model, anchor, plan);
    return { anchor };
  }
  if (entry.modification === 'delete') {
    if (model.multi) {
      const join = model.multi.join.map((p) => sql`${columnSql(p.child)} = ${bind(dialect.toDriver(plan.anchor[p.parent]))}`);
      await db.run(sql`DELETE FROM ${tableSql(model.multi.table)} WHERE ${sql.join(join, sql` AND `)}`);
    }
    const result = await db.run(sql`DELETE FROM ${tableSql(table)} WHERE ${objectCondition(dialect, model, plan.anchor)}`);
    if (result.affected === 0) throw missing(model, plan.anchor);
    return {};
  }
  const setNames = [...plan.columns.keys()];
  const setValues = [...plan.columns].map(([k, v]) => driverValue(dialect, model, k, v));
  if (plan.dn !== undefined && model.dn.mode === 'column') {
    setNames.push(model.dn.column);
    setValues.push(plan.dn);
  }
  if (setNames.length > 0) {
    const update = statementFor(model, `update\u0000${setNames.join('\u0000')}`, () => {
      const sets = setNames.map((name, i) => sql`${columnSql(name)} = ${placeholder(i)}`);
      const keys = [...model.anchors.map((a) => columnSql(a)), ...(model.typeColumn ? [columnSql(model.typeColumn.column)] : [])];
      const condition = keys.map((key, i) => sql`${key} = ${placeholder(setNames.length + i)}`);
      return sql`UPDATE ${tableSql(table)} SET ${sql.join(sets, sql`, `)} WHERE ${sql.join(condition, sql` AND `)}`;
    });
    const keyValues = [...model.anchors.map((a) => dialect.toDriver(plan.anchor[a])), ...(model.typeColumn ? [model.typeColumn.value] : [])];
    const result = await db.run(update, placeholderValues([...setValues, ...keyValues]));
    if (result.affected === 0) throw missing(model, plan.anchor);
  } else if (!(await exists(db, dialect, model, plan.anchor))) throw missing(model, plan.anchor);
  await writeChildren(db, dialect, model, plan.anchor, plan);
  return plan.dn === undefined ? {} : { dn: plan.dn };
}
