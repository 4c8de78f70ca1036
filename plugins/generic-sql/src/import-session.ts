import type { AttributeValues, ImportEntry, ImportRunStep, ImportSession } from '@ecmahost/sdk';
import { ConnectorError, findObjectType } from '@ecmahost/sdk';
import { sql, type SQL } from 'drizzle-orm';
import type { SqlConfig } from './config.js';
import type { Dialect, Row } from './dialects/dialect.js';
import { columnSql, tableSql } from './identifiers.js';
import { anchorKey, type ObjectModel } from './object-model.js';
import { operationError } from './operation-error.js';
import { readChildValues, rowToEntry } from './row-mapping.js';
import { allByKeys, and, bind, keysetAfter, typeCondition, where } from './sql-fragments.js';
import { parameterNames } from './routine-parameters.js';
import { parseTemplate, renderTemplate, splitStatements } from './statement-template.js';
import { decodeWatermark, encodeWatermark, type Watermark, watermarkOf, watermarkParameter } from './watermark.js';

/**
 * A page as read from the database: its entries are built when the host takes them, a slice at a
 * time (see {@link ENTRY_SLICE}), so that a page of thousands of rows is never a page of thousands
 * of live entries.
 */
interface Page {
  count: number;
  entry(index: number): ImportEntry;
  more: boolean;
}

/** A page whose entries are already built (delta pages, the end of a run). */
function builtPage(entries: readonly ImportEntry[], more: boolean): Page {
  return { count: entries.length, entry: (index) => entries[index]!, more };
}

/**
 * The most entries handed to the host per call. The database is still read a whole page
 * (`pageSize` rows) at a time; the entries of those rows are built a slice at a time, when the host
 * asks for it (which it does for the next slice while it applies one: two slices are alive at
 * most). About 30 small objects make an entry: built a page of 5,000 at a time, they lived through
 * the young generation's collections, were copied and moved to the old generation, and a full
 * import of 100,000 users from PostgreSQL took 1.1–1.9 s; built 100 at a time they die young and
 * the same import took 0.8–1.1 s (docs/performance.md, "Entries built a slice at a time", decision 026).
 */
export const ENTRY_SLICE = 100;

/**
 * Keeps only the attributes the host asked for (a connector may return fewer, never more). The
 * names are looked up once per object type for the run, and an entry with nothing to drop is
 * handed on as it is: an import passes every row through here. When the host asks for every
 * attribute the model reads (the usual case), no entry is checked at all.
 */
function restrictor(runStep: ImportRunStep, models: readonly ObjectModel[]): (entry: ImportEntry) => ImportEntry {
  const namesByType = new Map<string, ReadonlySet<string> | undefined>();
  const namesToKeep = (objectType: string): ReadonlySet<string> | undefined => {
    const wanted = findObjectType(runStep.schema, objectType);
    if (wanted === undefined) return undefined;
    const names = new Set(wanted.attributes.map((a) => a.name));
    const model = models.find((m) => m.objectType === objectType);
    const read = model && [...model.single, ...(model.multi?.attributes ?? [])].filter((c) => c.operation !== 'exportOnly');
    return read?.every((c) => names.has(c.name)) ? undefined : names;
  };
  return (entry) => {
    let names = namesByType.get(entry.objectType);
    if (!namesByType.has(entry.objectType)) {
      names = namesToKeep(entry.objectType);
      namesByType.set(entry.objectType, names);
    }
    if (names === undefined) return entry;
    if (entry.attributes !== undefined) {
      if (Object.keys(entry.attributes).every((name) => names.has(name))) return entry;
      const attributes: AttributeValues = {};
      for (const name of Object.keys(entry.attributes)) {
        if (names.has(name)) Object.defineProperty(attributes, name, { value: entry.attributes[name], enumerable: true, writable: true, configurable: true });
      }
      return { ...entry, attributes };
    }
    if (entry.attributeChanges.every((c) => names.has(c.name))) return entry;
    return { ...entry, attributeChanges: entry.attributeChanges.filter((c) => names.has(c.name)) };
  };
}

/**
 * Reads a table or view in keyset pages on the anchor (`WHERE anchor > last ORDER BY anchor
 * LIMIT n`): stable under concurrent inserts and as fast on the last page as on the first.
 */
function keysetReader(dialect: Dialect, models: readonly ObjectModel[], pageSize: number, extra: SQL | undefined, modification: 'add' | 'replace') {
  let index = 0;
  let last: unknown[] | undefined;
  return async (): Promise<Page> => {
    const model = models[index];
    if (!model?.table) return builtPage([], false);
    const columns = [...model.single.map((c) => c.name)];
    const after = last === undefined ? undefined : keysetAfter(dialect, model.anchors, last);
    const rows = await dialect.all(sql`
      SELECT ${sql.join(columns.map((c) => columnSql(c)), sql`, `)} FROM ${tableSql(model.table)}
      ${where(and(typeCondition(model), extra, after))}
      ORDER BY ${sql.join(model.anchors.map((a) => columnSql(a)), sql`, `)}
      ${dialect.limit(pageSize)}`);
    const children = await readChildValues(dialect, dialect, model, rows);
    const lastRow = rows.at(-1);
    if (rows.length < pageSize || lastRow === undefined) {
      index += 1;
      last = undefined;
    } else last = model.anchors.map((a) => lastRow[a]);
    return { count: rows.length, entry: (i) => rowToEntry(model, rows[i]!, children, modification), more: index < models.length };
  };
}

/**
 * Reads pages through an admin's query or stored procedure with `@StartIndex`/`@EndIndex`
 * (1-based, inclusive), as Microsoft's connector does. A routine that ignores the indexes and
 * returns the same rows again ends the run instead of looping.
 */
function indexedReader(dialect: Dialect, config: SqlConfig, model: ObjectModel, pageSize: number) {
  let start = 1;
  let done = false;
  const seen = new Set<string>();
  return async (): Promise<Page> => {
    if (done) return builtPage([], false);
    const end = start + pageSize - 1;
    let query: SQL;
    if (config.import.method === 'procedure') {
      const parameters = config.import.parameters;
      if (parameters === undefined) query = await dialect.callRoutine(config.import.procedure, [bind(start), bind(end)], 'rows');
      else {
        // Microsoft's paging placeholders are the page bounds; any other value is passed as written.
        const value = (text: string): unknown => (/^@StartIndex$/i.test(text) ? start : /^@EndIndex$/i.test(text) ? end : text);
        query = await dialect.callRoutine(config.import.procedure, parameters.map((p) => bind(value(p.value))), 'rows', parameterNames(parameters));
      }
    } else if (config.import.method === 'query') {
      const statements = splitStatements(config.import.query);
      const template = parseTemplate(statements[0] ?? '', ['StartIndex', 'EndIndex']);
      query = renderTemplate(template, (name) => (name === 'StartIndex' ? start : end));
    } else throw new ConnectorError('internal', 'indexed reader used for the table method');
    const rows: Row[] = await dialect.all(query);
    const children = model.multi && model.table ? await readChildValues(dialect, dialect, model, rows) : new Map();
    const fresh = rows.filter((row) => {
      const key = anchorKey(model.anchors.map((a) => row[a]));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    done = rows.length < pageSize || fresh.length === 0;
    start = end + 1;
    return { count: fresh.length, entry: (i) => rowToEntry(model, fresh[i]!, children), more: !done };
  };
}

async function currentWatermark(dialect: Dialect, config: SqlConfig): Promise<Watermark | undefined> {
  const delta = config.delta;
  if (delta.strategy === 'watermark') {
    // The time is taken before reading, so a row changed during the import is read again next time.
    const text = splitStatements(delta.query ?? dialect.watermarkQuery)[0] ?? dialect.watermarkQuery;
    const rows = await dialect.all(sql.raw(text));
    return watermarkOf('watermark', Object.values(rows[0] ?? {})[0] ?? null);
  }
  if (delta.strategy === 'changeTable') {
    const rows = await dialect.all(sql`SELECT MAX(${columnSql(delta.sequenceColumn)}) AS m FROM ${tableSql(delta.table)}`);
    return watermarkOf('changeTable', rows[0]?.m ?? null);
  }
  return undefined;
}

/**
 * Delta by change table: changes after the last sequence, in order; `Delete` becomes a delete
 * entry, anything else the object's current row (or a delete when the row is gone by now).
 */
function changeTableReader(
  dialect: Dialect,
  models: readonly ObjectModel[],
  delta: Extract<SqlConfig['delta'], { strategy: 'changeTable' }>,
  from: Watermark,
  pageSize: number,
) {
  // Object types share the table, its anchor and its columns; a type column tells rows apart.
  // Types with a table of their own (objectTypeTables) are not in the change table: full imports read them.
  const shape = models[0];
  models = models.filter((m) => m.table === shape?.table);
  let position = from;
  let done = false;
  return {
    position: () => position,
    async next(): Promise<Page> {
      if (done || !shape?.table) return builtPage([], false);
      const anchors = shape.anchors;
      const typeColumn = shape.typeColumn?.column;
      const seq = columnSql(delta.sequenceColumn);
      const changes = await dialect.all(sql`
        SELECT ${sql.join([delta.sequenceColumn, delta.typeColumn, ...anchors].map((c) => columnSql(c)), sql`, `)}
        FROM ${tableSql(delta.table)}
        ${where(position.value === null ? undefined : sql`${seq} > ${bind(watermarkParameter(position))}`)}
        ORDER BY ${seq} ${dialect.limit(pageSize)}`);
      done = changes.length < pageSize;
      const lastChange = changes.at(-1);
      if (lastChange) position = watermarkOf('changeTable', lastChange[delta.sequenceColumn] ?? null);
      // The last change per object wins; the row itself tells its current state.
      const latest = new Map<string, Row>();
      for (const change of changes) {
        const key = anchorKey(anchors.map((a) => change[a]));
        latest.delete(key);
        latest.set(key, change);
      }
      const wanted = [...latest.values()].filter((c) => !/^delete$/i.test(String(c[delta.typeColumn] ?? '').trim()));
      const columns = [...shape.single.map((c) => c.name), ...(typeColumn === undefined ? [] : [typeColumn])];
      const table = shape.table;
      const rows = wanted.length
        ? await allByKeys(
            dialect,
            dialect,
            anchors,
            wanted.map((c) => anchors.map((a) => c[a])),
            (condition) => sql`
            SELECT ${sql.join(columns.map((c) => columnSql(c)), sql`, `)} FROM ${tableSql(table)}
            ${where(condition)}`,
          )
        : [];
      const byKey = new Map(rows.map((row) => [anchorKey(anchors.map((a) => row[a])), row]));
      const children = await readChildValues(dialect, dialect, shape, rows);
      const entries: ImportEntry[] = [];
      for (const [key, change] of latest) {
        const row = byKey.get(key);
        if (row) {
          // A row of a type the host did not ask for is none of this run's business.
          const model = typeColumn === undefined ? shape : models.find((m) => m.typeColumn?.value === String(row[typeColumn]));
          if (model) entries.push(rowToEntry(model, row, children, 'replace'));
          continue;
        }
        // The row is gone and its type with it: every type asked for hears of the delete.
        const anchor = Object.fromEntries(anchors.map((a) => [a, change[a]])) as ImportEntry['anchor'];
        for (const model of models) entries.push({ objectType: model.objectType, modification: 'delete', anchor, attributeChanges: [] });
      }
      return builtPage(entries, !done);
    },
  };
}

/** Opens a full or delta import run. */
export async function openImportSession(
  dialect: Dialect,
  config: SqlConfig,
  models: readonly ObjectModel[],
  runStep: ImportRunStep,
  signal: AbortSignal,
): Promise<ImportSession> {
  const pageSize = Number.isSafeInteger(runStep.pageSize) && runStep.pageSize > 0 ? runStep.pageSize : 100;
  const requested = models.filter((m) => findObjectType(runStep.schema, m.objectType) !== undefined);
  const active = requested.length > 0 ? requested : models;
  const first = active[0];
  if (first === undefined) throw new ConnectorError('invalid-configuration', 'No object types to import.');
  let next: () => Promise<Page>;
  let finalWatermark: () => Watermark | undefined;

  if (runStep.type === 'delta') {
    const delta = config.delta;
    if (delta.strategy === 'none') throw new ConnectorError('not-supported', 'Delta import needs a delta strategy (watermark or change table) on the Global page.');
    const previous = decodeWatermark(runStep.watermark, delta.strategy);
    if (delta.strategy === 'watermark') {
      const now = await currentWatermark(dialect, config);
      const since = previous.value === null ? undefined : sql`${columnSql(delta.column)} >= ${bind(watermarkParameter(previous))}`;
      // >= rather than >: a row written in the same instant as the last watermark is read twice, never missed.
      next = keysetReader(dialect, active, pageSize, since, 'replace');
      finalWatermark = () => now;
    } else {
      const reader = changeTableReader(dialect, active, delta, previous, pageSize);
      next = () => reader.next();
      finalWatermark = () => reader.position();
    }
  } else {
    const now = await currentWatermark(dialect, config);
    next = config.import.method === 'table' ? keysetReader(dialect, active, pageSize, undefined, 'add') : indexedReader(dialect, config, first, pageSize);
    finalWatermark = () => now;
  }

  const restrict = restrictor(runStep, active);
  let page: Page | undefined;
  let taken = 0;
  return {
    async getEntries() {
      // Checked between slices: a cancelled run reads nothing more and its watermark is never used.
      if (signal.aborted) throw new ConnectorError('stop-run', 'The import was cancelled by the host.');
      try {
        if (page === undefined || (taken >= page.count && page.more)) {
          page = await next();
          taken = 0;
        }
        const end = Math.min(page.count, taken + ENTRY_SLICE);
        const entries: ImportEntry[] = [];
        for (let i = taken; i < end; i++) entries.push(restrict(page.entry(i)));
        taken = end;
        const more = taken < page.count || page.more;
        const watermark = more ? undefined : finalWatermark();
        return watermark === undefined ? { entries, more } : { entries, more, watermark: encodeWatermark(watermark) };
      } catch (error) {
        throw operationError(dialect, config, error, 'Reading an import page');
      }
    },
    async close(reason) {
      // Only a run that ended normally may move the watermark on.
      if (reason !== 'normal') return {};
      const watermark = finalWatermark();
      return watermark === undefined ? {} : { watermark: encodeWatermark(watermark) };
    },
  };
}
