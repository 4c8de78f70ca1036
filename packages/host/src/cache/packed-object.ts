import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';
import type { CachedObject } from './cached-object.js';

/**
 * One string per distinct timestamp, as the import gives (one per page): `JSON.parse` makes two new
 * strings per object, about 80 bytes of heap per object that the cache would keep otherwise.
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
 * An object restored from a snapshot and not decoded yet (decision 021): its id, and where its JSON
 * body `[anchor, attributes, created, lastModified, dn?]` lies in the chunk of the file that was
 * read. A restart keeps only this until something reads the object (a lookup, the refresh import),
 * so it pays for the ids and the carried index values, not for parsing every attribute of every
 * object before the first answer. The chunk stays in memory until its last object is decoded.
 */
export class PackedObject {
  readonly id: string;
  readonly #bytes: Buffer;
  readonly #start: number;
  readonly #end: number;
  readonly #times: TimeStrings;

  constructor(id: string, bytes: Buffer, start: number, end: number, times: TimeStrings) {
    this.id = id;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
    this.#times = times;
  }

  /** The cached object. Throws when the body is not what the writer wrote (the checksum makes that unlikely). */
  unpack(): CachedObject {
    const [anchor, attributes, createdText, lastModifiedText, dn] = JSON.parse(this.#bytes.toString('utf8', this.#start, this.#end)) as [AnchorValues, Record<string, AttributeValue[]>, string, string, string | undefined];
    const created = this.#times.intern(createdText);
    const lastModified = this.#times.intern(lastModifiedText);
    decodeBinary(anchor, attributes);
    const id = this.id;
    return dn === undefined ? { id, anchor, attributes, created, lastModified } : { id, anchor, dn, attributes, created, lastModified };
  }
}

/** The body of an object line: `[anchor, attributes, created, lastModified, dn?]`, binary values as `{"b64": …}`. */
export function encodeBody(o: CachedObject): string {
  const binary = hasBinary(o.anchor, o.attributes);
  const anchor = binary ? mapValues(o.anchor, encodeValue) : o.anchor;
  const attributes = binary ? mapValues(o.attributes, (values) => values.map(encodeValue)) : o.attributes;
  return JSON.stringify(o.dn === undefined ? [anchor, attributes, o.created, o.lastModified] : [anchor, attributes, o.created, o.lastModified, o.dn]);
}

/** The values of `names` an object holds, encoded like the body (absent attributes left out). */
export function encodeIndexed(o: CachedObject, names: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    const values = o.attributes[name];
    if (values !== undefined) out[name] = values.some((value) => typeof value === 'object') ? values.map(encodeValue) : values;
  }
  return out;
}

/** Turns `{"b64": …}` back into bytes, in place: only binary values were written as objects. */
export function decodeBinary(anchor: AnchorValues, attributes: Record<string, AttributeValue[]>): void {
  for (const name in anchor) if (typeof anchor[name] === 'object') anchor[name] = decodeValue(anchor[name]);
  for (const name in attributes) {
    const values = attributes[name]!;
    for (let i = 0; i < values.length; i++) if (typeof values[i] === 'object') values[i] = decodeValue(values[i]!);
  }
}

function hasBinary(anchor: AnchorValues, attributes: Record<string, AttributeValue[]>): boolean {
  for (const name in anchor) if (typeof anchor[name] === 'object') return true;
  for (const name in attributes) for (const value of attributes[name]!) if (typeof value === 'object') return true;
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
