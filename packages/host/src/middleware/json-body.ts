import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ScimError } from '../scim/errors.js';
import { incomingOf, requestHeader } from './node-request.js';

/**
 * Deepest nesting of arrays and objects accepted in a request body. A SCIM user is four levels
 * deep at most (resource, extension, multi-valued attribute, element); the cap keeps every later
 * recursive walk of the body (PATCH engine, redaction, cloning) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads a request body as JSON: `application/scim+json` and `application/json` (and no content
 * type at all) are accepted; a body over `limit` bytes is a 413 (with `Connection: close`) without
 * being read further than the limit; text that is not JSON is a 400 `invalidSyntax`; bytes that are
 * not UTF-8, strings that are not well-formed Unicode (lone surrogates) and nesting deeper than
 * {@link MAX_JSON_DEPTH} are a 400 `invalidValue`.
 */
export async function readJsonBody(c: Context, limit: number): Promise<unknown> {
  const type = requestHeader(c, 'content-type');
  if (type !== undefined && !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new ScimError(415, undefined, `Unsupported content type ${JSON.stringify(type.slice(0, 80))}; send application/scim+json.`);
  }
  const declared = Number(requestHeader(c, 'content-length') ?? '0');
  if (declared > limit) throw tooLarge(c, limit);
  // From the Node request when there is one: `c.req.raw` would build an undici Request (abort
  // signal, web stream) for every write.
  const incoming = incomingOf(c);
  const bytes = incoming === undefined ? await readLimited(c, c.req.raw, limit) : await readIncoming(c, incoming, limit);
  return parseJsonText(bytes);
}

/**
 * Parses a request body's bytes as JSON with the checks of {@link readJsonBody}: UTF-8, nesting
 * depth (scanned before `JSON.parse` so no later walk can overflow the stack), well-formed strings.
 * Throws `ScimError(400, 'invalidSyntax' | 'invalidValue')`.
 */
export function parseJsonText(bytes: Uint8Array): unknown {
  // Decoding would turn invalid bytes into U+FFFD silently, storing something the client never sent.
  if (!isUtf8(bytes)) throw new ScimError(400, 'invalidValue', 'The request body is not valid UTF-8.');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '') throw new ScimError(400, 'invalidSyntax', 'The request body is empty.');
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw new ScimError(400, 'invalidValue', `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'The request body is not valid JSON.');
  }
  // Valid UTF-8 cannot carry a surrogate, so only a `\uD800`-style escape can make one: most
  // bodies have none and skip the walk.
  if (SURROGATE_ESCAPE.test(text)) {
    const bad = firstIllFormed(value, 0);
    if (bad !== undefined) {
      throw new ScimError(400, 'invalidValue', `The request body holds a string that is not well-formed Unicode (a lone surrogate): ${JSON.stringify(bad.slice(0, 40))}.`);
    }
  }
  return value;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** In a `u` regex a surrogate pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The deepest nesting of `[` and `{` outside strings; the text need not be valid JSON. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

/** The first string (value or key) with a lone surrogate; `value` is at most MAX_JSON_DEPTH deep. */
function firstIllFormed(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? value : undefined;
  if (typeof value !== 'object' || value === null || depth > MAX_JSON_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (const element of value) {
      const bad = firstIllFormed(element, depth + 1);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  for (const [key, element] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return key;
    const bad = firstIllFormed(element, depth + 1);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/**
 * A 413 that also closes the connection: the client may still be sending the rest of the body,
 * and the connection cannot serve another request until it is read, so it is closed after the
 * answer (the server drains what arrives meanwhile) instead of being reset before it.
 */
function tooLarge(c: Context, limit: number): ScimError {
  c.header('connection', 'close');
  return new ScimError(413, undefined, `The request body is larger than ${limit} bytes.`);
}

async function readLimited(c: Context, request: Request, limit: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(c, limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function readIncoming(c: Context, incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        // The rest is not kept. The stream is left flowing rather than destroyed: destroying it
        // reset the socket before the 413 could be written, so the client saw a reset.
        incoming.off('data', onData);
        reject(tooLarge(c, limit));
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    incoming.once('error', reject);
  });
}
