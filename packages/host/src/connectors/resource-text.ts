import { randomBytes } from 'node:crypto';
import type { AttributeValue } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import type { CachedObject } from '../cache/cached-object.js';
import type { RecordText } from '../cache/packed-space.js';
import { renderResource } from './resource-renderer.js';
import type { ReferenceReader } from './resource-renderer.js';
import type { ServedAttribute, ServedSchema } from './served-schema.js';

/**
 * A packed object's SCIM resource written as JSON text straight from its record (decision 027):
 * the values in a record's body are JSON already, so an `eq` lookup's answer is the body's value
 * texts put between the fixed text of the type's rendering, with no object decoded, rendered or
 * serialized. The fixed text is what {@link renderResource} and `JSON.stringify` make of a stand-in
 * object whose values are unique tokens (one {@link Skeleton} per set of attributes present), so
 * the order, nesting and spelling of every key are the renderer's own; the tokens are then
 * replaced by the object's value texts. Whatever the skeleton cannot stand for is declined
 * (undefined) and the caller renders the object as always.
 */

/** The fixed text of one rendering and what goes between its pieces. */
interface Skeleton {
  /** `pieces[0]`, value of `slots[0]`, `pieces[1]`, …, `pieces[slots.length]`. */
  readonly pieces: readonly string[];
  readonly slots: readonly number[];
}

/** Most skeletons kept per type: sets of attributes present beyond it are answered by rendering. */
const MAX_SKELETONS = 1024;

/** The served schema's kept attributes in rendering order, and its skeletons. */
class TextPlan {
  readonly attributes: readonly ServedAttribute[];
  readonly #position = new Map<string, number>();
  /** Slots after the attributes' (see {@link special}). */
  readonly special: { id: number; created: number; lastModified: number; location: number; active: number };
  /** Random, so that no text of the schema can contain it. */
  readonly #nonce = `ecmahost${randomBytes(8).toString('hex')}x`;
  readonly #skeletons = new Map<string, Skeleton | null>();
  /** Per numbering of a space's bodies: the attribute position of each number, -1 when not rendered. */
  readonly #numberings = new WeakMap<readonly string[], Int32Array>();

  constructor(readonly schema: ServedSchema) {
    this.attributes = [...schema.attributes.values()].filter((a) => a.kept);
    this.attributes.forEach((a, i) => this.#position.set(a.name, i));
    const n = this.attributes.length;
    this.special = { id: n, created: n + 1, lastModified: n + 2, location: n + 3, active: n + 4 };
  }

  /** The attribute position of `name`, or -1. */
  position(name: string): number {
    return this.#position.get(name) ?? -1;
  }

  numbering(names: readonly string[]): Int32Array {
    let numbering = this.#numberings.get(names);
    if (numbering === undefined) {
      numbering = Int32Array.from(names, (name) => this.position(name));
      this.#numberings.set(names, numbering);
    }
    return numbering;
  }

  /** The skeleton for the attributes present (`present[i]` is "1" when attribute i is rendered), or null when it cannot be made. */
  skeleton(present: string): Skeleton | null | undefined {
    let skeleton = this.#skeletons.get(present);
    if (skeleton === undefined) {
      if (this.#skeletons.size >= MAX_SKELETONS) return undefined;
      skeleton = this.#make(present);
      this.#skeletons.set(present, skeleton);
    }
    return skeleton;
  }

  #token(slot: number): string {
    return `${this.#nonce}${slot}`;
  }

  #make(present: string): Skeleton | null {
    const attributes: Record<string, AttributeValue[]> = {};
    this.attributes.forEach((attribute, i) => {
      // Defined, not assigned: an attribute named `__proto__` is a key like any other.
      if (present[i] === '1') Object.defineProperty(attributes, attribute.name, { value: [this.#token(i)], enumerable: true, writable: true, configurable: true });
    });
    const { id, created, lastModified, location, active } = this.special;
    const standIn: CachedObject = { id: this.#token(id), anchor: {}, attributes, created: this.#token(created), lastModified: this.#token(lastModified) };
    // References are read to their ids: a token stands for the ids.
    const resource = renderResource(this.schema, standIn, '', (value) => value as string);
    if ('active' in resource) resource.active = this.#token(active);
    (resource.meta as Record<string, unknown>).location = this.#token(location);
    return this.#split(JSON.stringify(resource));
  }

  /**
   * Cuts the stand-in's text at its tokens. A multi-valued attribute's token must stand as the
   * whole array (`["token"]`), anything else as a whole string value; a token found in any other
   * form (its array's elements wrapped, a key) makes the skeleton unusable.
   */
  #split(text: string): Skeleton | null {
    const pieces: string[] = [];
    const slots: number[] = [];
    let from = 0;
    for (let at = text.indexOf(this.#nonce); at !== -1; at = text.indexOf(this.#nonce, at + 1)) {
      let end = at + this.#nonce.length;
      while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
      const slot = Number(text.slice(at + this.#nonce.length, end));
      const array = slot < this.attributes.length && this.attributes[slot]!.multiValued;
      const open = array ? '["' : '"';
      const close = array ? '"]' : '"';
      const start = at - open.length;
      const stop = end + close.length;
      const next = text[stop];
      if (text.slice(start, at) !== open || text.slice(end, stop) !== close || (next !== ',' && next !== '}' && next !== ']') || start < from) return null;
      pieces.push(text.slice(from, start));
      slots.push(slot);
      from = stop;
    }
    pieces.push(text.slice(from));
    return { pieces, slots };
  }
}

const plans = new WeakMap<ServedSchema, TextPlan>();

function planOf(schema: ServedSchema): TextPlan {
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = new TextPlan(schema);
    plans.set(schema, plan);
  }
  return plan;
}

/** Where each part of a record's body lies, by attribute position. */
interface BodySpans {
  /** Start and end of each rendered attribute's values (`-1` when absent), two per position. */
  readonly spans: Int32Array;
  /** The DN's text, when the body holds one. */
  readonly dn: [number, number] | undefined;
  /** The values of `flow` (the disable flow's attribute), which need not be rendered. */
  readonly flow: [number, number] | undefined;
  /** Whether a `{` follows the anchor (a binary value's, or one inside a string): else no value can be binary. */
  readonly braces: boolean;
}

/** Printable ASCII without `"` and `\\`: what `JSON.stringify` writes as it is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify(text)`, without its serializer for the ids, times and URLs of a resource, which
 * are plain ASCII (about 40 instructions a character in Node 20's serializer).
 */
export function jsonString(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/**
 * The index past the JSON value that starts at `i` of `text` (as `JSON.stringify` writes it: no
 * white space), or -1 when there is none.
 */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) {
    for (let q = text.indexOf('"', i + 1); q !== -1; q = text.indexOf('"', q + 1)) {
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
    }
    return -1;
  }
  if (c === 91 || c === 123) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 34) {
        const end = skipValue(text, j);
        if (end === -1) return -1;
        j = end - 1;
      } else if (d === 91 || d === 123) depth++;
      else if (d === 93 || d === 125) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 44 || d === 93 || d === 125) break;
    j++;
  }
  return j === i ? -1 : j;
}

/**
 * The spans of a body `[anchor, [name, values, …], dn?]` ({@link encodeBody}), names read with
 * `names`; undefined when the text is not such a body.
 */
function bodySpans(plan: TextPlan, body: string, names: readonly string[], flowName: string | undefined): BodySpans | undefined {
  const numbering = plan.numbering(names);
  const spans = new Int32Array(plan.attributes.length * 2).fill(-1);
  let flow: [number, number] | undefined;
  if (body.charCodeAt(0) !== 91) return undefined;
  let i = skipValue(body, 1);
  if (i === -1 || body.charCodeAt(i) !== 44 || body.charCodeAt(i + 1) !== 91) return undefined;
  i += 2;
  const valuesStart = i;
  while (body.charCodeAt(i) !== 93) {
    const keyEnd = skipValue(body, i);
    if (keyEnd === -1 || body.charCodeAt(keyEnd) !== 44) return undefined;
    let name: string | undefined;
    let position: number;
    if (body.charCodeAt(i) === 34) {
      name = JSON.parse(body.slice(i, keyEnd)) as string;
      position = plan.position(name);
    } else {
      const number = Number(body.slice(i, keyEnd));
      name = names[number];
      if (name === undefined) return undefined;
      position = numbering[number]!;
    }
    const start = keyEnd + 1;
    const end = skipValue(body, start);
    if (end === -1) return undefined;
    if (position !== -1) {
      spans[position * 2] = start;
      spans[position * 2 + 1] = end;
    }
    if (name === flowName) flow = [start, end];
    i = end;
    if (body.charCodeAt(i) === 44) i++;
    else if (body.charCodeAt(i) !== 93) return undefined;
  }
  i++;
  let dn: [number, number] | undefined;
  if (body.charCodeAt(i) === 44) {
    if (body.charCodeAt(i + 1) !== 34) return undefined;
    const end = skipValue(body, i + 1);
    if (end === -1) return undefined;
    dn = [i + 1, end];
    i = end;
  }
  if (i !== body.length - 1 || body.charCodeAt(i) !== 93) return undefined;
  return { spans, dn, flow, braces: body.indexOf('{', valuesStart) !== -1 };
}

/** Whether the values in the span include a binary one (written `{"b64": …}`). */
function holdsBinary(body: string, parts: BodySpans, start: number, end: number): boolean {
  if (!parts.braces) return false;
  if (body.charCodeAt(start) !== 91) return body.charCodeAt(start) === 123;
  for (let i = start + 1; i < end - 1; ) {
    if (body.charCodeAt(i) === 123) return true;
    const next = skipValue(body, i);
    // Not a list of values after all: read as binary, so that the record is decoded.
    if (next === -1) return true;
    i = next + 1;
  }
  return false;
}

/** The values a body's span holds as the record decodes them; undefined when one is binary (the record must be decoded). */
function spanValues(body: string, start: number, end: number): unknown[] | undefined {
  const raw = JSON.parse(body.slice(start, end)) as unknown;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.some((value) => typeof value === 'object' && value !== null) ? undefined : list;
}

/**
 * A packed record read for a lookup: the values a filter compares and the resource's JSON text,
 * both from the body's text; undefined when the body is not what a space writes (the caller then
 * decodes and renders the record).
 */
export function readRecord(schema: ServedSchema, record: RecordText, names: readonly string[]): RecordReading | undefined {
  const plan = planOf(schema);
  const flowName = schema.disable.action === 'attribute' ? schema.disable.attribute : undefined;
  const parts = bodySpans(plan, record.body, names, flowName);
  return parts === undefined ? undefined : new RecordReading(plan, record, parts, flowName);
}

/** See {@link readRecord}. */
export class RecordReading {
  readonly #plan: TextPlan;
  readonly #record: RecordText;
  readonly #parts: BodySpans;
  readonly #flowName: string | undefined;

  /** @internal Made by {@link readRecord}. */
  constructor(plan: TextPlan, record: RecordText, parts: BodySpans, flowName: string | undefined) {
    this.#plan = plan;
    this.#record = record;
    this.#parts = parts;
    this.#flowName = flowName;
  }

  /**
   * The values of `attribute` a filter compares: the rendered ones (the first only for a
   * single-valued attribute), none when absent; undefined when the record must be decoded to tell
   * (a binary value, an attribute not rendered).
   */
  values(attribute: string): unknown[] | undefined {
    const position = this.#plan.position(attribute);
    const served = this.#plan.attributes[position];
    if (served === undefined) return undefined;
    let start = this.#parts.spans[position * 2]!;
    let end = this.#parts.spans[position * 2 + 1]!;
    if (attribute === DN_ATTRIBUTE && this.#parts.dn !== undefined) [start, end] = this.#parts.dn;
    if (start === -1) return [];
    const values = spanValues(this.#record.body, start, end);
    if (values === undefined) return undefined;
    return served.multiValued ? values : values.slice(0, 1);
  }

  /**
   * The JSON text of the object's SCIM resource, as `JSON.stringify(renderResource(...))` writes
   * it, or undefined when it cannot be written without rendering.
   */
  text(baseUrl: string, read: ReferenceReader): string | undefined {
    const plan = this.#plan;
    const record = this.#record;
    const parts = this.#parts;
    const flowName = this.#flowName;
    const { schema } = plan;
    const { body } = record;
    const texts: string[] = [];
    let present = '';
    for (let i = 0; i < plan.attributes.length; i++) {
      const text = attributeText(schema, plan.attributes[i]!, body, parts, i, read);
      if (text === null) return undefined;
      texts.push(text ?? '');
      present += text === undefined ? '0' : '1';
    }
    const skeleton = plan.skeleton(present);
    if (skeleton === undefined || skeleton === null) return undefined;
    const { id, created, lastModified, location, active } = plan.special;
    texts[id] = jsonString(record.id);
    texts[created] = jsonString(record.created);
    texts[lastModified] = jsonString(record.lastModified);
    texts[location] = jsonString(`${baseUrl}/${schema.resource.endpoint}/${record.id}`);
    if (schema.resource.name !== 'Group') {
      const flowValues: Record<string, AttributeValue[]> = {};
      if (flowName !== undefined && parts.flow !== undefined) {
        const values = spanValues(body, parts.flow[0], parts.flow[1]);
        if (values === undefined) return undefined;
        Object.defineProperty(flowValues, flowName, { value: values, enumerable: true });
      }
      texts[active] = schema.isActive(flowValues) ? 'true' : 'false';
    }
    // Concatenated, not joined: V8 flattens the rope once when the answer is written, which counts
    // fewer instructions than `Array.prototype.join` (docs/performance.md).
    let out = skeleton.pieces[0]!;
    for (let k = 0; k < skeleton.slots.length; k++) out += texts[skeleton.slots[k]!]! + skeleton.pieces[k + 1]!;
    return out;
  }
}

/**
 * One attribute's rendered value as JSON (an array for a multi-valued one); undefined when the
 * rendering leaves it out, null when it cannot be written from the body (a binary value: the
 * record is decoded instead). Plain values are the body's text as it is; references are read to
 * the ids they name.
 */
function attributeText(schema: ServedSchema, attribute: ServedAttribute, body: string, parts: BodySpans, i: number, read: ReferenceReader): string | undefined | null {
  let start = parts.spans[i * 2]!;
  let end = parts.spans[i * 2 + 1]!;
  // The renderer prefers the object's DN to a value of the DN attribute.
  if (attribute.name === DN_ATTRIBUTE && parts.dn !== undefined) [start, end] = parts.dn;
  if (start === -1) return undefined;
  if (holdsBinary(body, parts, start, end)) return null;
  if (schema.references.has(attribute.name)) {
    const ids = spanValues(body, start, end)!.flatMap((value) => read(value as AttributeValue) ?? []);
    if (ids.length === 0) return undefined;
    return JSON.stringify(attribute.multiValued ? ids : ids[0]);
  }
  if (body.charCodeAt(start) === 91) {
    // No values (a body never holds an empty list, but it would render as nothing).
    if (body.charCodeAt(start + 1) === 93) return undefined;
    return attribute.multiValued ? body.slice(start, end) : body.slice(start + 1, skipValue(body, start + 1));
  }
  const value = body.slice(start, end);
  return attribute.multiValued ? `[${value}]` : value;
}
