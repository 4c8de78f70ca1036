import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';
import { isSecret } from '@ecmahost/sdk';
import { servedTypesOf } from '../config/connector-config.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { DATA_DIR_MODE, DATA_FILE_MODE, syncFolder } from '../store/files.js';
import type { CachedObject } from './cached-object.js';

/** Written in every header; a file without it is not a snapshot. */
const FORMAT = 'ecmahost-connector-space';

/**
 * The layout version. A file of another version is refused (and replaced after the next import),
 * never read: bump it whenever the line layout or the meaning of a field changes.
 */
export const SNAPSHOT_VERSION = 1;

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
  /** The watermark the space was read at: the delta that refreshes it starts there. */
  watermark: string | null;
  writtenAt: string;
}

/** What reading a snapshot gave: its objects went to `onObject`, or why it was refused. */
export type SnapshotRead =
  | { ok: true; objects: number; watermark: string | undefined; writtenAt: string }
  | { ok: false; reason: string };

/**
 * The connector space of one object type of one connector instance, kept across restarts in
 * `<stateDir>/<connector>.<objectType>.space.ndjson` (decision 021): a header line, one JSON array
 * per object, and a footer line with the object count and the SHA-256 of every byte before it.
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
   * Replaces the snapshot with `objects`, read at `watermark`. Resolves with the object count and
   * the file's size; rejects (leaving the previous snapshot) when the file cannot be written.
   */
  async write(objects: Iterable<CachedObject>, watermark: string | undefined): Promise<{ objects: number; bytes: number }> {
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
        const header: SnapshotHeader = { format: FORMAT, version: SNAPSHOT_VERSION, connector: this.#connector, objectType: this.#objectType, configHash: this.#configHash, watermark: watermark ?? null, writtenAt: new Date().toISOString() };
        let chunk = `${JSON.stringify(header)}\n`;
        for (const object of objects) {
          chunk += `${encodeObject(object)}\n`;
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
   * Reads the snapshot, giving each object to `onObject` as it is read. The file is only known
   * whole at its footer: when the result is `ok: false` (no file, another version, configuration
   * or object type, a torn or altered file), the objects already given must be dropped. Removes the
   * temporary files of writes a crash interrupted.
   */
  async read(onObject: (object: CachedObject) => void): Promise<SnapshotRead> {
    const file = this.file;
    if (file === undefined) return { ok: false, reason: 'no state directory' };
    await this.#removeInterruptedWrites(file);
    const hash = createHash('sha256');
    let header: SnapshotHeader | undefined;
    let footer: { objects: number; sha256: string } | undefined;
    let objects = 0;
    let refused: string | undefined;
    const times = new TimeStrings();
    // Lines split on the bytes, so the checksum covers exactly what was written.
    const onLine = (line: Buffer): void => {
      if (footer !== undefined) {
        refused = 'data after the footer';
        return;
      }
      if (header === undefined) {
        hash.update(line);
        const result = parseHeader(line);
        if (typeof result === 'string') refused = result;
        else refused = this.#mismatch(result);
        header = typeof result === 'string' ? undefined : result;
        return;
      }
      if (line[0] === 0x7b /* { */) {
        footer = parseFooter(line);
        if (footer === undefined) refused = 'unreadable footer';
        return;
      }
      hash.update(line);
      onObject(decodeObject(line, times));
      objects++;
    };
    try {
      let rest: Buffer | undefined;
      for await (const data of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
        const chunk: Buffer = rest === undefined ? (data as Buffer) : Buffer.concat([rest, data as Buffer]);
        let start = 0;
        for (let end = chunk.indexOf(0x0a, start); end !== -1 && refused === undefined; end = chunk.indexOf(0x0a, start)) {
          onLine(chunk.subarray(start, end + 1));
          start = end + 1;
        }
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

/** `[id, anchor, attributes, created, lastModified, dn?]`: an array line never starts like the footer. */
function encodeObject(o: CachedObject): string {
  const binary = hasBinary(o);
  const anchor = binary ? mapValues(o.anchor, encodeValue) : o.anchor;
  const attributes = binary ? mapValues(o.attributes, (values) => values.map(encodeValue)) : o.attributes;
  return JSON.stringify(o.dn === undefined ? [o.id, anchor, attributes, o.created, o.lastModified] : [o.id, anchor, attributes, o.created, o.lastModified, o.dn]);
}

/**
 * One string per distinct timestamp, as the import gives (one per page): `JSON.parse` makes two new
 * strings per object, about 80 bytes of heap per object that the cache would keep otherwise.
 */
class TimeStrings {
  readonly #seen = new Map<string, string>();

  intern(value: string): string {
    const known = this.#seen.get(value);
    if (known !== undefined) return known;
    // Objects written by SCIM writes have a timestamp each: keep the map small rather than complete.
    if (this.#seen.size >= 4096) this.#seen.clear();
    this.#seen.set(value, value);
    return value;
  }
}

function decodeObject(line: Buffer, times: TimeStrings): CachedObject {
  const [id, anchor, attributes, createdText, lastModifiedText, dn] = JSON.parse(line.toString('utf8')) as [string, AnchorValues, Record<string, AttributeValue[]>, string, string, string | undefined];
  const created = times.intern(createdText);
  const lastModified = times.intern(lastModifiedText);
  // Only binary values were written as objects; most objects have none and are kept as parsed.
  for (const name in anchor) if (typeof anchor[name] === 'object') anchor[name] = decodeValue(anchor[name]);
  for (const name in attributes) {
    const values = attributes[name]!;
    for (let i = 0; i < values.length; i++) if (typeof values[i] === 'object') values[i] = decodeValue(values[i]!);
  }
  return dn === undefined ? { id, anchor, attributes, created, lastModified } : { id, anchor, dn, attributes, created, lastModified };
}

function hasBinary(o: CachedObject): boolean {
  for (const name in o.anchor) if (typeof o.anchor[name] === 'object') return true;
  for (const name in o.attributes) for (const value of o.attributes[name]!) if (typeof value === 'object') return true;
  return false;
}

function encodeValue(value: AttributeValue): unknown {
  return typeof value === 'object' ? { b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } : value;
}

function decodeValue(value: unknown): Uint8Array {
  const b64 = (value as { b64?: unknown }).b64;
  if (typeof b64 !== 'string') throw new Error('a binary value without its base64');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const name in record) out[name] = map(record[name]!);
  return out;
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
