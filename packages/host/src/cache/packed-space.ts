import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';
import type { CachedObject } from './cached-object.js';
import { indexKey } from './index-key.js';
import type { IndexedAttribute } from './index-key.js';

/**
 * The objects of a connector space that a full import or a snapshot gave, packed in a few large
 * `Buffer`s outside the JS heap (decision 022): per object one record of bytes, found by id and by
 * the values of the indexes it carries through hash tables in typed arrays. Nothing is allocated
 * per object until something reads it, and then the object is decoded afresh for that reader, so
 * the heap holds only what requests and writes are using: a million objects cost the GC nothing
 * to keep, and a restart maps the snapshot's bytes in without building an object per record.
 *
 * A space is immutable once sealed. Objects written afterwards (SCIM writes, delta imports) live
 * in the {@link Generation}'s overlay, which marks the records they replace or remove as gone.
 *
 * A record, all integers unsigned 32-bit little-endian unless said otherwise:
 * `length` (of the rest) · `idHash` `idLength` id · flags (u8: 1 = the body holds a DN) · for each
 * carried index: `count`, then per value `keyHash` `keyLength` key (the normalised index key,
 * UTF-8) · `bodyLength` body (see {@link encodeBody}) · created and lastModified (u8 length, ASCII
 * each). The hashes (FNV-1a of the bytes) are written with the record so that a restart builds its
 * tables without hashing a byte.
 */
export class PackedSpace {
  /** The indexes whose keys every record carries, in record order. */
  readonly carried: readonly IndexedAttribute[];
  /** The attribute names the bodies write as numbers ({@link encodeBody}). */
  readonly names: readonly string[];
  /** Records, including those gone. */
  readonly count: number;
  readonly #chunks: readonly Buffer[];
  readonly #chunkOf: Uint32Array;
  readonly #offsetOf: Uint32Array;
  readonly #ids: HashTable;
  readonly #keys: readonly KeyTable[];
  /** Records a later record with the same id or a delete of the import left behind. */
  readonly goneAtSeal: Uint8Array;
  readonly #times: TimeStrings;

  /** @internal Made by {@link PackedSpaceBuilder.seal}. */
  constructor(parts: { carried: readonly IndexedAttribute[]; names: readonly string[]; count: number; chunks: Buffer[]; chunkOf: Uint32Array; offsetOf: Uint32Array; ids: HashTable; keys: KeyTable[]; gone: Uint8Array }) {
    this.carried = parts.carried;
    this.names = parts.names;
    this.count = parts.count;
    this.#chunks = parts.chunks;
    this.#chunkOf = parts.chunkOf;
    this.#offsetOf = parts.offsetOf;
    this.#ids = parts.ids;
    this.#keys = parts.keys;
    this.goneAtSeal = parts.gone;
    this.#times = new TimeStrings();
  }

  /** The record with this id, or -1. */
  find(id: string): number {
    const wanted = Buffer.from(id, 'utf8');
    return this.#ids.find(wanted, (slot) => {
      const chunk = this.#chunks[this.#chunkOf[slot]!]!;
      const at = this.#offsetOf[slot]! + ID_AT;
      const length = chunk.readUInt32LE(at - 4);
      return length === wanted.length && wanted.compare(chunk, at, at + length) === 0;
    });
  }

  /** The records whose `index` (its position in {@link carried}) has the normalised key `key`. */
  findByKey(index: number, key: string): number[] {
    const wanted = Buffer.from(key, 'utf8');
    const table = this.#keys[index]!;
    return table.table.findAll(wanted, (pair) => {
      const slot = table.slotOf.at(pair);
      const chunk = this.#chunks[this.#chunkOf[slot]!]!;
      const at = table.keyAt.at(pair);
      const length = chunk.readUInt32LE(at - 4);
      return length === wanted.length && wanted.compare(chunk, at, at + length) === 0 ? slot : -1;
    });
  }

  /** The id of a record. */
  idOf(slot: number): string {
    const chunk = this.#chunks[this.#chunkOf[slot]!]!;
    const at = this.#offsetOf[slot]! + ID_AT;
    return chunk.toString('utf8', at, at + chunk.readUInt32LE(at - 4));
  }

  /** Whether the record's object has a DN (without decoding it). */
  hasDn(slot: number): boolean {
    const chunk = this.#chunks[this.#chunkOf[slot]!]!;
    const at = this.#offsetOf[slot]! + ID_AT;
    return (chunk[at + chunk.readUInt32LE(at - 4)]! & FLAG_DN) !== 0;
  }

  /** A new object decoded from the record: the caller may keep or change it. */
  decode(slot: number): CachedObject {
    const chunk = this.#chunks[this.#chunkOf[slot]!]!;
    const r = readRecord(chunk, this.#offsetOf[slot]!, this.carried.length);
    const id = chunk.toString('utf8', r.idStart, r.idEnd);
    const { anchor, attributes, dn } = decodeBody(chunk.toString('utf8', r.bodyStart, r.bodyEnd), this.names);
    const created = this.#times.intern(chunk.toString('latin1', r.createdStart, r.createdEnd));
    const lastModified = this.#times.intern(chunk.toString('latin1', r.modifiedStart, r.modifiedEnd));
    return dn === undefined ? { id, anchor, attributes, created, lastModified } : { id, anchor, dn, attributes, created, lastModified };
  }

  /** The record's parts as text, for a reader that writes its body out without decoding it. */
  text(slot: number): RecordText {
    const chunk = this.#chunks[this.#chunkOf[slot]!]!;
    const r = readRecord(chunk, this.#offsetOf[slot]!, this.carried.length);
    return {
      id: chunk.toString('utf8', r.idStart, r.idEnd),
      body: chunk.toString('utf8', r.bodyStart, r.bodyEnd),
      created: this.#times.intern(chunk.toString('latin1', r.createdStart, r.createdEnd)),
      lastModified: this.#times.intern(chunk.toString('latin1', r.modifiedStart, r.modifiedEnd)),
    };
  }

  /** Where the record's body and timestamps lie, for comparing and copying them without decoding. */
  locate(slot: number): PackedRecord {
    const chunk = this.#chunks[this.#chunkOf[slot]!]!;
    const record = readRecord(chunk, this.#offsetOf[slot]!, this.carried.length);
    const hasDn = this.hasDn(slot);
    return { chunk, record, dn: () => (hasDn ? (JSON.parse(chunk.toString('utf8', record.bodyStart, record.bodyEnd)) as [unknown, unknown, string])[2] : undefined) };
  }

  /**
   * The bytes of the records not in `gone`, in order, as runs of consecutive records (a snapshot
   * writes them as they are, without decoding a single object).
   */
  *runs(gone: Uint8Array): Generator<Buffer> {
    let run: { chunk: number; start: number; end: number } | undefined;
    for (let slot = 0; slot < this.count; slot++) {
      if (gone[slot] === 1) continue;
      const chunkIndex = this.#chunkOf[slot]!;
      const start = this.#offsetOf[slot]!;
      const end = start + 4 + this.#chunks[chunkIndex]!.readUInt32LE(start);
      if (run !== undefined && run.chunk === chunkIndex && run.end === start) run.end = end;
      else {
        if (run !== undefined) yield this.#chunks[run.chunk]!.subarray(run.start, run.end);
        run = { chunk: chunkIndex, start, end };
      }
    }
    if (run !== undefined) yield this.#chunks[run.chunk]!.subarray(run.start, run.end);
  }
}

/**
 * A packed record as text: its id, its body as {@link encodeBody} wrote it (read with the space's
 * {@link PackedSpace.names}) and its times.
 */
export interface RecordText {
  id: string;
  body: string;
  created: string;
  lastModified: string;
}

/** A packed object not decoded: its space and slot. */
export interface PackedRef {
  readonly space: PackedSpace;
  readonly slot: number;
}

/** Flag bits of a record. */
const FLAG_DN = 1;
/** Where a record's id starts, from the record's start (after its length, the id's hash and length). */
const ID_AT = 12;

/** Where the parts of one record lie in its chunk (absolute offsets). */
export interface RecordLayout {
  end: number;
  idStart: number;
  idEnd: number;
  bodyStart: number;
  bodyEnd: number;
  createdStart: number;
  createdEnd: number;
  modifiedStart: number;
  modifiedEnd: number;
}

function readRecord(chunk: Buffer, offset: number, indexes: number): RecordLayout {
  const end = offset + 4 + chunk.readUInt32LE(offset);
  const idStart = offset + ID_AT;
  const idEnd = idStart + chunk.readUInt32LE(idStart - 4);
  let at = idEnd + 1;
  for (let i = 0; i < indexes; i++) {
    const count = chunk.readUInt32LE(at);
    at += 4;
    for (let k = 0; k < count; k++) at += 8 + chunk.readUInt32LE(at + 4);
  }
  const bodyStart = at + 4;
  const bodyEnd = bodyStart + chunk.readUInt32LE(at);
  const createdStart = bodyEnd + 1;
  const createdEnd = createdStart + chunk[bodyEnd]!;
  const modifiedStart = createdEnd + 1;
  const modifiedEnd = modifiedStart + chunk[createdEnd]!;
  return { end, idStart, idEnd, bodyStart, bodyEnd, createdStart, createdEnd, modifiedStart, modifiedEnd };
}

/**
 * Builds a {@link PackedSpace}: from a full import ({@link appendObject}, {@link appendImported})
 * or from the bytes of a snapshot ({@link addChunk}, {@link addRecords}). The id and key tables are
 * built once, at {@link seal}.
 */
export class PackedSpaceBuilder {
  readonly carried: readonly IndexedAttribute[];
  readonly names: readonly string[];
  /** Each of {@link names} by its number. */
  readonly #numbers: ReadonlyMap<string, number>;
  readonly #chunks: Buffer[] = [];
  /** Bytes used in the last chunk, and in each chunk before it (appending only). */
  #used = 0;
  readonly #ends: number[] = [];
  /** Where the record being appended starts in the last chunk. */
  #recordStart = 0;
  readonly #chunkOf = new GrowableU32();
  readonly #offsetOf = new GrowableU32();
  /** Per carried index, (record, key offset) pairs. */
  readonly #pairs: { hashOf: GrowableU32; slotOf: GrowableU32; keyAt: GrowableU32 }[];
  /** Ids removed during the build, with the number of records before the removal. */
  readonly #removed: { id: string; before: number }[] = [];

  /** `names`: the attribute names the bodies write as numbers (the served type's kept attributes). */
  constructor(carried: readonly IndexedAttribute[], names: readonly string[] = []) {
    this.carried = carried;
    this.names = names;
    this.#numbers = new Map(names.map((name, i) => [name, i]));
    this.#pairs = carried.map(() => ({ hashOf: new GrowableU32(), slotOf: new GrowableU32(), keyAt: new GrowableU32() }));
  }

  get count(): number {
    return this.#offsetOf.length;
  }

  /** Appends a whole object (an object of the previous space, or one a write put). */
  appendObject(object: CachedObject): void {
    const body = encodeBody(object, this.#numbers);
    this.#append(object.id, object.attributes, body, object.dn !== undefined);
    this.#writeTimes(object.created, object.lastModified);
  }

  /**
   * Appends an imported object, keeping its `created` and `lastModified` from `before` (the live
   * space's object with this id) when the import found it unchanged: compared as the encoded
   * bytes, so an unchanged object of a re-import is never decoded.
   */
  appendImported(id: string, anchor: AnchorValues, attributes: ValuesByName, dn: string | undefined, now: string, before: Previous | undefined): void {
    const body = encodeParts(anchor, attributes, dn, this.#numbers);
    const { chunk, bodyStart, bodyEnd } = this.#append(id, attributes, body, dn !== undefined);
    if (before === undefined) return this.#writeTimes(now, now);
    if ('object' in before) {
      const old = before.object;
      return this.#writeTimes(old.created, encodeBody(old, this.#numbers) === body ? old.lastModified : now);
    }
    const old = before.record;
    if (old.bodyEnd - old.bodyStart === bodyEnd - bodyStart && before.chunk.compare(chunk, bodyStart, bodyEnd, old.bodyStart, old.bodyEnd) === 0) {
      // Unchanged: both timestamps copied as bytes.
      // #append kept room for any two timestamps, so they fit in this chunk.
      this.#used += before.chunk.copy(chunk, this.#used, old.createdStart - 1, old.modifiedEnd);
      this.#closeRecord();
      return;
    }
    this.#writeTimes(before.chunk.toString('latin1', old.createdStart, old.createdEnd), now);
  }

  /** Drops the object with this id appended so far (a delete in a full import). */
  remove(id: string): void {
    this.#removed.push({ id, before: this.count });
  }

  /** The bytes of the records appended so far, a view per chunk (a snapshot writes them as they are). */
  *bytes(): Generator<Buffer> {
    const last = this.#chunks.length - 1;
    for (let i = 0; i <= last; i++) yield i === last ? this.#chunks[i]!.subarray(0, this.#used) : this.#chunks[i]!.subarray(0, this.#ends[i]);
  }

  /** Adds a chunk of snapshot bytes; its records come through {@link addRecords}. Returns its number. */
  addChunk(chunk: Buffer): number {
    this.#chunks.push(chunk);
    this.#used = chunk.length;
    return this.#chunks.length - 1;
  }

  /**
   * Takes the complete records of `chunk` from `start` on, as a snapshot holds them; returns where
   * the first incomplete record starts (its bytes continue in the next chunk), or a reason when a
   * record cannot be what a writer wrote.
   */
  addRecords(chunkIndex: number, start: number, end: number): number | string {
    const chunk = this.#chunks[chunkIndex]!;
    const indexes = this.carried.length;
    let at = start;
    while (at + 4 <= end) {
      const length = u32(chunk, at);
      if (length === 0) return at;
      if (at + 4 + length > end) return at;
      const reason = this.#checkRecord(chunk, at, at + 4 + length, indexes, chunkIndex);
      if (reason !== undefined) return reason;
      at += 4 + length;
    }
    return at;
  }

  #checkRecord(chunk: Buffer, offset: number, end: number, indexes: number, chunkIndex: number): string | undefined {
    // Every length is checked against the record's end before it is used: the checksum is only
    // known at the end of the file, and nothing may be read outside the record before that.
    const slot = this.count;
    let at = offset + ID_AT;
    if (at > end) return BAD_RECORD;
    at += u32(chunk, at - 4) + 1;
    for (let i = 0; i < indexes; i++) {
      if (at + 4 > end) return this.#dropPairs(slot, BAD_RECORD);
      const count = u32(chunk, at);
      at += 4;
      const pairs = this.#pairs[i]!;
      for (let k = 0; k < count; k++) {
        if (at + 8 > end) return this.#dropPairs(slot, BAD_RECORD);
        pairs.hashOf.push(u32(chunk, at));
        pairs.slotOf.push(slot);
        pairs.keyAt.push(at + 8);
        at += 8 + u32(chunk, at + 4);
      }
    }
    if (at + 4 > end) return this.#dropPairs(slot, BAD_RECORD);
    at += 4 + u32(chunk, at);
    if (at + 1 > end) return this.#dropPairs(slot, BAD_RECORD);
    at += 1 + chunk[at]!;
    if (at + 1 > end) return this.#dropPairs(slot, BAD_RECORD);
    at += 1 + chunk[at]!;
    if (at !== end) return this.#dropPairs(slot, BAD_RECORD);
    this.#chunkOf.push(chunkIndex);
    this.#offsetOf.push(offset);
    return undefined;
  }

  /** Takes back the index pairs a refused record added. */
  #dropPairs(slot: number, reason: string): string {
    for (const pairs of this.#pairs) {
      let length = pairs.slotOf.length;
      while (length > 0 && pairs.slotOf.at(length - 1) === slot) length--;
      pairs.hashOf.truncate(length);
      pairs.slotOf.truncate(length);
      pairs.keyAt.truncate(length);
    }
    return reason;
  }

  /**
   * The sealed space. `duplicates: 'refuse'` (a snapshot) throws on an id held twice;
   * `'last'` (an import) keeps the last record of an id, as a map would.
   */
  seal(duplicates: 'refuse' | 'last'): PackedSpace {
    const count = this.count;
    const chunkOf = this.#chunkOf.done();
    const offsetOf = this.#offsetOf.done();
    const chunks = this.#chunks;
    const gone = new Uint8Array(count);
    const ids = new HashTable(count);
    for (let slot = 0; slot < count; slot++) {
      const chunk = chunks[chunkOf[slot]!]!;
      const at = offsetOf[slot]! + ID_AT;
      const end = at + u32(chunk, at - 4);
      const earlier = ids.insertUnique(u32(chunk, at - 8), slot, (other) => {
        const o = chunks[chunkOf[other]!]!;
        const oAt = offsetOf[other]! + ID_AT;
        return u32(o, oAt - 4) === end - at && o.compare(chunk, at, end, oAt, oAt + (end - at)) === 0;
      });
      if (earlier !== -1) {
        if (duplicates === 'refuse') throw new Error(`object ${chunk.toString('utf8', at, end)} is in the snapshot twice`);
        gone[earlier] = 1;
      }
    }
    const keys = this.#pairs.map(({ hashOf, slotOf, keyAt }) => {
      const table = new HashTable(slotOf.length);
      for (let pair = 0; pair < slotOf.length; pair++) table.insert(hashOf.at(pair), pair);
      return { table, slotOf, keyAt };
    });
    const space = new PackedSpace({ carried: this.carried, names: this.names, count, chunks, chunkOf, offsetOf, ids, keys, gone });
    for (const { id, before } of this.#removed) {
      const slot = space.find(id);
      if (slot !== -1 && slot < before) gone[slot] = 1;
    }
    return space;
  }

  /** Writes a record up to its timestamps; returns where its body lies. */
  #append(id: string, attributes: ValuesByName, body: string, hasDn: boolean): { chunk: Buffer; bodyStart: number; bodyEnd: number } {
    const keys: string[][] = [];
    // Room for the record at 3 bytes per UTF-16 code unit (UTF-8's most), rather than measuring
    // each string's UTF-8 length before writing it: a chunk ends a little earlier, nothing more.
    let size = ID_AT + 3 * id.length + 1 + 4 + 3 * body.length + 2 + 2 * TIME_ROOM;
    for (const index of this.carried) {
      const values = attributes[index.name];
      const list = values === undefined ? [] : Array.isArray(values) ? (values as readonly AttributeValue[]).map((value) => indexKey(value, index.caseExact)) : [indexKey(values as AttributeValue, index.caseExact)];
      keys.push(list);
      size += 4;
      for (const key of list) size += 8 + 3 * key.length;
    }
    const chunk = this.#reserve(size);
    this.#recordStart = this.#used;
    this.#chunkOf.push(this.#chunks.length - 1);
    this.#offsetOf.push(this.#used);
    let at = writeHashed(chunk, this.#used + 4, id);
    chunk[at++] = hasDn ? FLAG_DN : 0;
    for (let i = 0; i < keys.length; i++) {
      const list = keys[i]!;
      at = chunk.writeUInt32LE(list.length, at);
      const pairs = this.#pairs[i]!;
      for (const key of list) {
        const hashAt = at;
        at = writeHashed(chunk, at, key);
        pairs.hashOf.push(chunk.readUInt32LE(hashAt));
        pairs.slotOf.push(this.count - 1);
        pairs.keyAt.push(hashAt + 8);
      }
    }
    const bodyStart = at + 4;
    at = writeString(chunk, at, body);
    this.#used = at;
    return { chunk, bodyStart, bodyEnd: at };
  }


  #writeTimes(created: string, lastModified: string): void {
    const chunk = this.#chunks[this.#chunks.length - 1]!;
    let at = this.#used;
    for (const time of [created, lastModified]) {
      if (time.length > TIME_ROOM) throw new Error(`a timestamp of ${time.length} characters cannot be cached`);
      chunk[at] = chunk.write(time, at + 1, 'latin1');
      at += 1 + chunk[at]!;
    }
    this.#used = at;
    this.#closeRecord();
  }

  /** Writes the record's length now that its end is known. */
  #closeRecord(): void {
    const chunk = this.#chunks[this.#chunks.length - 1]!;
    chunk.writeUInt32LE(this.#used - this.#recordStart - 4, this.#recordStart);
  }

  /** The last chunk with room for `bytes` more, starting a new (larger) one when needed. */
  #reserve(bytes: number): Buffer {
    const last = this.#chunks[this.#chunks.length - 1];
    if (last !== undefined && this.#used + bytes <= last.length) return last;
    // Small spaces stay small; large ones get large chunks, so few Buffers hold a million objects.
    const size = Math.max(bytes, Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (last?.length ?? 0) * 2)));
    const chunk = Buffer.allocUnsafe(size);
    if (last !== undefined) this.#ends.push(this.#used);
    this.#chunks.push(chunk);
    this.#used = 0;
    return chunk;
  }
}

/**
 * An object's values by attribute name as the packing takes them: a list per attribute (as the cache
 * holds them) or, from an import entry of values, a value or a non-empty list.
 */
export type ValuesByName = Readonly<Record<string, AttributeValue | readonly AttributeValue[]>>;

/** Room kept for each timestamp: its length is one byte (an ISO 8601 string is 24 characters). */
const TIME_ROOM = 255;
const MIN_CHUNK = 64 * 1024;
const BAD_RECORD = 'an unreadable object record';
const MAX_CHUNK = 16 * 1024 * 1024;

/** What an imported object is compared with: the live space's record or its object from the overlay. */
export type Previous = PackedRecord | { object: CachedObject };

/** A packed record in place, and its DN decoded on demand. */
export interface PackedRecord {
  chunk: Buffer;
  record: RecordLayout;
  dn(): string | undefined;
}

/** Writes `text` with its hash and length before it; returns where the next field starts. */
function writeHashed(chunk: Buffer, at: number, text: string): number {
  const end = writeString(chunk, at + 4, text);
  chunk.writeUInt32LE(hashBytes(chunk, at + 8, end), at);
  return end;
}

function writeString(chunk: Buffer, at: number, text: string): number {
  const length = chunk.write(text, at + 4, 'utf8');
  chunk.writeUInt32LE(length, at);
  return at + 4 + length;
}

/**
 * The unsigned 32-bit little-endian integer at `at`: what `readUInt32LE` reads, without its
 * argument checks (every caller has checked the bounds), for the loops over a million records.
 */
function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
}

/** FNV-1a over bytes. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

/** A Uint32Array that grows by doubling, then is cut to its length. */
class GrowableU32 {
  #array = new Uint32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.#array.length) {
      const next = new Uint32Array(this.#array.length * 2);
      next.set(this.#array);
      this.#array = next;
    }
    this.#array[this.length++] = value;
  }

  at(i: number): number {
    return this.#array[i]!;
  }

  truncate(length: number): void {
    this.length = length;
  }

  done(): Uint32Array {
    return this.#array.subarray(0, this.length);
  }
}

interface KeyTable {
  table: HashTable;
  slotOf: GrowableU32;
  keyAt: GrowableU32;
}

/**
 * Open addressing with linear probing over a power-of-two `Int32Array` (entries are value + 1; 0 is
 * empty) plus each entry's hash, so a probe compares bytes only when the hashes match.
 */
class HashTable {
  readonly #entries: Int32Array;
  readonly #hashes: Uint32Array;
  readonly #mask: number;

  constructor(count: number) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.#entries = new Int32Array(size);
    this.#hashes = new Uint32Array(size);
    this.#mask = size - 1;
  }

  insert(hash: number, value: number): void {
    let i = hash & this.#mask;
    while (this.#entries[i] !== 0) i = (i + 1) & this.#mask;
    this.#entries[i] = value + 1;
    this.#hashes[i] = hash;
  }

  /** Inserts `value`, replacing an entry `same` says is equal; returns the replaced value or -1. */
  insertUnique(hash: number, value: number, same: (other: number) => boolean): number {
    let i = hash & this.#mask;
    for (let entry = this.#entries[i]!; entry !== 0; entry = this.#entries[i]!) {
      if (this.#hashes[i] === hash && same(entry - 1)) {
        this.#entries[i] = value + 1;
        return entry - 1;
      }
      i = (i + 1) & this.#mask;
    }
    this.#entries[i] = value + 1;
    this.#hashes[i] = hash;
    return -1;
  }

  find(key: Buffer, same: (value: number) => boolean): number {
    const hash = hashBytes(key, 0, key.length);
    let i = hash & this.#mask;
    for (let entry = this.#entries[i]!; entry !== 0; entry = this.#entries[i]!) {
      if (this.#hashes[i] === hash && same(entry - 1)) return entry - 1;
      i = (i + 1) & this.#mask;
    }
    return -1;
  }

  /** Every `match(value)` that is not -1, over the entries with `key`'s hash. */
  findAll(key: Buffer, match: (value: number) => number): number[] {
    const hash = hashBytes(key, 0, key.length);
    const out: number[] = [];
    let i = hash & this.#mask;
    for (let entry = this.#entries[i]!; entry !== 0; entry = this.#entries[i]!) {
      if (this.#hashes[i] === hash) {
        const found = match(entry - 1);
        if (found !== -1) out.push(found);
      }
      i = (i + 1) & this.#mask;
    }
    return out;
  }
}

/**
 * One string per distinct timestamp, as the import gives (one per page): decoding makes two new
 * strings per object otherwise.
 */
export class TimeStrings {
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

/**
 * The body of a record: JSON `[anchor, values, dn?]` where `values` lists each attribute's name
 * and values in turn. A name among the space's `names` (the served type's kept attributes, fixed by
 * the configuration a snapshot is tied to) is written as its number, and an attribute with one
 * value as that value: a quarter of a 10-attribute user's bytes, and of a restart's reading, is
 * not spent on names and brackets. Binary values are written as `{"b64": …}`.
 */
export function encodeBody(o: CachedObject, numbers: ReadonlyMap<string, number>): string {
  return encodeParts(o.anchor, o.attributes, o.dn, numbers);
}

function encodeParts(anchor: AnchorValues, attributes: ValuesByName, dn: string | undefined, numbers: ReadonlyMap<string, number>): string {
  const values: unknown[] = [];
  for (const name in attributes) {
    const given = attributes[name]!;
    // One value is written bare, whether it came alone or as a list of one: the same object gives
    // the same bytes in either form, and an unchanged object is found unchanged by them.
    if (!Array.isArray(given)) values.push(numbers.get(name) ?? name, encodeValue(given as AttributeValue));
    else {
      const list = given as readonly AttributeValue[];
      values.push(numbers.get(name) ?? name, list.length === 1 ? encodeValue(list[0]!) : encodeList(list));
    }
  }
  const a = hasBinary(anchor) ? mapValues(anchor, encodeValue) : anchor;
  return JSON.stringify(dn === undefined ? [a, values] : [a, values, dn]);
}

/** The parts of a body {@link encodeBody} wrote, read with the same `names`. */
function decodeBody(text: string, names: readonly string[]): { anchor: AnchorValues; attributes: Record<string, AttributeValue[]>; dn: string | undefined } {
  const [anchor, values, dn] = JSON.parse(text) as [AnchorValues, unknown[], string | undefined];
  for (const name in anchor) if (typeof anchor[name] === 'object') anchor[name] = decodeValue(anchor[name]);
  const attributes: Record<string, AttributeValue[]> = {};
  for (let i = 0; i < values.length; i += 2) {
    const key = values[i];
    const name = typeof key === 'number' ? names[key] : (key as string);
    if (name === undefined) throw new Error(`a record names attribute number ${String(key)}, which this space does not have`);
    const raw = values[i + 1];
    const list = (Array.isArray(raw) ? raw : [raw]) as unknown[];
    for (let k = 0; k < list.length; k++) if (typeof list[k] === 'object') list[k] = decodeValue(list[k]);
    // Defined, not assigned: an attribute named `__proto__` is a key like any other (as JSON.parse makes it).
    if (name === '__proto__') Object.defineProperty(attributes, name, { value: list, enumerable: true, writable: true, configurable: true });
    else attributes[name] = list as AttributeValue[];
  }
  return { anchor, attributes, dn };
}

function hasBinary(anchor: AnchorValues): boolean {
  for (const name in anchor) if (typeof anchor[name] === 'object') return true;
  return false;
}

/** A list of values as the body writes it: the list itself unless a value is binary. */
function encodeList(list: readonly AttributeValue[]): readonly unknown[] {
  for (const value of list) if (typeof value === 'object') return list.map(encodeValue);
  return list;
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
