import type { AnchorValues, AttributeValue, CSEntryChange, ExportEntryResult } from '@ecmahost/sdk';
import { sql } from 'drizzle-orm';
import type { SqlConfig } from './config.js';
import type { Dialect, Executor, TableName } from './dialects/dialect.js';
import { EntryProblem } from './error-mapping.js';
import { columnSql, tableSql } from './identifiers.js';
import type { ObjectModel } from './object-model.js';
import { bind, objectCondition } from './sql-fragments.js';
import { parameterNames, type RoutineParameter } from './routine-parameters.js';
import { parseTemplate, renderTemplate, splitStatements } from './statement-template.js';
import { driverValue } from './table-writer.js';
import { flatValues, type WritePlan } from './write-plan.js';

/**
 * The object's current single-valued values, so an update procedure or statement gets the whole
 * object (Microsoft's procedures take every parameter); empty without a table to read.
 */
async function currentRow(db: Executor, dialect: Dialect, model: ObjectModel, anchor: AnchorValues): Promise<Record<string, unknown>> {
  if (!model.table) return {};
  const rows = await db.all(sql`SELECT ${sql.join(model.single.map((c) => columnSql(c.name)), sql`, `)} FROM ${tableSql(model.table)} WHERE ${objectCondition(dialect, model, anchor)}`);
  return rows[0] ?? {};
}

function notConfigured(what: string): EntryProblem {
  return new EntryProblem({ code: 'invalid-provisioning-value', message: `No ${what} is configured for this connector.` });
}

function placeholderNames(model: ObjectModel): string[] {
  return [...model.single.map((c) => c.name), ...(model.multi?.attributes.map((c) => c.name) ?? []), ...(model.typeColumn ? [model.typeColumn.column] : []), 'ObjectType', 'DN'];
}

/**
 * The value procedures: one call per removed value, then one per added value, each with the anchor
 * value(s), the attribute name and the value (NULL: every value goes). Never a rewrite of the
 * whole list, so a PATCH of 100 members of a large group is 100 calls.
 */
async function writeValuesThroughRoutines(db: Executor, dialect: Dialect, model: ObjectModel, plan: WritePlan, routines: { addValue: TableName; removeValue: TableName }): Promise<void> {
  const anchorArgs = model.anchors.map((a) => bind(dialect.toDriver(plan.anchor[a])));
  const call = async (routine: TableName, name: string, value: AttributeValue | null) =>
    db.run(await dialect.callRoutine(routine, [...anchorArgs, bind(name), bind(driverValue(dialect, model, name, value))], 'statement', undefined));
  for (const change of plan.multi) {
    if (change.remove === 'all') await call(routines.removeValue, change.name, null);
    else for (const value of change.remove) await call(routines.removeValue, change.name, value);
    for (const value of change.add) await call(routines.addValue, change.name, value);
  }
}

/**
 * Microsoft's stored-procedure and SQL-statement export methods. Procedures get the attributes in
 * `procedureParameters` order (delete: the anchor); statements get `@Attribute` placeholders bound
 * as parameters. Multi-valued attributes pass their first value, unless value procedures are
 * configured (see `writeValuesThroughRoutines`).
 */
export async function writeThroughRoutine(
  db: Executor,
  dialect: Dialect,
  config: SqlConfig,
  model: ObjectModel,
  entry: CSEntryChange,
  plan: WritePlan,
): Promise<Omit<ExportEntryResult, 'identifier'>> {
  const method = config.export;
  const current = entry.modification === 'add' || entry.modification === 'delete' ? {} : await currentRow(db, dialect, model, plan.anchor);
  if (entry.modification !== 'add' && entry.modification !== 'delete' && model.table && Object.keys(current).length === 0) {
    throw new EntryProblem({ code: 'missing-object', message: `${model.objectType} ${Object.values(plan.anchor).map(String).join('+')} does not exist.` });
  }
  const values = flatValues(plan, current);
  if (model.typeColumn) values[model.typeColumn.column] = model.typeColumn.value;
  values.ObjectType = model.objectType;
  values.DN = plan.dn ?? entry.dn ?? null;
  const bound = (name: string): unknown => {
    const v = values[name];
    return driverValue(dialect, model, name, v === undefined || v === null ? null : (v as AttributeValue));
  };
  const kind = entry.modification === 'add' ? 'add' : entry.modification === 'delete' ? 'delete' : 'update';
  if (method.method === 'procedure') {
    const routine: TableName | undefined = method[kind];
    if (routine === undefined) throw notConfigured(`${kind} procedure`);
    const byValue = method.addValue !== undefined && method.removeValue !== undefined && kind !== 'delete';
    // With value procedures, an update of multi-valued attributes alone (a PATCH of a group's
    // members) calls only them: the object's own procedure would rewrite its row for nothing.
    if (!(byValue && kind === 'update' && plan.columns.size === 0 && plan.dn === undefined && plan.multi.length > 0)) {
      const parameters: RoutineParameter[] = kind === 'delete' ? model.anchors.map((value) => ({ value })) : (method.parameters ?? model.single.map((c) => ({ value: c.name })));
      const args = parameters.map((p) => bind(bound(p.value)));
      await db.run(await dialect.callRoutine(routine, args, 'statement', parameterNames(parameters)));
    }
    if (byValue) await writeValuesThroughRoutines(db, dialect, model, plan, { addValue: method.addValue!, removeValue: method.removeValue! });
    return kind === 'add' ? { anchor: plan.anchor } : {};
  }
  if (method.method !== 'statement') throw notConfigured('procedure or statement export method');
  const text = method[kind];
  if (text === undefined) throw notConfigured(`${kind} statement`);
  let affected = 0;
  for (const statement of splitStatements(text)) {
    affected += (await db.run(renderTemplate(parseTemplate(statement, placeholderNames(model)), bound))).affected;
  }
  if (kind !== 'add' && affected === 0) {
    throw new EntryProblem({ code: 'missing-object', message: `${model.objectType} ${Object.values(plan.anchor).map(String).join('+')} does not exist (the ${kind} statement changed no row).` });
  }
  return kind === 'add' ? { anchor: plan.anchor } : {};
}
