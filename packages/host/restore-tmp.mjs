// ../../work/main/packages/host/src/cache/index-key.ts
function indexKey(value, caseExact) {
  const text = value instanceof Uint8Array ? Buffer.from(value).toString("base64") : String(value);
  return caseExact && typeof value === "string" ? text : text.toLowerCase();
}

// ../../work/main/packages/host/src/cache/packed-space.ts
var PackedSpace = class {
  /** The indexes whose keys every record carries, in record order. */
  carried;
  /** Records, including those gone. */
  count;
  #chunks;
  #chunkOf;
  #offsetOf;
  #ids;
  #keys;
  /** Records a later record with the same id or a delete of the import left behind. */
  goneAtSeal;
  #times;
  /** @internal Made by {@link PackedSpaceBuilder.seal}. */
  constructor(parts) {
    this.carried = parts.carried;
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
  find(id) {
    const wanted = Buffer.from(id, "utf8");
    return this.#ids.find(wanted, (slot) => {
      const chunk = this.#chunks[this.#chunkOf[slot]];
      const at = this.#offsetOf[slot] + ID_AT;
      const length = chunk.readUInt32LE(at - 4);
      return length === wanted.length && wanted.compare(chunk, at, at + length) === 0;
    });
  }
  /** The records whose `index` (its position in {@link carried}) has the normalised key `key`. */
  findByKey(index, key) {
    const wanted = Buffer.from(key, "utf8");
    const table = this.#keys[index];
    return table.table.findAll(wanted, (pair) => {
      const slot = table.slotOf.at(pair);
      const chunk = this.#chunks[this.#chunkOf[slot]];
      const at = table.keyAt.at(pair);
      const length = chunk.readUInt32LE(at - 4);
      return length === wanted.length && wanted.compare(chunk, at, at + length) === 0 ? slot : -1;
    });
  }
  /** The id of a record. */
  idOf(slot) {
    const chunk = this.#chunks[this.#chunkOf[slot]];
    const at = this.#offsetOf[slot] + ID_AT;
    return chunk.toString("utf8", at, at + chunk.readUInt32LE(at - 4));
  }
  /** Whether the record's object has a DN (without decoding it). */
  hasDn(slot) {
    const chunk = this.#chunks[this.#chunkOf[slot]];
    const at = this.#offsetOf[slot] + ID_AT;
    return (chunk[at + chunk.readUInt32LE(at - 4)] & FLAG_DN) !== 0;
  }
  /** A new object decoded from the record: the caller may keep or change it. */
  decode(slot) {
    const chunk = this.#chunks[this.#chunkOf[slot]];
    const r = readRecord(chunk, this.#offsetOf[slot], this.carried.length);
    const id = chunk.toString("utf8", r.idStart, r.idEnd);
    const [anchor, attributes, dn] = JSON.parse(chunk.toString("utf8", r.bodyStart, r.bodyEnd));
    decodeBinary(anchor, attributes);
    const created = this.#times.intern(chunk.toString("latin1", r.createdStart, r.createdEnd));
    const lastModified = this.#times.intern(chunk.toString("latin1", r.modifiedStart, r.modifiedEnd));
    return dn === void 0 ? { id, anchor, attributes, created, lastModified } : { id, anchor, dn, attributes, created, lastModified };
  }
  /** Where the record's body and timestamps lie, for comparing and copying them without decoding. */
  locate(slot) {
    const chunk = this.#chunks[this.#chunkOf[slot]];
    const record = readRecord(chunk, this.#offsetOf[slot], this.carried.length);
    const hasDn = this.hasDn(slot);
    return { chunk, record, dn: () => hasDn ? JSON.parse(chunk.toString("utf8", record.bodyStart, record.bodyEnd))[2] : void 0 };
  }
  /**
   * The bytes of the records not in `gone`, in order, as runs of consecutive records (a snapshot
   * writes them as they are, without decoding a single object).
   */
  *runs(gone) {
    let run2;
    for (let slot = 0; slot < this.count; slot++) {
      if (gone[slot] === 1) continue;
      const chunkIndex = this.#chunkOf[slot];
      const start = this.#offsetOf[slot];
      const end = start + 4 + this.#chunks[chunkIndex].readUInt32LE(start);
      if (run2 !== void 0 && run2.chunk === chunkIndex && run2.end === start) run2.end = end;
      else {
        if (run2 !== void 0) yield this.#chunks[run2.chunk].subarray(run2.start, run2.end);
        run2 = { chunk: chunkIndex, start, end };
      }
    }
    if (run2 !== void 0) yield this.#chunks[run2.chunk].subarray(run2.start, run2.end);
  }
};
var FLAG_DN = 1;
var ID_AT = 12;
function readRecord(chunk, offset, indexes) {
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
  const createdEnd = createdStart + chunk[bodyEnd];
  const modifiedStart = createdEnd + 1;
  const modifiedEnd = modifiedStart + chunk[createdEnd];
  return { end, idStart, idEnd, bodyStart, bodyEnd, createdStart, createdEnd, modifiedStart, modifiedEnd };
}
var PackedSpaceBuilder = class {
  carried;
  #chunks = [];
  /** Bytes used in the last chunk, and in each chunk before it (appending only). */
  #used = 0;
  #ends = [];
  #chunkOf = new GrowableU32();
  #offsetOf = new GrowableU32();
  /** Per carried index, (record, key offset) pairs. */
  #pairs;
  /** Ids removed during the build, with the number of records before the removal. */
  #removed = [];
  constructor(carried) {
    this.carried = carried;
    this.#pairs = carried.map(() => ({ hashOf: new GrowableU32(), slotOf: new GrowableU32(), keyAt: new GrowableU32() }));
  }
  get count() {
    return this.#offsetOf.length;
  }
  /** Appends a whole object (an object of the previous space, or one a write put). */
  appendObject(object) {
    const body = encodeBody(object);
    this.#append(object.id, object.attributes, body, object.dn !== void 0);
    this.#writeTimes(object.created, object.lastModified);
  }
  /**
   * Appends an imported object, keeping its `created` and `lastModified` from `before` (the live
   * space's object with this id) when the import found it unchanged: compared as the encoded
   * bytes, so an unchanged object of a re-import is never decoded.
   */
  appendImported(id, anchor, attributes, dn, now, before) {
    const body = encodeParts(anchor, attributes, dn);
    const { chunk, bodyStart, bodyEnd } = this.#append(id, attributes, body, dn !== void 0);
    if (before === void 0) return this.#writeTimes(now, now);
    if ("object" in before) {
      const old2 = before.object;
      return this.#writeTimes(old2.created, encodeBody(old2) === body ? old2.lastModified : now);
    }
    const old = before.record;
    if (old.bodyEnd - old.bodyStart === bodyEnd - bodyStart && before.chunk.compare(chunk, bodyStart, bodyEnd, old.bodyStart, old.bodyEnd) === 0) {
      this.#used += before.chunk.copy(chunk, this.#used, old.createdStart - 1, old.modifiedEnd);
      this.#closeRecord();
      return;
    }
    this.#writeTimes(before.chunk.toString("latin1", old.createdStart, old.createdEnd), now);
  }
  /** Drops the object with this id appended so far (a delete in a full import). */
  remove(id) {
    this.#removed.push({ id, before: this.count });
  }
  /** The bytes of the records appended so far, a view per chunk (a snapshot writes them as they are). */
  *bytes() {
    const last = this.#chunks.length - 1;
    for (let i = 0; i <= last; i++) yield i === last ? this.#chunks[i].subarray(0, this.#used) : this.#chunks[i].subarray(0, this.#ends[i]);
  }
  /** Adds a chunk of snapshot bytes; its records come through {@link addRecords}. Returns its number. */
  addChunk(chunk) {
    this.#chunks.push(chunk);
    this.#used = chunk.length;
    return this.#chunks.length - 1;
  }
  /**
   * Takes the complete records of `chunk` from `start` on, as a snapshot holds them; returns where
   * the first incomplete record starts (its bytes continue in the next chunk), or a reason when a
   * record cannot be what a writer wrote.
   */
  addRecords(chunkIndex, start, end) {
    const chunk = this.#chunks[chunkIndex];
    const indexes = this.carried.length;
    let at = start;
    while (at + 4 <= end) {
      const length = u32(chunk, at);
      if (length === 0) return at;
      if (at + 4 + length > end) return at;
      const reason = this.#checkRecord(chunk, at, at + 4 + length, indexes, chunkIndex);
      if (reason !== void 0) return reason;
      at += 4 + length;
    }
    return at;
  }
  #checkRecord(chunk, offset, end, indexes, chunkIndex) {
    const slot = this.count;
    let at = offset + ID_AT;
    if (at > end) return BAD_RECORD;
    at += u32(chunk, at - 4) + 1;
    for (let i = 0; i < indexes; i++) {
      if (at + 4 > end) return this.#dropPairs(slot, BAD_RECORD);
      const count = u32(chunk, at);
      at += 4;
      const pairs = this.#pairs[i];
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
    at += 1 + chunk[at];
    if (at + 1 > end) return this.#dropPairs(slot, BAD_RECORD);
    at += 1 + chunk[at];
    if (at !== end) return this.#dropPairs(slot, BAD_RECORD);
    this.#chunkOf.push(chunkIndex);
    this.#offsetOf.push(offset);
    return void 0;
  }
  /** Takes back the index pairs a refused record added. */
  #dropPairs(slot, reason) {
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
  seal(duplicates) {
    const count = this.count;
    const chunkOf = this.#chunkOf.done();
    const offsetOf = this.#offsetOf.done();
    const chunks = this.#chunks;
    const gone = new Uint8Array(count);
    const ids = new HashTable(count);
    for (let slot = 0; slot < count; slot++) {
      const chunk = chunks[chunkOf[slot]];
      const at = offsetOf[slot] + ID_AT;
      const end = at + u32(chunk, at - 4);
      const earlier = ids.insertUnique(u32(chunk, at - 8), slot, (other) => {
        const o = chunks[chunkOf[other]];
        const oAt = offsetOf[other] + ID_AT;
        return u32(o, oAt - 4) === end - at && o.compare(chunk, at, end, oAt, oAt + (end - at)) === 0;
      });
      if (earlier !== -1) {
        if (duplicates === "refuse") throw new Error(`object ${chunk.toString("utf8", at, end)} is in the snapshot twice`);
        gone[earlier] = 1;
      }
    }
    const keys = this.#pairs.map(({ hashOf, slotOf, keyAt }) => {
      const table = new HashTable(slotOf.length);
      for (let pair = 0; pair < slotOf.length; pair++) table.insert(hashOf.at(pair), pair);
      return { table, slotOf, keyAt };
    });
    const space = new PackedSpace({ carried: this.carried, count, chunks, chunkOf, offsetOf, ids, keys, gone });
    for (const { id, before } of this.#removed) {
      const slot = space.find(id);
      if (slot !== -1 && slot < before) gone[slot] = 1;
    }
    return space;
  }
  /** Writes a record up to its timestamps; returns where its body lies. */
  #append(id, attributes, body, hasDn) {
    const keys = [];
    let size = ID_AT + Buffer.byteLength(id, "utf8") + 1 + 4 + Buffer.byteLength(body, "utf8") + 2 + 2 * TIME_ROOM;
    for (const index of this.carried) {
      const values = attributes[index.name] ?? [];
      const list = values.map((value) => indexKey(value, index.caseExact));
      keys.push(list);
      size += 4;
      for (const key of list) size += 8 + Buffer.byteLength(key, "utf8");
    }
    const chunk = this.#reserve(size);
    this.#recordStart = this.#used;
    this.#chunkOf.push(this.#chunks.length - 1);
    this.#offsetOf.push(this.#used);
    let at = writeHashed(chunk, this.#used + 4, id);
    chunk[at++] = hasDn ? FLAG_DN : 0;
    for (let i = 0; i < keys.length; i++) {
      const list = keys[i];
      at = chunk.writeUInt32LE(list.length, at);
      for (const key of list) {
        const pairs = this.#pairs[i];
        pairs.slotOf.push(this.count - 1);
        pairs.keyAt.push(at + 8);
        at = writeHashed(chunk, at, key);
        pairs.hashOf.push(chunk.readUInt32LE(pairs.keyAt.at(pairs.keyAt.length - 1) - 8));
      }
    }
    const bodyStart = at + 4;
    at = writeString(chunk, at, body);
    this.#used = at;
    return { chunk, bodyStart, bodyEnd: at };
  }
  #recordStart = 0;
  #writeTimes(created, lastModified) {
    const chunk = this.#chunks[this.#chunks.length - 1];
    let at = this.#used;
    for (const time of [created, lastModified]) {
      if (time.length > TIME_ROOM) throw new Error(`a timestamp of ${time.length} characters cannot be cached`);
      chunk[at] = chunk.write(time, at + 1, "latin1");
      at += 1 + chunk[at];
    }
    this.#used = at;
    this.#closeRecord();
  }
  /** Writes the record's length now that its end is known. */
  #closeRecord() {
    const chunk = this.#chunks[this.#chunks.length - 1];
    chunk.writeUInt32LE(this.#used - this.#recordStart - 4, this.#recordStart);
  }
  /** The last chunk with room for `bytes` more, starting a new (larger) one when needed. */
  #reserve(bytes) {
    const last = this.#chunks[this.#chunks.length - 1];
    if (last !== void 0 && this.#used + bytes <= last.length) return last;
    const size = Math.max(bytes, Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (last?.length ?? 0) * 2)));
    const chunk = Buffer.allocUnsafe(size);
    if (last !== void 0) this.#ends.push(this.#used);
    this.#chunks.push(chunk);
    this.#used = 0;
    return chunk;
  }
};
var TIME_ROOM = 255;
var MIN_CHUNK = 64 * 1024;
var BAD_RECORD = "an unreadable object record";
var MAX_CHUNK = 16 * 1024 * 1024;
function writeHashed(chunk, at, text) {
  const end = writeString(chunk, at + 4, text);
  chunk.writeUInt32LE(hashBytes(chunk, at + 8, end), at);
  return end;
}
function writeString(chunk, at, text) {
  const length = chunk.write(text, at + 4, "utf8");
  chunk.writeUInt32LE(length, at);
  return at + 4 + length;
}
function u32(bytes, at) {
  return (bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16) + bytes[at + 3] * 16777216;
}
function hashBytes(bytes, start, end) {
  let hash = 2166136261;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 16777619);
  return hash >>> 0;
}
var GrowableU32 = class {
  #array = new Uint32Array(1024);
  length = 0;
  push(value) {
    if (this.length === this.#array.length) {
      const next = new Uint32Array(this.#array.length * 2);
      next.set(this.#array);
      this.#array = next;
    }
    this.#array[this.length++] = value;
  }
  at(i) {
    return this.#array[i];
  }
  truncate(length) {
    this.length = length;
  }
  done() {
    return this.#array.subarray(0, this.length);
  }
};
var HashTable = class {
  #entries;
  #hashes;
  #mask;
  constructor(count) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.#entries = new Int32Array(size);
    this.#hashes = new Uint32Array(size);
    this.#mask = size - 1;
  }
  insert(hash, value) {
    let i = hash & this.#mask;
    while (this.#entries[i] !== 0) i = i + 1 & this.#mask;
    this.#entries[i] = value + 1;
    this.#hashes[i] = hash;
  }
  /** Inserts `value`, replacing an entry `same` says is equal; returns the replaced value or -1. */
  insertUnique(hash, value, same) {
    let i = hash & this.#mask;
    for (let entry = this.#entries[i]; entry !== 0; entry = this.#entries[i]) {
      if (this.#hashes[i] === hash && same(entry - 1)) {
        this.#entries[i] = value + 1;
        return entry - 1;
      }
      i = i + 1 & this.#mask;
    }
    this.#entries[i] = value + 1;
    this.#hashes[i] = hash;
    return -1;
  }
  find(key, same) {
    const hash = hashBytes(key, 0, key.length);
    let i = hash & this.#mask;
    for (let entry = this.#entries[i]; entry !== 0; entry = this.#entries[i]) {
      if (this.#hashes[i] === hash && same(entry - 1)) return entry - 1;
      i = i + 1 & this.#mask;
    }
    return -1;
  }
  /** Every `match(value)` that is not -1, over the entries with `key`'s hash. */
  findAll(key, match) {
    const hash = hashBytes(key, 0, key.length);
    const out = [];
    let i = hash & this.#mask;
    for (let entry = this.#entries[i]; entry !== 0; entry = this.#entries[i]) {
      if (this.#hashes[i] === hash) {
        const found = match(entry - 1);
        if (found !== -1) out.push(found);
      }
      i = i + 1 & this.#mask;
    }
    return out;
  }
};
var TimeStrings = class {
  #seen = /* @__PURE__ */ new Map();
  intern(value) {
    const known = this.#seen.get(value);
    if (known !== void 0) return known;
    if (this.#seen.size >= 4096) this.#seen.clear();
    this.#seen.set(value, value);
    return value;
  }
};
function encodeBody(o) {
  return encodeParts(o.anchor, o.attributes, o.dn);
}
function encodeParts(anchor, attributes, dn) {
  const binary = hasBinary(anchor, attributes);
  const a = binary ? mapValues(anchor, encodeValue) : anchor;
  const values = binary ? mapValues(attributes, (list) => list.map(encodeValue)) : attributes;
  return JSON.stringify(dn === void 0 ? [a, values] : [a, values, dn]);
}
function decodeBinary(anchor, attributes) {
  for (const name in anchor) if (typeof anchor[name] === "object") anchor[name] = decodeValue(anchor[name]);
  for (const name in attributes) {
    const values = attributes[name];
    for (let i = 0; i < values.length; i++) if (typeof values[i] === "object") values[i] = decodeValue(values[i]);
  }
}
function hasBinary(anchor, attributes) {
  for (const name in anchor) if (typeof anchor[name] === "object") return true;
  for (const name in attributes) for (const value of attributes[name]) if (typeof value === "object") return true;
  return false;
}
function encodeValue(value) {
  return typeof value === "object" ? { b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") } : value;
}
function decodeValue(value) {
  const b64 = value.b64;
  if (typeof b64 !== "string") throw new Error("a binary value without its base64");
  return new Uint8Array(Buffer.from(b64, "base64"));
}
function mapValues(record, map) {
  const out = {};
  for (const name in record) out[name] = map(record[name]);
  return out;
}

// ../../work/main/packages/host/src/cache/generation.ts
var Generation = class {
  #objects = /* @__PURE__ */ new Map();
  #indexes = /* @__PURE__ */ new Map();
  /** The indexes maintained on every put and remove. */
  #built = [];
  #packed;
  /** Per packed record, 1 once the overlay replaced it or it was removed. */
  #gone = new Uint8Array(0);
  #packedLive = 0;
  /** While a full import or a restore fills the generation. */
  #builder;
  /** `built`: the attributes whose index is maintained from the start (the ones in use). */
  constructor(indexed2, built = []) {
    for (const attribute of indexed2) this.#indexes.set(attribute.name, { name: attribute.name, caseExact: attribute.caseExact, carried: -1, map: void 0, coversPacked: false });
    for (const name of built) {
      const index = this.#indexes.get(name);
      if (index !== void 0 && index.map === void 0) {
        index.map = /* @__PURE__ */ new Map();
        this.#built.push(index);
      }
    }
  }
  /** Number of objects. */
  get size() {
    return this.#objects.size + this.#packedLive;
  }
  /** The object with this id (a packed one decoded for this caller). */
  get(id) {
    const object = this.#objects.get(id);
    if (object !== void 0 || this.#packed === void 0) return object;
    const slot = this.#packed.find(id);
    return slot === -1 || this.#gone[slot] === 1 ? void 0 : this.#packed.decode(slot);
  }
  /** Every object: the packed ones in their order, then the overlay's. */
  *values() {
    const packed = this.#packed;
    if (packed !== void 0) {
      for (let slot = 0; slot < packed.count; slot++) if (this.#gone[slot] !== 1) yield packed.decode(slot);
    }
    yield* this.#objects.values();
  }
  /** Whether `attribute` has a hash index (built or to be built on its first lookup). */
  isIndexed(attribute) {
    return this.#indexes.has(attribute);
  }
  /** The indexed attributes whose index has been built. */
  builtIndexes() {
    return this.#built.map((index) => index.name);
  }
  /** Ids of objects whose `attribute` has a value equal to `value` (per the attribute's case rule). */
  lookup(attribute, value) {
    return this.#matches(attribute, value, (id) => id, (slot, packed) => packed.idOf(slot));
  }
  /** The objects {@link lookup} names, each read once. */
  lookupObjects(attribute, value) {
    return this.#matches(attribute, value, (id) => this.#objects.get(id) ?? this.get(id), (slot, packed) => packed.decode(slot));
  }
  #matches(attribute, value, fromId, fromSlot) {
    const index = this.#indexes.get(attribute);
    if (index === void 0) throw new Error(`${attribute} is not indexed`);
    if (index.map === void 0) {
      const map = /* @__PURE__ */ new Map();
      for (const object of this.values()) addEntries(map, index, object);
      index.map = map;
      index.coversPacked = this.#packed !== void 0 && index.carried === -1;
      this.#built.push(index);
    }
    const key = indexKey(value, index.caseExact);
    const out = [];
    const packed = this.#packed;
    if (packed !== void 0 && index.carried !== -1) {
      for (const slot of packed.findByKey(index.carried, key)) if (this.#gone[slot] !== 1) out.push(fromSlot(slot, packed));
    }
    const entry = index.map.get(key);
    if (typeof entry === "string") out.push(fromId(entry));
    else if (entry !== void 0) for (const id of entry) out.push(fromId(id));
    return out;
  }
  /** Adds or replaces an object, updating every built index. */
  put(object) {
    if (this.#builder !== void 0) return this.#builder.appendObject(object);
    this.#take(object.id, false);
    this.#objects.set(object.id, object);
    for (const index of this.#built) addEntries(index.map, index, object);
  }
  /** Removes an object and its index entries; returns it. */
  remove(id) {
    if (this.#builder !== void 0) {
      this.#builder.remove(id);
      return void 0;
    }
    return this.#take(id, true);
  }
  /** Takes the object with this id out of the overlay or the packed space, and out of the indexes. */
  #take(id, wanted) {
    const before = this.#objects.get(id);
    if (before !== void 0) {
      this.#unindex(before, this.#built);
      this.#objects.delete(id);
      return before;
    }
    if (this.#packed === void 0) return void 0;
    const slot = this.#packed.find(id);
    if (slot === -1 || this.#gone[slot] === 1) return void 0;
    this.#gone[slot] = 1;
    this.#packedLive--;
    const covering = this.#built.filter((index) => index.coversPacked);
    if (!wanted && covering.length === 0) return void 0;
    const packed = this.#packed.decode(slot);
    this.#unindex(packed, covering);
    return packed;
  }
  #unindex(object, indexes) {
    for (const index of indexes) {
      const map = index.map;
      for (const value of object.attributes[index.name] ?? []) {
        const key = indexKey(value, index.caseExact);
        const entry = map.get(key);
        if (entry === object.id) map.delete(key);
        else if (entry !== void 0 && typeof entry !== "string") {
          entry.delete(object.id);
          if (entry.size === 1) map.set(key, entry.values().next().value);
          else if (entry.size === 0) map.delete(key);
        }
      }
    }
  }
  /**
   * Starts filling this (empty) generation from a full import: objects come in packed through
   * {@link appendImported}, carrying the keys of the indexes built so far, until {@link seal}.
   */
  beginPacking() {
    this.#requireEmpty();
    this.#builder = new PackedSpaceBuilder(this.#built.map(({ name, caseExact }) => ({ name, caseExact })));
  }
  /**
   * Starts restoring this (empty) generation from a snapshot whose records carry the keys of
   * `names` (in that order); returns the builder its bytes go to. A name this configuration does not
   * index (it cannot happen while the configuration hash matches) is carried and never looked up.
   */
  beginRestore(names) {
    this.#requireEmpty();
    this.#builder = new PackedSpaceBuilder(names.map((name) => ({ name, caseExact: this.#indexes.get(name)?.caseExact ?? true })));
    return this.#builder;
  }
  /** Appends an imported object to the space being packed; `before` is the live object it replaces, if any. */
  appendImported(id, anchor, attributes, dn, now, before) {
    this.#builder.appendImported(id, anchor, attributes, dn, now, before);
  }
  /**
   * Ends packing: from here on the generation answers from the packed space. `duplicates`:
   * `'refuse'` throws when a snapshot holds an id twice; `'last'` keeps the last, as an import does.
   */
  seal(duplicates) {
    const builder = this.#builder;
    if (builder === void 0) return;
    this.#builder = void 0;
    const packed = builder.seal(duplicates);
    this.#packed = packed;
    this.#gone = packed.goneAtSeal;
    let live = packed.count;
    for (let slot = 0; slot < packed.count; slot++) live -= this.#gone[slot];
    this.#packedLive = live;
    packed.carried.forEach(({ name }, position) => {
      const index = this.#indexes.get(name);
      if (index !== void 0) index.carried = position;
    });
    this.#built.length = 0;
    for (const index of this.#indexes.values()) {
      if (index.carried === -1) index.map = void 0;
      else {
        index.map ??= /* @__PURE__ */ new Map();
        this.#built.push(index);
      }
    }
  }
  /** Where the object with this id lies, for an import to compare its bytes with. */
  previous(id) {
    const object = this.#objects.get(id);
    if (object !== void 0) return { object };
    if (this.#packed === void 0) return void 0;
    const slot = this.#packed.find(id);
    return slot === -1 || this.#gone[slot] === 1 ? void 0 : this.#packed.locate(slot);
  }
  /** The DN of the object with this id, decoding it only when it has one. */
  dnOf(id) {
    const object = this.#objects.get(id);
    if (object !== void 0 || this.#packed === void 0) return object?.dn;
    const slot = this.#packed.find(id);
    return slot === -1 || this.#gone[slot] === 1 || !this.#packed.hasDn(slot) ? void 0 : this.#packed.decode(slot).dn;
  }
  /** What the space holds now, for a snapshot written later: the packed records stay as they are. */
  view() {
    return { packed: this.#packed, gone: this.#gone.slice(), objects: [...this.#objects.values()], indexes: this.#built.map(({ name, caseExact }) => ({ name, caseExact })) };
  }
  #requireEmpty() {
    if (this.size > 0 || this.#packed !== void 0 || this.#builder !== void 0) throw new Error("a generation is packed once, from empty");
  }
};
function addEntries(map, index, object) {
  const values = object.attributes[index.name];
  if (values === void 0) return;
  for (const value of values) {
    const key = indexKey(value, index.caseExact);
    const entry = map.get(key);
    if (entry === void 0) map.set(key, object.id);
    else if (typeof entry !== "string") entry.add(object.id);
    else if (entry !== object.id) map.set(key, /* @__PURE__ */ new Set([entry, object.id]));
  }
}

// ../../work/main/packages/host/src/cache/snapshot-file.ts
import { createHash, randomBytes } from "node:crypto";
import { mkdir as mkdir2, open as open2, readdir as readdir2, rename as rename2, rm as rm2 } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isSecret } from "@ecmahost/sdk";

// ../../work/main/packages/host/src/store/files.ts
import { chmod, mkdir, open, readFile, readdir, rename, rm } from "node:fs/promises";

// ../../work/main/packages/host/src/store/windows-acl.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";

// ../../work/main/packages/host/src/store/errors.ts
var OPS_ERROR = /* @__PURE__ */ Symbol.for("ecmahost.ops-error");
var OpsError = class extends Error {
  code;
  [OPS_ERROR] = true;
  constructor(code, message, options) {
    super(message, options);
    this.name = "OpsError";
    this.code = code;
  }
};

// ../../work/main/packages/host/src/store/windows-acl.ts
var run = promisify(execFile);

// ../../work/main/packages/host/src/store/files.ts
var DATA_DIR_MODE = 448;
var DATA_FILE_MODE = 384;
async function syncFolder(folder) {
  let handle;
  try {
    handle = await open(folder, "r");
  } catch (error) {
    if (process.platform === "win32") return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = error.code;
    if (process.platform !== "win32" && code !== "EINVAL" && code !== "EBADF") throw error;
  } finally {
    await handle.close();
  }
}

// ../../work/main/packages/host/src/cache/snapshot-file.ts
var FORMAT = "ecmahost-connector-space";
var SNAPSHOT_VERSION = 3;
var WRITE_BYTES = 1 << 20;
var READ_BYTES = 32 << 20;
var HEADROOM = 64 * 1024;
var PAUSE_ENV = "ECMAHOST_TEST_SNAPSHOT_PAUSE_MS";
var SnapshotFile = class {
  /** Undefined without a state directory: nothing is kept. */
  file;
  #connector;
  #objectType;
  #configHash;
  constructor(stateDir, connector, objectType, configHash) {
    this.file = stateDir === void 0 ? void 0 : path.join(stateDir, `${encodeURIComponent(connector)}.${encodeURIComponent(objectType)}.space`);
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
  async write(view, watermark) {
    const file = this.file;
    if (file === void 0) return { objects: 0, bytes: 0 };
    const folder = path.dirname(file);
    await mkdir2(folder, { recursive: true, mode: DATA_DIR_MODE });
    const pauseMs = Number(process.env[PAUSE_ENV] ?? 0);
    const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    const hash = createHash("sha256");
    const carried = view.packed?.carried ?? view.indexes;
    const overlay = new PackedSpaceBuilder(carried);
    for (const object of view.objects) overlay.appendObject(object);
    let count = view.objects.length;
    if (view.packed !== void 0) for (let slot = 0; slot < view.packed.count; slot++) count += view.gone[slot] === 1 ? 0 : 1;
    let bytes = 0;
    try {
      const handle = await open2(temp, "wx", DATA_FILE_MODE);
      try {
        const put = async (buffer, hashed) => {
          for (let at = 0; at < buffer.length; at += WRITE_BYTES) {
            const part = buffer.subarray(at, Math.min(buffer.length, at + WRITE_BYTES));
            if (hashed) hash.update(part);
            bytes += part.length;
            await writeAll(handle, part);
            if (pauseMs > 0) await sleep(pauseMs);
          }
        };
        const header = { format: FORMAT, version: SNAPSHOT_VERSION, connector: this.#connector, objectType: this.#objectType, configHash: this.#configHash, indexes: carried.map(({ name }) => name), watermark: watermark ?? null, writtenAt: (/* @__PURE__ */ new Date()).toISOString() };
        await put(Buffer.from(`${JSON.stringify(header)}
`, "utf8"), true);
        if (view.packed !== void 0) for (const run2 of view.packed.runs(view.gone)) await put(run2, true);
        for (const run2 of overlay.bytes()) await put(run2, true);
        await put(Buffer.alloc(4), true);
        await put(Buffer.from(`${JSON.stringify({ end: true, objects: count, sha256: hash.digest("hex") })}
`, "utf8"), false);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename2(temp, file);
    } catch (error) {
      await rm2(temp, { force: true });
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
  async read(generation) {
    const file = this.file;
    if (file === void 0) return { ok: false, reason: "no state directory" };
    await this.#removeInterruptedWrites(file);
    let handle;
    try {
      handle = await open2(file, "r");
    } catch (error) {
      if (error.code === "ENOENT") return { ok: false, reason: "no snapshot" };
      return { ok: false, reason: `unreadable: ${error.message}` };
    }
    try {
      return await this.#readOpen(handle, generation);
    } catch (error) {
      return { ok: false, reason: `unreadable: ${error.message}` };
    } finally {
      await handle.close();
    }
  }
  async #readOpen(handle, generation) {
    const size = (await handle.stat()).size;
    if (size === 0) return { ok: false, reason: "empty file" };
    const hash = createHash("sha256");
    let head = Buffer.alloc(0);
    let newline = -1;
    while (newline === -1 && head.length < size) {
      const more = Buffer.alloc(Math.min(64 * 1024, size - head.length));
      await readExactly(handle, more, head.length);
      head = Buffer.concat([head, more]);
      newline = head.indexOf(10);
    }
    if (newline === -1) return { ok: false, reason: "no footer (torn write)" };
    const parsed = parseHeader(head.subarray(0, newline));
    if (typeof parsed === "string") return { ok: false, reason: parsed };
    const mismatch = this.#mismatch(parsed);
    if (mismatch !== void 0) return { ok: false, reason: mismatch };
    hash.update(head.subarray(0, newline + 1));
    const builder = generation.beginRestore(parsed.indexes);
    let position = newline + 1;
    const readBlock = (at) => {
      if (at >= size) return void 0;
      const block = Buffer.allocUnsafe(HEADROOM + Math.min(READ_BYTES, size - at));
      const read = readExactly(handle, block.subarray(HEADROOM), at).then(() => block);
      read.catch(() => void 0);
      return read;
    };
    let next = readBlock(position);
    let carry = Buffer.alloc(0);
    let tail;
    while (tail === void 0) {
      if (next === void 0) return { ok: false, reason: carry.length === 0 ? "no footer (torn write)" : "the last record is incomplete (torn write)" };
      const block = await next;
      position += block.length - HEADROOM;
      next = readBlock(position);
      let chunk = block;
      let start = HEADROOM - carry.length;
      if (carry.length <= HEADROOM) carry.copy(block, start);
      else {
        chunk = Buffer.concat([carry, block.subarray(HEADROOM)]);
        start = 0;
      }
      const done = builder.addRecords(builder.addChunk(chunk), start, chunk.length);
      if (typeof done === "string") return { ok: false, reason: done };
      if (done + 4 <= chunk.length && chunk.readUInt32LE(done) === 0) {
        hash.update(chunk.subarray(start, done + 4));
        tail = chunk.subarray(done + 4);
      } else {
        hash.update(chunk.subarray(start, done));
        carry = chunk.subarray(done);
      }
    }
    if (next !== void 0) {
      const block = await next;
      position += block.length - HEADROOM;
      tail = Buffer.concat([tail, block.subarray(HEADROOM)]);
    }
    if (position < size) return { ok: false, reason: "data after the footer" };
    const end = tail.indexOf(10);
    if (end === -1) return { ok: false, reason: "no footer (torn write)" };
    if (end !== tail.length - 1) return { ok: false, reason: "data after the footer" };
    const footer = parseFooter(tail.subarray(0, end));
    if (footer === void 0) return { ok: false, reason: "unreadable footer" };
    if (footer.sha256 !== hash.digest("hex")) return { ok: false, reason: "checksum mismatch" };
    if (footer.objects !== builder.count) return { ok: false, reason: `the footer counts ${footer.objects} objects, the file holds ${builder.count}` };
    try {
      generation.seal("refuse");
    } catch (error) {
      return { ok: false, reason: error.message };
    }
    return { ok: true, objects: builder.count, watermark: parsed.watermark ?? void 0, writtenAt: parsed.writtenAt };
  }
  /** Why a well-formed header does not belong to this connector's current configuration. */
  #mismatch(header) {
    if (header.version !== SNAPSHOT_VERSION) return `format version ${header.version}, this host reads ${SNAPSHOT_VERSION}`;
    if (header.connector !== this.#connector || header.objectType !== this.#objectType) return `written for ${header.connector}/${header.objectType}`;
    if (header.configHash !== this.#configHash) return "written under another configuration (object type, anchor, attributes, mapping, parameters or connector version changed)";
    return void 0;
  }
  async #removeInterruptedWrites(file) {
    const prefix = `${path.basename(file)}.`;
    let names;
    try {
      names = await readdir2(path.dirname(file));
    } catch {
      return;
    }
    for (const name of names) {
      const stale = name.startsWith(prefix) && name.endsWith(".tmp") || name === `${path.basename(file)}.ndjson`;
      if (stale) await rm2(path.join(path.dirname(file), name), { force: true });
    }
  }
};
function parseHeader(line) {
  let header;
  try {
    header = JSON.parse(line.toString("utf8"));
  } catch {
    return "unreadable header";
  }
  if (header.format !== FORMAT) return "not a connector space snapshot";
  if (typeof header.version !== "number" || typeof header.configHash !== "string" || typeof header.writtenAt !== "string") return "incomplete header";
  if (header.version === SNAPSHOT_VERSION && (!Array.isArray(header.indexes) || !header.indexes.every((name) => typeof name === "string"))) return "incomplete header";
  return header;
}
function parseFooter(line) {
  try {
    const footer = JSON.parse(line.toString("utf8"));
    return footer.end === true && typeof footer.objects === "number" && typeof footer.sha256 === "string" ? { objects: footer.objects, sha256: footer.sha256 } : void 0;
  } catch {
    return void 0;
  }
}
async function writeAll(handle, buffer) {
  for (let at = 0; at < buffer.length; ) at += (await handle.write(buffer, at, buffer.length - at)).bytesWritten;
}
async function readExactly(handle, buffer, position) {
  for (let at = 0; at < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, at, buffer.length - at, position + at);
    if (bytesRead === 0) throw new Error("the file ended early");
    at += bytesRead;
  }
}

// restore.ts
var n = Number(process.argv[2] ?? 1e6);
var dir = "/tmp/rs/state";
var indexed = [{ name: "login", caseExact: false }];
var snap = new SnapshotFile(dir, "B", "person", "h");
if (process.argv[3] === "write") {
  const g = new Generation(indexed, ["login"]);
  g.beginPacking();
  for (let i = 0; i < n; i++) {
    const login = `user${i}`;
    g.appendImported(Buffer.from(login).toString("base64url"), { login }, { login: [login], firstName: [`First${i}`], lastName: [`Last${i}`], mail: [`user${i}@example.com`], department: ["Sales"], title: ["Engineer"], phone: ["+1 555 0100"], city: ["Springfield"], country: ["US"], employeeId: [String(1e5 + i)] }, void 0, (/* @__PURE__ */ new Date()).toISOString(), void 0);
  }
  g.seal("last");
  await snap.write(g.view(), "wm");
  console.log("written");
} else {
  const t = performance.now();
  const g = new Generation(indexed);
  const r = await snap.read(g);
  const t2 = performance.now();
  console.log(r.ok, r.objects, "read ms", Math.round(t2 - t), "lookup", g.lookup("login", "user777"), Math.round(performance.now() - t2));
}
