import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue } from '@ecmahost/sdk';
import { isSecret } from '@ecmahost/sdk';
import { servedTypesOf } from '../config/connector-config.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { DATA_DIR_MODE, DATA_FILE_MODE, syncFolder } from '../store/files.js';
import type { CachedObject } from './cached-object.js';
import { PackedObject, TimeStrings, decodeBinary, encodeBody, encodeIndexed } from './packed-object.js';

/** Written in every header; a file without it is not a snapshot. */
const FORMAT = 'ecmahost-connector-space';

/**
 * The layout version. A file of another version is refused (and replaced after the next import),
 * never read: bump it whenever the line layout or the meaning of a field changes.
 */
export const SNAPSHOT_VERSION = 2;

/** Bytes gathered before one write: few system calls, and never one giant string (decision 021). */
const CHUNK_BYTES = 1 << 20;

/**
 * Test-only: milliseconds to sleep after each chunk written, so that a test can kill the host
 * while a snapshot is half-written. Not a setting for admins (docs/admin/operations.md).
 */
const PAUSE_ENV = 'ECMAHOST_TEST_SNAPSHOT_PAUSE_MS';

/** The first line of a snapshot. */
interface SnapshotHeader {
  format: typeof FORMAT;
  version: number;
  connector: string;
  objectType: string;
  configHash: string;
  /** The indexed attributes whose values every object line carries ahead of its body. */
  indexes: string[];
  /** The watermark the space was read at: the delta that refreshes it starts there. */
  watermark: string | null;
  writtenAt: string;
}

/** Where a read puts what it reads (a {@link Generation} being restored). */
export interface SnapshotSink {
  /** Called once, before any object: the indexed attributes whose values each object comes with. */
  indexes(names: readonly string[]): void;
  /** One object, still packed, with the values of those attributes it holds. */
  object(object: PackedObject, indexed: Record<string, AttributeValue[]>): void;
}

/** What reading a snapshot gave: its objects went to the sink, or why it was refused. */
export type SnapshotRead =
  | { ok: true; objects: number; watermark: string | undefined; writtenAt: string }
  | { ok: false; reason: string };

/**
 * The connector space of one object type of one connector instance, kept across restarts in
 * `<stateDir>/<connector>.<objectType>.space.ndjson` (decision 021): a header line, one line per
 * object (a short JSON head `[id, {indexed attribute: values}]`, a tab, the JSON body), and a
 * footer line with the object count and the SHA-256 of every byte before it.
 * Written whole after an import, atomically (temporary file, fsync, rename, folder fsync), so a
 * crash leaves the previous snapshot or the new one; read line by line, so neither side ever holds
 * the space as one string.
 */
export class SnapshotFile {
  /** Undefined without a state directory: nothing is kept. */
  readonly file: string | undefined;
  readonly #connector: string;
  readonly #objectType: string;
  readonly #configHash: string;

  constructor(stateDir: string | undefined, connector: string, objectType: string, configHash: string) {
    this.file = stateDir === undefined ? undefined : path.join(stateDir, `${encodeURIComponent(connector)}.${encodeURIComponent(objectType)}.space.ndjson`);
    this.#connector = connector;
    this.#objectType = objectType;
    this.#configHash = configHash;
  }

  /**
   * Replaces the snapshot with `objects`, read at `watermark`, carrying the values of the `indexes`
   * (the ones built, so that a restart has them without decoding the objects). Resolves with the
   * object count and the file's size; rejects (leaving the previous snapshot) when the file cannot
   * be written.
   */
  async write(objects: Iterable<CachedObject>, indexes: readonly string[], watermark: string | undefined): Promise<{ objects: number; bytes: number }> {
    const file = this.file;
    if (file === undefined) return { objects: 0, bytes: 0 };
    const folder = path.dirname(file);
    await mkdir(folder, { recursive: true, mode: DATA_DIR_MODE });
    const pauseMs = Number(process.env[PAUSE_ENV] ?? 0);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    let count = 0;
    let bytes = 0;
    try {
      const handle = await open(temp, 'wx', DATA_FILE_MODE);
      try {
        const flush = async (text: string): Promise<void> => {
          const buffer = Buffer.from(text, 'utf8');
          hash.update(buffer);
          bytes += buffer.length;
          await handle.write(buffer);
          if (pauseMs > 0) await sleep(pauseMs);
        };
        const header: SnapshotHeader = { format: FORMAT, version: SNAPSHOT_VERSION, connector: this.#connector, objectType: this.#objectType, configHash: this.#configHash, indexes: [...indexes], watermark: watermark ?? null, writtenAt: new Date().toISOString() };
        let chunk = `${JSON.stringify(header)}\n`;
        for (const object of objects) {
          // JSON escapes every control character, so the tab can only be the separator.
          chunk += `${JSON.stringify([object.id, encodeIndexed(object, indexes)])}\t${encodeBody(object)}\n`;
          count++;
          if (chunk.length >= CHUNK_BYTES) {
            await flush(chunk);
            chunk = '';
          }
        }
        await flush(chunk);
        const footer = Buffer.from(`${JSON.stringify({ end: true, objects: count, sha256: hash.digest('hex') })}\n`, 'utf8');
        bytes += footer.length;
        await handle.write(footer);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncFolder(folder);
    return { objects: count, bytes };
  }

  /**
   * Reads the snapshot, giving each object to `sink` as it is read, packed: only its head (id and
   * indexed values) is parsed. The file is only known whole at its footer: when the result is
   * `ok: false` (no file, another version, configuration or object type, a torn or altered file),
   * the objects already given must be dropped. Removes the temporary files of writes a crash
   * interrupted.
   */
  async read(sink: SnapshotSink): Promise<SnapshotRead> {
    const file = this.file;
    if (file === undefined) return { ok: false, reason: 'no state directory' };
    await this.#removeInterruptedWrites(file);
    const hash = createHash('sha256');
    let header: SnapshotHeader | undefined;
    let footer: { objects: number; sha256: string } | undefined;
    let objects = 0;
    let refused: string | undefined;
    const times = new TimeStrings();
    // Lines split on the bytes, so the checksum covers exactly what was written. `end` is the
    // newline's position; each object keeps the chunk and its offsets, not a Buffer of its own.
    const onLine = (chunk: Buffer, start: number, end: number): boolean => {
      if (footer !== undefined) {
        refused = 'data after the footer';
        return false;
      }
      if (header === undefined) {
        const result = parseHeader(chunk.subarray(start, end));
        if (typeof result === 'string') refused = result;
        else refused = this.#mismatch(result);
        header = typeof result === 'string' ? undefined : result;
        if (header !== undefined && refused === undefined) sink.indexes(header.indexes);
        return true;
      }
      if (chunk[start] === 0x7b /* { */) {
        footer = parseFooter(chunk.subarray(start, end));
        if (footer === undefined) refused = 'unreadable footer';
        return false;
      }
      refused = decodeHead(chunk, start, end, times, sink);
      objects++;
      return true;
    };
    try {
      let rest: Buffer | undefined;
      for await (const data of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
        const chunk: Buffer = rest === undefined ? (data as Buffer) : Buffer.concat([rest, data as Buffer]);
        let start = 0;
        // The header and object lines are hashed a chunk at a time; the footer is not hashed.
        let hashed = 0;
        for (let end = chunk.indexOf(0x0a, start); end !== -1 && refused === undefined; end = chunk.indexOf(0x0a, start)) {
          if (onLine(chunk, start, end)) hashed = end + 1;
          start = end + 1;
        }
        hash.update(chunk.subarray(0, hashed));
        if (refused !== undefined) break;
        rest = start < chunk.length ? chunk.subarray(start) : undefined;
      }
      if (refused === undefined && rest !== undefined) refused = 'the last line is incomplete (torn write)';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'no snapshot' };
      return { ok: false, reason: `unreadable: ${(error as Error).message}` };
    }
    if (refused !== undefined) return { ok: false, reason: refused };
    if (header === undefined) return { ok: false, reason: 'empty file' };
    if (footer === undefined) return { ok: false, reason: 'no footer (torn write)' };
    if (footer.objects !== objects) return { ok: false, reason: `the footer counts ${footer.objects} objects, the file holds ${objects}` };
    if (footer.sha256 !== hash.digest('hex')) return { ok: false, reason: 'checksum mismatch' };
    return { ok: true, objects, watermark: header.watermark ?? undefined, writtenAt: header.writtenAt };
  }

  /** Why a well-formed header does not belong to this connector's current configuration. */
  #mismatch(header: SnapshotHeader): string | undefined {
    if (header.version !== SNAPSHOT_VERSION) return `format version ${header.version}, this host reads ${SNAPSHOT_VERSION}`;
    if (header.connector !== this.#connector || header.objectType !== this.#objectType) return `written for ${header.connector}/${header.objectType}`;
    if (header.configHash !== this.#configHash) return 'written under another configuration (object type, anchor, attributes, mapping, parameters or connector version changed)';
    return undefined;
  }

  async #removeInterruptedWrites(file: string): Promise<void> {
    const prefix = `${path.basename(file)}.`;
    let names: string[];
    try {
      names = await readdir(path.dirname(file));
    } catch {
      return;
    }
    for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) await rm(path.join(path.dirname(file), name), { force: true });
  }
}

/**
 * The hash that ties a snapshot to what shaped its objects: the connector package and its version,
 * the object type, anchor, DN rule, attributes, SCIM mapping and the parameters (another table or
 * base DN is another space). Secret values are left out: a rotated password changes no object.
 */
export function spaceConfigHash(config: ConnectorInstanceConfig, connectorPackage: { name: string; version: string }): string {
  const parameters = Object.entries(config.parameters)
    .map(([name, value]) => [name, isSecret(value) ? 'secret' : value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const shape = {
    package: config.package,
    connector: connectorPackage,
    // Every served type: a type added, removed or changed makes every file of the connector stale.
    types: servedTypesOf(config).map(({ objectType, anchor, dn, attributes, scimMapping, resourceType }) => ({ objectType, anchor, dn, attributes, scimMapping: scimMapping ?? null, resourceType: resourceType ?? null })),
    parameters,
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

/** Stands for the anchor when only the head's values are decoded (no object per line). */
const NO_ANCHOR = Object.freeze({});

/**
 * Parses the head of an object line and gives the object, its body left packed, to `sink`; or says
 * why the line is refused. A line starts with `[`, never like the footer's `{`.
 */
function decodeHead(chunk: Buffer, start: number, end: number, times: TimeStrings, sink: SnapshotSink): string | undefined {
  const tab = chunk.indexOf(0x09, start);
  if (tab === -1 || tab > end) return 'an object line without its body';
  let head: unknown;
  try {
    head = JSON.parse(chunk.toString('utf8', start, tab));
  } catch {
    return 'an unreadable object line';
  }
  if (!Array.isArray(head) || typeof head[0] !== 'string' || typeof head[1] !== 'object' || head[1] === null) return 'an unreadable object line';
  const indexed = head[1] as Record<string, AttributeValue[]>;
  decodeBinary(NO_ANCHOR, indexed);
  // The sink refuses what the checksum cannot: a file that holds an object twice.
  try {
    sink.object(new PackedObject(head[0], chunk, tab + 1, end, times), indexed);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

function parseHeader(line: Buffer): SnapshotHeader | string {
  let header: Partial<SnapshotHeader>;
  try {
    header = JSON.parse(line.toString('utf8')) as Partial<SnapshotHeader>;
  } catch {
    return 'unreadable header';
  }
  if (header.format !== FORMAT) return 'not a connector space snapshot';
  if (typeof header.version !== 'number' || typeof header.configHash !== 'string' || typeof header.writtenAt !== 'string') return 'incomplete header';
  // A version-1 header has no index list; the version check refuses it with its own reason.
  if (header.version === SNAPSHOT_VERSION && (!Array.isArray(header.indexes) || !header.indexes.every((name) => typeof name === 'string'))) return 'incomplete header';
  return header as SnapshotHeader;
}

function parseFooter(line: Buffer): { objects: number; sha256: string } | undefined {
  try {
    const footer = JSON.parse(line.toString('utf8')) as { end?: unknown; objects?: unknown; sha256?: unknown };
    return footer.end === true && typeof footer.objects === 'number' && typeof footer.sha256 === 'string' ? { objects: footer.objects, sha256: footer.sha256 } : undefined;
  } catch {
    return undefined;
  }
}
