import type { Capabilities } from '../capabilities.js';
import type { AttributeChange, CSEntryChange, ObjectModification } from '../changes.js';
import { applyAttributeChanges, attributeChange, attributeChangesOf } from '../changes.js';
import type { ConnectorInstance } from '../connector.js';
import type { ConnectorContext } from '../context.js';
import { silentLogger } from '../context.js';
import type { ExportEntryResult } from '../export.js';
import type { ImportEntry, ImportType } from '../import.js';
import { importEntryChanges, importValuesProblem } from '../import.js';
import type { ParameterValues } from '../parameters.js';
import type { Partition } from '../partitions.js';
import type { ObjectTypeDefinition, Schema } from '../schema.js';
import { DN_ATTRIBUTE, findObjectType } from '../schema.js';
import type { AnchorValues, AttributeValue } from '../values.js';
import { toValueArray } from '../values.js';
import { objectDifferences, sameAnchor, showValue } from './compare.js';
import type { ConformanceObject, ConformanceOptions } from './options.js';

/** A failed conformance check; the message says what the connector did and what was expected. */
export class ConformanceError extends Error {
  /**
   * Names a defect that every later check using the same operation would hit again (a dropped
   * export result): two failures with the same fault are one defect, which the suite reports once.
   */
  readonly fault: string | undefined;

  constructor(message: string, fault?: string) {
    super(message);
    this.name = 'ConformanceError';
    this.fault = fault;
  }
}

/** Throws a {@link ConformanceError}. */
export function fail(message: string, fault?: string): never {
  throw new ConformanceError(message, fault);
}

// Enough anchors to spot a pattern (a prefix, a case change) without flooding the report.
const LISTED_ANCHORS = 5;

/** The anchors of entries, as a message lists them: the first few, then how many more. */
export function showAnchors(entries: readonly Pick<ImportEntry, 'anchor' | 'modification'>[]): string {
  const shown = entries.slice(0, LISTED_ANCHORS).map((e) => `${showAnchor(e.anchor)} (${e.modification})`);
  const more = entries.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${String(more)} more` : shown.join(', ');
}

/** An object the kit put into the target, as it knows it. */
export interface KnownObject {
  anchor: AnchorValues;
  dn?: string;
  attributes: ConformanceObject['attributes'];
}

/** Everything an opened check works with. */
export interface CheckSession {
  options: ConformanceOptions;
  values: ParameterValues;
  capabilities: Capabilities;
  context: ConnectorContext;
  instance: ConnectorInstance;
  schema: Schema;
  type: ObjectTypeDefinition;
  pageSize: number;
  /** The most entries of one `putEntries` call; 1 sends every entry in a session of its own. */
  exportBatchSize: number;
  /** The partition every session runs in, when the options ask for partitions: the first one not hidden. */
  partition?: Partition;
  /** Findings that do not fail the check but that the author should read; the suite prints them. */
  warnings: string[];
}

/** The result of reading a whole import run. */
export interface ImportRun {
  entries: ImportEntry[];
  pages: number;
  /** The watermark the run ended with: `close`'s if it gave one, else the last page's. */
  watermark: string | undefined;
}

// An import that never says `more: false` must not hang the suite.
const MAX_PAGES = 10_000;

/** Reads an import run to the end, enforcing the paging rules of the contract. */
export async function runImport(session: CheckSession, type: ImportType, watermark?: string): Promise<ImportRun> {
  const open = session.instance.openImport;
  if (!open) fail('capabilities.import is true but the instance has no openImport');
  const importSession = await open.call(session.instance, {
    type,
    schema: { objectTypes: [session.type] },
    pageSize: session.pageSize,
    ...(watermark === undefined ? {} : { watermark }),
    ...(session.partition === undefined ? {} : { partition: session.partition }),
  });
  const entries: ImportEntry[] = [];
  let pages = 0;
  let last: string | undefined;
  let closed = false;
  try {
    for (;;) {
      if (pages >= MAX_PAGES) fail(`a ${type} import returned ${String(MAX_PAGES)} pages without more: false`);
      const page = await importSession.getEntries();
      pages += 1;
      if (page.entries.length > session.pageSize) {
        fail(`a ${type} import page held ${String(page.entries.length)} entries; the page size asked for was ${String(session.pageSize)}`);
      }
      for (const entry of page.entries) {
        const problem = entry.attributes === undefined ? undefined : importValuesProblem(entry);
        if (problem !== undefined) fail(`a ${type} import returned an entry the host cannot take (anchor ${showAnchor(entry.anchor)}): ${problem}`);
      }
      entries.push(...page.entries);
      if (page.watermark !== undefined) last = page.watermark;
      if (!page.more) break;
    }
    closed = true;
    const final = await importSession.close('normal');
    const broken = entries.find((e) => e.error !== undefined);
    if (broken?.error) fail(`a ${type} import reported an entry error: ${broken.error.code}: ${broken.error.message}`);
    return { entries, pages, watermark: (final && final.watermark) ?? last };
  } finally {
    if (!closed) await importSession.close('unknown');
  }
}

/** The attribute values an imported entry carries (full objects arrive as `add` changes). */
export function valuesOf(entry: Pick<ImportEntry, 'attributeChanges' | 'attributes'>, base: Record<string, AttributeValue[]> = {}): Record<string, AttributeValue[]> {
  return applyAttributeChanges(base, importEntryChanges(entry));
}

/** The entries of a run that belong to one known object. */
export function entriesFor(run: ImportRun, object: Pick<KnownObject, 'anchor'>): ImportEntry[] {
  return run.entries.filter((e) => sameAnchor(object.anchor, e.anchor));
}

/** The single full-import entry of an object; fails when it is missing or listed twice. */
export function importedObject(run: ImportRun, object: KnownObject, label: string): Record<string, AttributeValue[]> {
  const found = entriesFor(run, object);
  if (found.length === 0) {
    const read = run.entries.length === 0 ? 'no entries read' : `${String(run.entries.length)} entries read: ${showAnchors(run.entries)}`;
    fail(`${label} (anchor ${showAnchor(object.anchor)}) is missing from the full import (${read})`);
  }
  if (found.length > 1) fail(`${label} (anchor ${showAnchor(object.anchor)}) appears ${String(found.length)} times in one full import`);
  const [entry] = found as [ImportEntry];
  if (entry.modification !== 'add') fail(`a full import must report objects as add, but ${label} came as ${entry.modification}`);
  return valuesOf(entry);
}

/** Fails unless an imported object holds every value the kit gave it. */
export function expectValues(session: CheckSession, actual: Record<string, AttributeValue[]>, expected: KnownObject['attributes'], label: string): void {
  const differences = objectDifferences(session.type.attributes, expected, actual);
  if (differences.length > 0) fail(`${label} was read back with different values:\n  ${differences.join('\n  ')}`);
}

/** An anchor as it reads in a message. */
export function showAnchor(anchor: AnchorValues): string {
  return `{ ${Object.entries(anchor).map(([k, v]) => `${k}: ${showValue(v)}`).join(', ')} }`;
}

/** The anchor values of a sample, as far as the sample itself tells them. */
export function sampleAnchor(session: CheckSession, object: ConformanceObject): AnchorValues {
  if (object.anchor) return object.anchor;
  const anchor: AnchorValues = {};
  for (const name of session.type.anchors) {
    if (name === DN_ATTRIBUTE && object.dn !== undefined) {
      anchor[name] = object.dn;
      continue;
    }
    const values = toValueArray(object.attributes[name]);
    if (values.length === 1 && values[0] !== undefined) anchor[name] = values[0];
  }
  return anchor;
}

function isComplete(session: CheckSession, anchor: AnchorValues | undefined): anchor is AnchorValues {
  return anchor !== undefined && session.type.anchors.every((name) => anchor[name] !== undefined);
}

let identifiers = 0;
/** A batch-unique entry identifier. */
export function nextIdentifier(): string {
  identifiers += 1;
  return `conformance-${String(identifiers)}`;
}

/** An `add` entry for a sample. */
export function addEntry(session: CheckSession, object: ConformanceObject): CSEntryChange {
  return {
    identifier: nextIdentifier(),
    objectType: session.type.name,
    modification: 'add',
    ...(object.dn === undefined ? {} : { dn: object.dn }),
    anchor: sampleAnchor(session, object),
    attributeChanges: attributeChangesOf(object.attributes),
  };
}

/** An entry changing a known object. */
export function changeEntry(
  session: CheckSession,
  object: Pick<KnownObject, 'anchor' | 'dn'>,
  modification: Exclude<ObjectModification, 'add'>,
  attributeChanges: readonly AttributeChange[] = [],
): CSEntryChange {
  return {
    identifier: nextIdentifier(),
    objectType: session.type.name,
    modification,
    ...(object.dn === undefined ? {} : { dn: object.dn }),
    anchor: object.anchor,
    attributeChanges,
  };
}

/**
 * Exports entries and returns the result of each by identifier. By default each entry goes in a
 * session of its own, as `@ecmahost/host` sends every SCIM write; with `exportBatchSize` above 1 they
 * share one session, in batches of up to that many. Fails when `putEntries` throws (expected failures
 * must be results) or the results do not match the entries one to one.
 */
export async function exportEntries(session: CheckSession, entries: readonly CSEntryChange[]): Promise<Map<string, ExportEntryResult>> {
  const size = session.exportBatchSize;
  const byId = new Map<string, ExportEntryResult>();
  if (size === 1) {
    for (const entry of entries) await runExportSession(session, [[entry]], byId);
  } else {
    const batches: CSEntryChange[][] = [];
    for (let i = 0; i < entries.length; i += size) batches.push(entries.slice(i, i + size));
    await runExportSession(session, batches, byId);
  }
  return byId;
}

/** Sends batches through one export session, adding each entry's result to `byId`. */
async function runExportSession(session: CheckSession, batches: readonly (readonly CSEntryChange[])[], byId: Map<string, ExportEntryResult>): Promise<void> {
  const open = session.instance.openExport;
  if (!open) fail('capabilities.export is true but the instance has no openExport');
  const opened = await open.call(session.instance, {
    schema: { objectTypes: [session.type] },
    batchSize: session.exportBatchSize,
    ...(session.partition === undefined ? {} : { partition: session.partition }),
  });
  try {
    for (const batch of batches) {
      let results: ExportEntryResult[];
      try {
        results = await opened.putEntries(batch);
      } catch (error) {
        const what = batch.map((e) => e.modification).join(', ');
        const reason = error instanceof Error ? error.message : String(error);
        fail(`putEntries threw instead of returning per-entry results (batch: ${what}): ${reason}`, `put-entries-threw: ${what}: ${reason}`);
      }
      matchResults(batch, results, byId);
    }
  } catch (error) {
    await opened.close('unknown');
    throw error;
  }
  await opened.close('normal');
}

/** Adds a batch's results to `byId`; fails unless they match its entries one to one. */
function matchResults(batch: readonly CSEntryChange[], results: readonly ExportEntryResult[], byId: Map<string, ExportEntryResult>): void {
  for (const result of results) {
    if (!batch.some((e) => e.identifier === result.identifier)) fail(`putEntries returned a result for unknown identifier ${result.identifier}`);
    if (byId.has(result.identifier)) fail(`putEntries returned two results for ${result.identifier}`);
    byId.set(result.identifier, result);
  }
  for (const entry of batch) {
    if (!byId.has(entry.identifier)) fail(`putEntries returned no result for the ${entry.modification} entry ${entry.identifier}`, `dropped-result: ${entry.modification}`);
  }
}

/** Fails unless an export result is a success. */
export function expectSuccess(result: ExportEntryResult | undefined, what: string): ExportEntryResult {
  if (!result) fail(`no result for ${what}`);
  if (result.error) fail(`${what} failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

/** The object the kit now knows after an add succeeded, with the anchor the target generated if any. */
export function knownAfterAdd(session: CheckSession, object: ConformanceObject, result: ExportEntryResult): KnownObject {
  const anchor = isComplete(session, result.anchor) ? result.anchor : sampleAnchor(session, object);
  if (!isComplete(session, anchor)) {
    fail(
      `the add of a sample returned no anchor and the sample does not give one (anchors: ${session.type.anchors.join(', ')}); ` +
        'a target that generates anchors must return them in the result',
    );
  }
  const dn = result.dn ?? object.dn;
  return { anchor, attributes: object.attributes, ...(dn === undefined ? {} : { dn }) };
}

/**
 * Puts samples into the target: exported as adds when the connector exports, else through
 * `options.seed`. Returns them as the kit knows them.
 */
export async function populate(session: CheckSession, objects: readonly ConformanceObject[]): Promise<KnownObject[]> {
  if (!session.capabilities.export) {
    const seed = session.options.seed;
    if (!seed) fail('the connector does not export and the options give no seed');
    await seed(session.values, objects);
    return objects.map((object) => {
      const anchor = sampleAnchor(session, object);
      if (!isComplete(session, anchor)) fail('a seeded sample must give its anchor');
      return { anchor, attributes: object.attributes, ...(object.dn === undefined ? {} : { dn: object.dn }) };
    });
  }
  const entries = objects.map((object) => addEntry(session, object));
  const results = await exportEntries(session, entries);
  return objects.map((object, i) => {
    const entry = entries[i] as CSEntryChange;
    return knownAfterAdd(session, object, expectSuccess(results.get(entry.identifier), `the add of sample ${String(i)}`));
  });
}

/** A fresh context for one check: a silent logger and a signal aborted when the check ends. */
export function createContext(): { context: ConnectorContext; controller: AbortController } {
  const controller = new AbortController();
  return { controller, context: { log: silentLogger, signal: controller.signal } };
}

/** Opens the instance of a check and reads its schema; fails when the object type is not in it. */
export async function openSession(options: ConformanceOptions, values: ParameterValues, capabilities: Capabilities, context: ConnectorContext, instance: ConnectorInstance): Promise<CheckSession> {
  const schema = await instance.getSchema();
  const type = findObjectType(schema, options.objectType);
  if (!type) fail(`the discovered schema has no object type ${options.objectType} (it has: ${schema.objectTypes.map((t) => t.name).join(', ') || 'none'})`);
  let partition: Partition | undefined;
  if (options.partitions === true) {
    if (!capabilities.partitions) fail('the options ask for partitions, but the connector does not declare capabilities.partitions');
    // A missing getPartitions is the capabilities check's to report, with the other mismatches.
    if (instance.getPartitions) {
      const partitions = await instance.getPartitions();
      partition = partitions.find((p) => !p.hidden) ?? partitions[0];
      if (!partition) fail('capabilities.partitions is true but getPartitions returned no partition');
    }
  }
  const sizes = { pageSize: options.pageSize ?? 2, exportBatchSize: options.exportBatchSize ?? 1 };
  return { options, values, capabilities, context, instance, schema, type, warnings: [], ...sizes, ...(partition ? { partition } : {}) };
}

/**
 * An entry setting one attribute of a known object to `values`, shaped as the host would send it for
 * the connector's `exportType`: an attribute replace in an `update`, or the whole object in a
 * `replace` for `objectReplace`.
 */
export function setAttributeEntry(session: CheckSession, object: KnownObject, name: string, values: readonly AttributeValue[]): CSEntryChange {
  if (session.capabilities.exportType === 'objectReplace') {
    const attributes = { ...object.attributes, [name]: values };
    return changeEntry(session, object, 'replace', attributeChangesOf(attributes));
  }
  return changeEntry(session, object, 'update', [attributeChange.replace(name, values)]);
}
