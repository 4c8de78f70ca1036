import type { ImportEntry, ImportRunStep, ImportSession, Logger, ObjectTypeDefinition } from '@ecmahost/sdk';
import { ConnectorError, DN_ATTRIBUTE } from '@ecmahost/sdk';
import type { ChangeRecord } from './change-log.js';
import { ACCESSLOG_ATTRIBUTES, CHANGELOG_ATTRIBUTES, accesslogFilter, changelogFilter, laterChangeNumber, parseAccesslogEntry, parseChangelogEntry } from './change-log.js';
import type { LdapConnection, LdapEntry, LdapPool } from './client.js';
import type { LdapConfig } from './config.js';
import { changeLogDnOf, unreadableChangeLog } from './delta-source.js';
import type { Discovery } from './discovery.js';
import { anchorOf, createEntryMapper, requestedAttributes } from './entry-mapping.js';
import { connectorErrorOf, isLdapOperationError } from './errors.js';
import { equalityFilter, escapeFilterValue, isUnder, keysUnder, rdnKeys } from './escape.js';
import { completeRanges, hasRanges } from './range-retrieval.js';
import { OID } from './root-dse.js';
import { toGeneralizedTime } from './syntax.js';
import { deletedFilter, deletedObjectsContainers, usnFilter } from './usn-delta.js';
import type { Watermark, WatermarkMethod } from './watermark.js';
import { formatWatermark, parseWatermark } from './watermark.js';

/** What an import session needs from its instance. */
export interface ImportContext {
  pool: LdapPool;
  config: LdapConfig;
  discovery: Discovery;
  log: Logger;
  /** Aborted when the host cancels the run; checked before each page. */
  signal: AbortSignal;
  /** The naming contexts imported when no container is configured. */
  partitions: string[];
}

/** `(objectClass=a)` or `(|(objectClass=a)(objectClass=b))`. */
export function objectClassFilter(types: readonly ObjectTypeDefinition[]): string {
  const parts = types.map((t) => equalityFilter('objectClass', t.name));
  return parts.length === 1 ? (parts[0] ?? '') : `(|${parts.join('')})`;
}

/** The containers an import searches: the run step's inclusions, else the configured ones, else the partitions. */
export function importBases(runStep: Pick<ImportRunStep, 'inclusions' | 'partition'>, configured: readonly string[], partitions: readonly string[]): string[] {
  let bases = (runStep.inclusions ?? []).map((n) => n.dn);
  if (bases.length === 0) bases = [...configured];
  if (bases.length === 0) bases = runStep.partition ? [runStep.partition.dn] : [...partitions];
  const partition = runStep.partition;
  if (partition !== undefined) bases = bases.filter((b) => isUnder(b, partition.dn));
  // A container inside another one would be read twice.
  return bases.filter((b, i) => !bases.some((other, j) => j !== i && isUnder(b, other) && !(isUnder(other, b) && j > i)));
}

function methodOf(config: LdapConfig): WatermarkMethod | undefined {
  return config.deltaMethod === 'none' ? undefined : config.deltaMethod;
}

/** Greatest of a value across a paged search, holding one page at a time. */
async function maxOver(connection: LdapConnection, base: string, filter: string, attribute: string, pageSize: number, later: (a: string, b: string) => string): Promise<string> {
  let max = '';
  for await (const page of connection.searchPages(base, { scope: 'one', filter, attributes: [attribute] }, pageSize)) {
    for (const entry of page) {
      const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === attribute.toLowerCase());
      const value = key === undefined ? undefined : entry.attributes[key]?.[0]?.toString();
      if (value !== undefined) max = later(max, value);
    }
  }
  return max;
}

const laterTime = (a: string, b: string) => (a >= b ? a : b);

/**
 * The change log position now, taken before a full import reads anything so that a change made
 * during the import is seen again by the next delta rather than lost.
 */
async function currentPosition(connection: LdapConnection, method: WatermarkMethod, ctx: ImportContext): Promise<string> {
  const logDn = changeLogDnOf(ctx.config, ctx.discovery.server);
  if (method === 'accesslog') {
    // The latest reqStart is among recent entries when there are any; the time window keeps the
    // search short and is only a hint, so a skewed clock costs a longer search, never a wrong answer.
    const recent = toGeneralizedTime(new Date(Date.now() - 3_600_000).toISOString());
    const found = await maxOver(connection, logDn, `(reqStart>=${escapeFilterValue(recent)})`, 'reqStart', 1000, laterTime);
    return found !== '' ? found : maxOver(connection, logDn, '(reqStart=*)', 'reqStart', 1000, laterTime);
  }
  if (method === 'changelog') {
    const root = await connection.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['lastChangeNumber'] });
    const last = root[0] === undefined ? undefined : Object.entries(root[0].attributes).find(([k]) => k.toLowerCase() === 'lastchangenumber')?.[1]?.[0]?.toString();
    return last ?? maxOver(connection, logDn, '(changeNumber>=0)', 'changeNumber', 1000, laterChangeNumber);
  }
  if (method === 'usnChanged') {
    // AD's Root DSE names the server's latest USN; a server without it (slapd standing in) leaves
    // the import to take the highest uSNChanged it reads.
    const root = await connection.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['highestCommittedUSN'] });
    return root[0] === undefined ? '' : (Object.entries(root[0].attributes).find(([k]) => k.toLowerCase() === 'highestcommittedusn')?.[1]?.[0]?.toString() ?? '');
  }
  return '';
}

/**
 * The most entries handed to the host per call: a page of the directory's entries is read whole,
 * its import entries are built a slice at a time as the host takes them, so that they die young
 * instead of living through the page (decision 026, as the generic SQL connector does).
 */
export const ENTRY_SLICE = 100;

/** Entries of a page not handed to the host yet. */
interface Pending {
  /** The next entries, at most `max`. */
  take(max: number): ImportEntry[];
  /** Whether anything of the page is left to take. */
  readonly left: boolean;
}

/** A page of `items`, each turned into an entry (or left out: `undefined`) when the host takes it. */
function pendingOf<T>(items: readonly T[], toEntry: (item: T) => ImportEntry | undefined): Pending {
  let at = 0;
  return {
    take(max) {
      const entries: ImportEntry[] = [];
      while (at < items.length && entries.length < max) {
        const entry = toEntry(items[at++]!);
        if (entry !== undefined) entries.push(entry);
      }
      return entries;
    },
    get left() {
      return at < items.length;
    },
  };
}

/** A page whose entries are already built (deltas from a change log, tombstones). */
const built = (entries: readonly ImportEntry[]): Pending => pendingOf(entries, (entry) => entry);

/** Opens an import run over a leased pooled connection, released on close. */
export async function openImportSession(ctx: ImportContext, runStep: ImportRunStep): Promise<ImportSession> {
  const { config, discovery } = ctx;
  const directoryTypes = runStep.schema.objectTypes.filter((t) => discovery.schema.objectClass(t.name)?.kind === 'structural');
  if (directoryTypes.length === 0) throw new ConnectorError('invalid-configuration', `none of the object types ${runStep.schema.objectTypes.map((t) => t.name).join(', ')} is a structural class of the directory`);
  const method = methodOf(config);
  const delta = runStep.type === 'delta';
  if (delta && method === undefined) throw new ConnectorError('not-supported', 'delta import is turned off (Delta import: none); run a full import');
  const start: Watermark | undefined = delta && method !== undefined ? parseWatermark(runStep.watermark, method) : undefined;
  const bases = importBases(runStep, config.containers, ctx.partitions);
  const exclusions = (runStep.inclusions === undefined ? [] : (runStep.exclusions ?? [])).map((n) => n.dn);
  // Base and exclusion keys once per session, each entry's DN parsed once.
  const baseKeys = bases.map(rdnKeys);
  const exclusionKeys = exclusions.map(rdnKeys);
  const excludedKeys = (keys: readonly string[]) => exclusionKeys.some((x) => keysUnder(keys, x));
  const excluded = (dn: string) => exclusionKeys.length > 0 && excludedKeys(rdnKeys(dn));
  const inScope = (dn: string) => {
    const keys = rdnKeys(dn);
    return baseKeys.some((b) => keysUnder(keys, b)) && !excludedKeys(keys);
  };
  const tracked = method === 'modifyTimestamp' ? 'modifyTimestamp' : method === 'usnChanged' ? 'uSNChanged' : undefined;
  const { attributes, binary } = requestedAttributes(directoryTypes, config.anchor, tracked === undefined ? [] : [tracked]);
  const filter = objectClassFilter(directoryTypes);
  const paged = discovery.server.supportedControls.has(OID.pagedResults);
  const pageSize = Math.max(1, runStep.pageSize);

  const lease = await ctx.pool.lease().catch((error: unknown) => {
    throw connectorErrorOf(error, 'import');
  });
  const { connection } = lease;
  let position = '';
  try {
    if (method !== undefined && !delta) position = await currentPosition(connection, method, ctx);
  } catch (error) {
    lease.release();
    throw unreadableChangeLog(error, config, changeLogDnOf(config, discovery.server)) ?? connectorErrorOf(error, `reading the change log position (${method ?? ''})`);
  }
  if (start !== undefined) position = start.position;
  // A full import without a server-wide position takes the latest value it reads (modifyTimestamp,
  // or uSNChanged on a server whose Root DSE has no highestCommittedUSN).
  const trackSeen = tracked !== undefined && (delta || position === '');
  const later = method === 'usnChanged' ? laterChangeNumber : laterTime;
  const track = (page: readonly LdapEntry[]) => {
    if (tracked !== undefined && trackSeen) for (const e of page) position = later(position, firstValue(e, tracked) ?? '');
  };

  // AD cuts a large multi-valued attribute (a group's member) into ranges: each entry is
  // completed with follow-up reads before it is mapped (range-retrieval.ts).
  const readRange = async (dn: string, request: string) =>
    (await connection.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [request], binaryAttributes: binary }))[0];
  const completed = async <T extends LdapEntry | undefined>(entry: T): Promise<T> => {
    if (entry !== undefined && hasRanges(entry)) await completeRanges(entry, readRange);
    return entry;
  };

  async function* search(base: string, searchFilter: string, scope: 'sub' | 'one', attrs: string[], showDeleted = false): AsyncGenerator<LdapEntry[]> {
    const options = { scope, filter: searchFilter, attributes: attrs, binaryAttributes: binary, ...(showDeleted ? { showDeleted } : {}) };
    if (paged) {
      for await (const page of connection.searchPages(base, options, pageSize)) {
        for (const entry of page) if (hasRanges(entry)) await completeRanges(entry, readRange);
        yield page;
      }
      return;
    }
    // Without the paged results control the server sends everything at once (Microsoft's
    // connector does the same); the entries are still handed to the host page by page.
    const all = await connection.search(base, options);
    for (const entry of all) if (hasRanges(entry)) await completeRanges(entry, readRange);
    for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
  }

  const read = async (dn: string): Promise<LdapEntry | undefined> => {
    try {
      const [entry] = await connection.search(dn, { scope: 'base', filter: filter, attributes, binaryAttributes: binary });
      return await completed(entry);
    } catch (error) {
      if (isLdapOperationError(error) && error.resultCode === 32) return undefined;
      throw error;
    }
  };
  const mapper = createEntryMapper(directoryTypes, discovery.schema, config.anchor, config.emptyGroupMember);
  // Entries come from searches with the types' objectClass filter: with one type they are of it.
  const onlyType = directoryTypes.length === 1 ? directoryTypes[0] : undefined;
  const typeOf = (entry: LdapEntry) => onlyType ?? mapper.classify(entry);
  const full = (entry: LdapEntry, modification: 'add' | 'replace'): ImportEntry[] => {
    const type = typeOf(entry);
    return type === undefined ? [] : [mapper.toImportEntry(entry, type, modification)];
  };
  /**
   * A page of a search as import entries, leaving out the excluded containers and the entries of
   * no type, each built when the host takes it.
   */
  const pageOf = (page: readonly LdapEntry[], modification: 'add' | 'replace'): Pending =>
    pendingOf(page, (entry) => {
      const type = excluded(entry.dn) ? undefined : typeOf(entry);
      return type === undefined ? undefined : mapper.toImportEntry(entry, type, modification);
    });
  const removal = (record: ChangeRecord, dn: string): ImportEntry[] => {
    const old = record.oldObjectClasses === undefined ? undefined : mapper.classify({ dn, attributes: { objectClass: record.oldObjectClasses } });
    if (record.oldObjectClasses !== undefined && old === undefined) return [];
    const objectType = (old ?? directoryTypes[0])?.name ?? '';
    if (config.anchor === DN_ATTRIBUTE) return [{ objectType, modification: 'delete', dn, anchor: { [DN_ATTRIBUTE]: dn }, attributeChanges: [] }];
    if (record.uniqueId === undefined) {
      return [{ objectType, modification: 'delete', dn, anchor: {}, attributeChanges: [], error: { code: 'missing-anchor', message: `the change log does not record the ${config.anchor} of deleted ${dn}; run a full import` } }];
    }
    return [{ objectType, modification: 'delete', dn, anchor: { [config.anchor]: record.uniqueId }, attributeChanges: [] }];
  };

  const fromRecord = async (record: ChangeRecord): Promise<ImportEntry[]> => {
    switch (record.kind) {
      case 'add':
      case 'modify': {
        if (!inScope(record.dn)) return [];
        const entry = await read(record.dn);
        // Gone since: a later delete or rename in the log reports it.
        return entry === undefined ? [] : full(entry, record.kind === 'add' ? 'add' : 'replace');
      }
      case 'delete':
        return inScope(record.dn) ? removal(record, record.dn) : [];
      case 'rename': {
        const newDn = record.newDn ?? record.dn;
        const entry = inScope(newDn) ? await read(newDn) : undefined;
        const after = entry === undefined ? [] : full(entry, config.anchor === DN_ATTRIBUTE ? 'add' : 'replace');
        // With the DN as anchor a rename is a new object; with an ID anchor only when it moved out of scope.
        const before = inScope(record.dn) && (config.anchor === DN_ATTRIBUTE || entry === undefined) ? removal(record, record.dn) : [];
        return [...before, ...after];
      }
    }
  };

  async function* fullSource(): AsyncGenerator<Pending> {
    for (const base of bases) {
      try {
        for await (const page of search(base, filter, 'sub', attributes)) {
          track(page);
          // Entries of a subtree search are under its base: only exclusions remain to check.
          yield pageOf(page, 'add');
        }
      } catch (error) {
        if (isLdapOperationError(error) && error.resultCode === 32) throw new ConnectorError('invalid-configuration', `the container ${base} does not exist on the server`, { parameter: 'containers', cause: error });
        throw error;
      }
    }
  }

  /**
   * Deletes since USN `after`, from the tombstones in each partition's `CN=Deleted Objects` (AD
   * keeps the anchor and objectClass of a deleted object there). Without read access to that
   * container no delete is seen: full imports then find them.
   */
  async function* tombstones(after: string): AsyncGenerator<Pending> {
    if (config.anchor === DN_ATTRIBUTE) return; // a tombstone's DN is not the object's DN any more
    const tombstoneAttributes = [config.anchor, 'objectClass', 'uSNChanged', 'lastKnownParent'];
    for (const container of deletedObjectsContainers(bases, ctx.partitions)) {
      const pages = search(container, deletedFilter(filter, after), 'one', tombstoneAttributes, true);
      try {
        for await (const page of pages) {
          track(page);
          const entries: ImportEntry[] = [];
          for (const entry of page) {
            const parent = firstValue(entry, 'lastKnownParent');
            const type = mapper.classify(entry);
            const anchor = anchorOf(entry, config.anchor);
            if (type === undefined || anchor === undefined || (parent !== undefined && !inScope(parent))) continue;
            entries.push({ objectType: type.name, modification: 'delete', dn: entry.dn, anchor: { [config.anchor]: anchor }, attributeChanges: [] });
          }
          yield built(entries);
        }
      } catch (error) {
        if (isLdapOperationError(error) && error.resultCode !== undefined && [32, 50].includes(error.resultCode)) {
          ctx.log.warn({ container }, `deleted objects are not readable in ${container} (${error.message}); deletes are found by full imports only`);
          continue;
        }
        throw error;
      }
    }
  }

  async function* deltaSource(): AsyncGenerator<Pending> {
    const logDn = changeLogDnOf(config, discovery.server);
    if (method === 'modifyTimestamp') {
      const since = position === '' ? filter : `(&${filter}(modifyTimestamp>=${escapeFilterValue(position)}))`;
      for (const base of bases) {
        for await (const page of search(base, since, 'sub', attributes)) {
          track(page);
          yield pageOf(page, 'replace');
        }
      }
      return;
    }
    if (method === 'usnChanged') {
      const after = position;
      for (const base of bases) {
        for await (const page of search(base, usnFilter(filter, after), 'sub', attributes)) {
          track(page);
          yield pageOf(page, 'replace');
        }
      }
      yield* tombstones(after);
      return;
    }
    const accesslog = method === 'accesslog';
    const logFilter = accesslog ? accesslogFilter(position) : changelogFilter(position);
    const logAttributes = accesslog ? ACCESSLOG_ATTRIBUTES : CHANGELOG_ATTRIBUTES;
    try {
      for await (const page of connection.searchPages(logDn, { scope: 'one', filter: logFilter, attributes: logAttributes }, pageSize)) {
        const entries: ImportEntry[] = [];
        for (const raw of page) {
          const record = accesslog ? parseAccesslogEntry(raw) : parseChangelogEntry(raw);
          if (record === undefined) continue;
          entries.push(...(await fromRecord(record)));
          position = accesslog ? laterTime(position, record.position) : laterChangeNumber(position, record.position);
        }
        yield built(entries);
      }
    } catch (error) {
      throw unreadableChangeLog(error, config, logDn) ?? error;
    }
  }

  const source = delta ? deltaSource() : fullSource();
  let pending: Pending = built([]);
  let finished = false;
  // The next page, asked for as soon as a page arrives: the server reads it while the host stores
  // this page's slices. One page ahead at most, so an import still holds two pages at a time
  // whatever its size.
  let ahead: Promise<IteratorResult<Pending>> | undefined;
  const readAhead = () => {
    const next = source.next();
    // Its failure is reported by the getEntries that takes the page (or dropped by close).
    next.catch(() => undefined);
    return next;
  };
  const watermark = () => (method === undefined ? undefined : formatWatermark({ method, position }));

  return {
    async getEntries() {
      if (ctx.signal.aborted) throw new ConnectorError('stop-run', 'The import was cancelled by the host.');
      if (!pending.left && !finished) {
        const next = ahead ?? readAhead();
        ahead = undefined;
        try {
          const page = await next;
          if (page.done === true) finished = true;
          else {
            pending = page.value;
            ahead = readAhead();
          }
        } catch (error) {
          throw isLdapOperationError(error) ? connectorErrorOf(error, `${runStep.type} import`) : error;
        }
      }
      const entries = pending.take(ENTRY_SLICE);
      const more = !(finished && !pending.left);
      const w = watermark();
      return more || w === undefined ? { entries, more } : { entries, more, watermark: w };
    },
    async close(reason) {
      // A page read ahead finishes first (the generator queues the return after it), so the
      // connection goes back to the pool with no search running on it.
      await source.return(undefined).catch(() => undefined);
      lease.release();
      const w = watermark();
      return reason === 'normal' && finished && w !== undefined ? { watermark: w } : undefined;
    },
  };
}

function firstValue(entry: LdapEntry, name: string): string | undefined {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : entry.attributes[key]?.[0]?.toString();
}
