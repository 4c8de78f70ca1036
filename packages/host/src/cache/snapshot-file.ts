import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSecret } from '@ecmahost/sdk';
import { servedTypesOf } from '../config/connector-config.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { DATA_DIR_MODE, DATA_FILE_MODE, syncFolder } from '../store/files.js';
import type { Generation, SpaceView } from './generation.js';
import { PackedSpaceBuilder } from './packed-space.js';

/** Written in every header; a file without it is not a snapshot. */
const FORMAT = 'ecmahost-connector-space';

/**
 * The layout version. A file of another version is refused (and replaced after the next import),
 * never read: bump it whenever the line layout or the meaning of a field changes.
 */
export const SNAPSHOT_VERSION = 4;

/** Bytes per write: few system calls, and a test can stop the host between two of them. */
const WRITE_BYTES = 1 << 20;

/**
 * Bytes per read. The chunks read become the restored space's storage (decision 022), so they are
 * large: a million objects in a few dozen `Buffer`s.
 */
const READ_BYTES = 32 << 20;

/** Room before each block read for the end of a record the previous block cut. */
const HEADROOM = 64 * 1024;

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
  /** The attribute names the records' bodies write as numbers, in number order. */
  names: string[];
  /** The watermark the space was read at: the delta that refreshes it starts there. */
  watermark: string | null;
  writtenAt: string;
}

/** What reading a snapshot gave: its objects went to the sink, or why it was refused. */
export type SnapshotRead =
  | { ok: true; objects: number; watermark: string | undefined; writtenAt: string }
  | { ok: false; reason: string };

/**
 * The connector space of one object type of one connector instance, kept across restarts in
 * `<stateDir>/<connector>.<objectType>.space` (decisions 021 and 022): a JSON header line, the
 * packed records of the space's objects exactly as the cache holds them ({@link PackedSpace}), an
 * end mark (a zero length), and a JSON footer line with the object count and the SHA-256 of every
 * byte before it. Written whole after an import, atomically (temporary file, fsync, rename, folder
 * fsync), so a crash leaves the previous snapshot or the new one. Read in large chunks that become
 * the restored space's storage: nothing is decoded, and the first lookup is answered from the
 * bytes of the file.
 */
export class SnapshotFile {
  /** Undefined without a state directory: nothing is kept. */
  readonly file: string | undefined;
  readonly #connector: string;
  readonly #objectType: string;
  readonly #configHash: string;

  readonly #readBytes: number;

  /** `readBytes`: the block size of a read (tests make it small, to cut records at every place). */
  constructor(stateDir: string | undefined, connector: string, objectType: string, configHash: string, { readBytes = READ_BYTES }: { readBytes?: number } = {}) {
    this.#readBytes = readBytes;
    this.file = stateDir === undefined ? undefined : path.join(stateDir, `${encodeURIComponent(connector)}.${encodeURIComponent(objectType)}.space`);
    this.#connector = connector;
    this.#objectType = objectType;
    this.#configHash = configHash;
  }

  /**
   * Replaces the snapshot with the space `view` holds, read at `watermark`. The packed records are
   * written as they are; the overlay's objects are packed with the same carried indexes. Resolves
   * with the object count and the file's size; rejects (leaving the previous snapshot) when the
   * file cannot be written.
   */
  async write(view: SpaceView, watermark: string | undefined): Promise<{ objects: number; bytes: number }> {
    const file = this.file;
    if (file === undefined) return { objects: 0, bytes: 0 };
    const folder = path.dirname(file);
    await mkdir(folder, { recursive: true, mode: DATA_DIR_MODE });
    const pauseMs = Number(process.env[PAUSE_ENV] ?? 0);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    // Every record carries the same indexes: the packed space's, or the built ones when all is overlay.
    const carried = view.packed?.carried ?? view.indexes;
    // And the same attribute numbers: the packed space's (a restored one keeps its file's), else the generation's.
    const names = view.packed?.names ?? view.names;
    const overlay = new PackedSpaceBuilder(carried, names);
    for (const object of view.objects) overlay.appendObject(object);
    let count = view.objects.length;
    if (view.packed !== undefined) for (let slot = 0; slot < view.packed.count; slot++) count += view.gone[slot] === 1 ? 0 : 1;
    let bytes = 0;
    try {
      const handle = await open(temp, 'wx', DATA_FILE_MODE);
      try {
        const put = async (buffer: Buffer, hashed: boolean): Promise<void> => {
          for (let at = 0; at < buffer.length; at += WRITE_BYTES) {
            const part = buffer.subarray(at, Math.min(buffer.length, at + WRITE_BYTES));
            if (hashed) hash.update(part);
            bytes += part.length;
            await writeAll(handle, part);
            if (pauseMs > 0) await sleep(pauseMs);
          }
        };
        const header: SnapshotHeader = { format: FORMAT, version: SNAPSHOT_VERSION, connector: this.#connector, objectType: this.#objectType, configHash: this.#configHash, indexes: carried.map(({ name }) => name), names: [...names], watermark: watermark ?? null, writtenAt: new Date().toISOString() };
        await put(Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), true);
        if (view.packed !== undefined) for (const run of view.packed.runs(view.gone)) await put(run, true);
        for (const run of overlay.bytes()) await put(run, true);
        await put(Buffer.alloc(4), true);
        await put(Buffer.from(`${JSON.stringify({ end: true, objects: count, sha256: hash.digest('hex') })}\n`, 'utf8'), false);
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
   * Reads the snapshot into `generation` (empty, from {@link ConnectorCache.beginRestore}) and seals
   * it. The file is only known whole at its footer: when the result is `ok: false` (no file,
   * another version, configuration or object type, a torn or altered file, an id held twice) the
   * generation must be dropped. Removes the temporary files of writes a crash interrupted.
   */
  async read(generation: Generation): Promise<SnapshotRead> {
    const file = this.file;
    if (file === undefined) return { ok: false, reason: 'no state directory' };
    await this.#removeInterruptedWrites(file);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'no snapshot' };
      return { ok: false, reason: `unreadable: ${(error as Error).message}` };
    }
    try {
      return await this.#readOpen(handle, generation);
    } catch (error) {
      return { ok: false, reason: `unreadable: ${(error as Error).message}` };
    } finally {
      await handle.close();
    }
  }

  async #readOpen(handle: FileHandle, generation: Generation): Promise<SnapshotRead> {
    const size = (await handle.stat()).size;
    if (size === 0) return { ok: false, reason: 'empty file' };
    const hash = createHash('sha256');
    // The header line: short, but read until its newline whatever its length.
    let head = Buffer.alloc(0);
    let newline = -1;
    while (newline === -1 && head.length < size) {
      const more = Buffer.alloc(Math.min(64 * 1024, size - head.length));
      await readExactly(handle, more, head.length);
      head = Buffer.concat([head, more]);
      newline = head.indexOf(0x0a);
    }
    if (newline === -1) return { ok: false, reason: 'no footer (torn write)' };
    const parsed = parseHeader(head.subarray(0, newline));
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    const mismatch = this.#mismatch(parsed);
    if (mismatch !== undefined) return { ok: false, reason: mismatch };
    hash.update(head.subarray(0, newline + 1));
    const builder = generation.beginRestore(parsed.indexes, parsed.names);
    // Records, in blocks read one ahead of the parsing. Each block is read behind some headroom,
    // where the record the previous block cut is copied back, so a chunk is the block itself.
    let position = newline + 1;
    const readBlock = (at: number): Promise<Buffer> | undefined => {
      if (at >= size) return undefined;
      const block = Buffer.allocUnsafe(HEADROOM + Math.min(this.#readBytes, size - at));
      const read = readExactly(handle, block.subarray(HEADROOM), at).then(() => block);
      // Handled here too: a refusal returns (and closes the file) while the next block is in flight.
      read.catch(() => undefined);
      return read;
    };
    let next = readBlock(position);
    let carry: Buffer = Buffer.alloc(0);
    let tail: Buffer | undefined;
    while (tail === undefined) {
      if (next === undefined) return { ok: false, reason: carry.length === 0 ? 'no footer (torn write)' : 'the last record is incomplete (torn write)' };
      const block = await next;
      position += block.length - HEADROOM;
      next = readBlock(position);
      let chunk: Buffer = block;
      let start = HEADROOM - carry.length;
      if (carry.length <= HEADROOM) carry.copy(block, start);
      else {
        // A record longer than the headroom (a very large group): its bytes, then the block's.
        chunk = Buffer.concat([carry, block.subarray(HEADROOM)]);
        start = 0;
      }
      const done = builder.addRecords(builder.addChunk(chunk), start, chunk.length);
      if (typeof done === 'string') return { ok: false, reason: done };
      // `done` is where an incomplete record, or the end mark, starts.
      if (done + 4 <= chunk.length && chunk.readUInt32LE(done) === 0) {
        hash.update(chunk.subarray(start, done + 4));
        tail = chunk.subarray(done + 4);
      } else {
        hash.update(chunk.subarray(start, done));
        carry = chunk.subarray(done);
      }
    }
    // What follows the end mark: the footer line (perhaps cut by the block's end), and nothing after it.
    if (next !== undefined) {
      const block = await next;
      position += block.length - HEADROOM;
      tail = Buffer.concat([tail, block.subarray(HEADROOM)]);
    }
    if (position < size) return { ok: false, reason: 'data after the footer' };
    const end = tail.indexOf(0x0a);
    if (end === -1) return { ok: false, reason: 'no footer (torn write)' };
    if (end !== tail.length - 1) return { ok: false, reason: 'data after the footer' };
    const footer = parseFooter(tail.subarray(0, end));
    if (footer === undefined) return { ok: false, reason: 'unreadable footer' };
    if (footer.sha256 !== hash.digest('hex')) return { ok: false, reason: 'checksum mismatch' };
    if (footer.objects !== builder.count) return { ok: false, reason: `the footer counts ${footer.objects} objects, the file holds ${builder.count}` };
    try {
      generation.seal('refuse');
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    return { ok: true, objects: builder.count, watermark: parsed.watermark ?? undefined, writtenAt: parsed.writtenAt };
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
    for (const name of names) {
      // Format 2 files were named `.space.ndjson`; this host never reads them, so they go too.
      const stale = (name.startsWith(prefix) && name.endsWith('.tmp')) || name === `${path.basename(file)}.ndjson`;
      if (stale) await rm(path.join(path.dirname(file), name), { force: true });
    }
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

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((name) => typeof name === 'string');
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
  if (header.version === SNAPSHOT_VERSION && !(isNameList(header.indexes) && isNameList(header.names))) return 'incomplete header';
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

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  for (let at = 0; at < buffer.length; ) at += (await handle.write(buffer, at, buffer.length - at)).bytesWritten;
}

/** Fills `buffer` from `position`; a file shorter than expected (changed while read) is an error. */
async function readExactly(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let at = 0; at < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, at, buffer.length - at, position + at);
    if (bytesRead === 0) throw new Error('the file ended early');
    at += bytesRead;
  }
}
