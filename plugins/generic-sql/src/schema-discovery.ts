import type { AttributeDefinition, ObjectTypeDefinition, Schema } from '@ecmahost/sdk';
import { ConnectorError } from '@ecmahost/sdk';
import { sql } from 'drizzle-orm';
import type { ObjectTypeTable, SqlConfig } from './config.js';
import type { ColumnInfo, Dialect, TableName } from './dialects/dialect.js';
import type { JoinPair } from './join-condition.js';
import { columnSql, tableLabel, tableSql } from './identifiers.js';
import type { AttributeColumn, ObjectModel } from './object-model.js';
import { P } from './parameters.js';
import { splitStatements } from './statement-template.js';
import { attributeTypeOf } from './type-mapping.js';

function firstColumn(rows: readonly Record<string, unknown>[]): string[] {
  return rows
    .map((row) => Object.values(row)[0])
    .filter((v) => v !== null && v !== undefined && String(v).trim() !== '')
    .map((v) => String(v).trim());
}

async function adminQuery(dialect: Dialect, text: string, parameter: string): Promise<string[]> {
  const statements = splitStatements(text);
  if (statements.length !== 1) throw new ConnectorError('invalid-configuration', `${parameter} must be one SQL statement.`, { parameter });
  // The admin's own query from the configuration: trusted text, no user values in it.
  return firstColumn(await dialect.all(sql.raw(statements[0] ?? '')));
}

async function objectTypeNames(dialect: Dialect, config: SqlConfig): Promise<string[]> {
  switch (config.objectTypes.mode) {
    case 'fixed':
      return config.objectTypes.names;
    case 'query':
      return adminQuery(dialect, config.objectTypes.query, P.objectTypeQuery);
    case 'column': {
      const table = config.table;
      if (table === undefined) throw new ConnectorError('invalid-configuration', 'table is required', { parameter: P.table });
      const column = columnSql(config.objectTypes.column);
      return firstColumn(await dialect.all(sql`SELECT DISTINCT ${column} FROM ${tableSql(table)} WHERE ${column} IS NOT NULL ORDER BY ${column}`));
    }
  }
}

function toAttribute(config: SqlConfig, column: ColumnInfo): AttributeColumn {
  return {
    name: column.name,
    type: config.types.get(column.name) ?? attributeTypeOf(column.dataType),
    operation: config.directions.get(column.name) ?? 'importExport',
    required: !column.nullable && !column.hasDefault,
    generated: column.generated,
  };
}

/**
 * Discovers the object types and their attributes (Microsoft's Schema 1–4 pages) as models the
 * sessions use. Throws `invalid-configuration` naming the parameter when a table, column or
 * anchor does not exist.
 */
export async function discoverModels(dialect: Dialect, config: SqlConfig): Promise<ObjectModel[]> {
  let columns: ColumnInfo[];
  if (config.attributes.mode === 'table') {
    const table = config.table;
    if (table === undefined) throw new ConnectorError('invalid-configuration', 'table is required', { parameter: P.table });
    columns = await dialect.columns(table);
    if (columns.length === 0) throw new ConnectorError('invalid-configuration', `The table or view ${tableLabel(table)} was not found.`, { parameter: P.table });
  } else {
    const names = await adminQuery(dialect, config.attributes.query, P.attributeQuery);
    columns = names.map((name) => ({ name, dataType: 'text', nullable: true, hasDefault: false, generated: false }));
  }
  const typeColumn = config.objectTypes.mode === 'column' ? config.objectTypes.column : undefined;
  if (typeColumn !== undefined && !columns.some((c) => c.name === typeColumn)) {
    throw new ConnectorError('invalid-configuration', `The object type column ${typeColumn} is not a column of ${config.table ? tableLabel(config.table) : 'the table'}.`, { parameter: P.objectTypeColumn });
  }
  const single = columns.filter((c) => c.name !== typeColumn).map((c) => toAttribute(config, c));
  for (const anchor of config.anchors) {
    if (!single.some((c) => c.name === anchor)) throw new ConnectorError('invalid-configuration', `The anchor column ${anchor} was not found among the attributes.`, { parameter: P.anchorColumns });
  }
  if (config.dn.mode === 'column' && !single.some((c) => c.name === (config.dn as { column: string }).column)) {
    throw new ConnectorError('invalid-configuration', `The DN column ${config.dn.column} was not found among the attributes.`, { parameter: P.dnColumn });
  }
  const multi = config.multiValued === undefined ? undefined : await discoverMulti(dialect, config, config.multiValued, single, { table: P.multiValuedTable, join: P.multiValuedJoin });
  const names = await objectTypeNames(dialect, config);
  if (names.length === 0) throw new ConnectorError('invalid-configuration', 'No object types were found.', { parameter: P.objectTypeDetection });
  const models = names.map((objectType) => {
    const model: ObjectModel = { objectType, anchors: config.anchors, dn: config.dn, single };
    if (config.table !== undefined) model.table = config.table;
    if (typeColumn !== undefined) model.typeColumn = { column: typeColumn, value: objectType };
    if (multi !== undefined) model.multi = multi;
    return model;
  });
  for (const extra of config.objectTypeTables) models.push(await discoverTableModel(dialect, config, extra));
  return models;
}

/**
 * The model of an object type with a table of its own (`objectTypeTables`): its columns, its
 * anchor and its multi-valued table are checked as the first type's are. Its DN is autogenerated
 * when the first type's is, else it has none (a DN column belongs to the first table).
 */
async function discoverTableModel(dialect: Dialect, config: SqlConfig, extra: ObjectTypeTable): Promise<ObjectModel> {
  const columns = await dialect.columns(extra.table);
  if (columns.length === 0) throw new ConnectorError('invalid-configuration', `The table or view ${tableLabel(extra.table)} of ${extra.objectType} was not found.`, { parameter: P.objectTypeTables });
  const single = columns.map((c) => toAttribute(config, c));
  for (const anchor of extra.anchors) {
    if (!single.some((c) => c.name === anchor)) throw new ConnectorError('invalid-configuration', `The anchor column ${anchor} of ${extra.objectType} is not a column of ${tableLabel(extra.table)}.`, { parameter: P.objectTypeTables });
  }
  const model: ObjectModel = { objectType: extra.objectType, table: extra.table, anchors: extra.anchors, dn: config.dn.mode === 'autogenerated' ? config.dn : { mode: 'none' }, single };
  if (extra.multiValued !== undefined) model.multi = await discoverMulti(dialect, config, extra.multiValued, single, { table: P.objectTypeTables, join: P.objectTypeTables });
  return model;
}

/** The multi-valued table of a model: its columns but the join's are multi-valued attributes. */
async function discoverMulti(dialect: Dialect, config: SqlConfig, multiValued: { table: TableName; join: readonly JoinPair[] }, single: readonly AttributeColumn[], parameters: { table: string; join: string }): Promise<NonNullable<ObjectModel['multi']>> {
  const mvColumns = await dialect.columns(multiValued.table);
  if (mvColumns.length === 0) throw new ConnectorError('invalid-configuration', `The multi-valued table ${tableLabel(multiValued.table)} was not found.`, { parameter: parameters.table });
  const joinColumns = new Set(multiValued.join.map((p) => p.child));
  for (const child of joinColumns) {
    if (!mvColumns.some((c) => c.name === child)) throw new ConnectorError('invalid-configuration', `${child} is not a column of ${tableLabel(multiValued.table)}.`, { parameter: parameters.join });
  }
  const attributes = mvColumns.filter((c) => !joinColumns.has(c.name) && !c.generated).map((c) => ({ ...toAttribute(config, c), required: false }));
  const clash = attributes.find((a) => single.some((s) => s.name === a.name));
  if (clash) throw new ConnectorError('invalid-configuration', `${clash.name} is a column of both tables; Microsoft's connector refuses this too.`, { parameter: parameters.table });
  return { table: multiValued.table, join: multiValued.join, attributes };
}

/** The ECMA2 schema of discovered models. */
export function schemaOf(models: readonly ObjectModel[]): Schema {
  return {
    objectTypes: models.map((model): ObjectTypeDefinition => {
      const definition = (column: AttributeColumn, multiValued: boolean): AttributeDefinition => {
        const attribute: AttributeDefinition = { name: column.name, type: column.type, multiValued, operation: column.operation };
        if (column.required && !model.anchors.includes(column.name)) attribute.required = true;
        return attribute;
      };
      const anchorColumns = model.single.filter((c) => model.anchors.includes(c.name));
      const type: ObjectTypeDefinition = {
        name: model.objectType,
        anchors: model.anchors,
        attributes: [...model.single.map((c) => definition(c, false)), ...(model.multi?.attributes.map((c) => definition(c, true)) ?? [])],
      };
      if (anchorColumns.length > 0 && anchorColumns.every((c) => c.generated)) type.anchorGeneratedOnAdd = true;
      return type;
    }),
  };
}
