import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ScimError } from '../scim/errors.js';
import { incomingOf, requestHeader } from './node-request.js';

/**
 * Reads a request body as JSON: `application/scim+json` and `application/json` (and no content
 * type at all) are accepted; a body over `limit` bytes is a 413 without being read further than
 * the limit; text that is not JSON is a 400 `invalidSyntax`.
 */
export async function readJsonBody(c: Context, limit: number): Promise<unknown> {
  const type = requestHeader(c, 'content-type');
  if (type !== undefined && !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new ScimError(415, undefined, `Unsupported content type ${JSON.stringify(type.slice(0, 80))}; send application/scim+json.`);
  }
  const declared = Number(requestHeader(c, 'content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  // From the Node request when there is one: `c.req.raw` would build an undici Request (abort
  // signal, web stream) for every write.
  const incoming = incomingOf(c);
  const text = incoming === undefined ? await readLimited(c.req.raw, limit) : await readIncoming(incoming, limit);
  if (text.trim() === '') throw new ScimError(400, 'invalidSyntax', 'The request body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'The request body is not valid JSON.');
  }
}

function tooLarge(limit: number): ScimError {
  return new ScimError(413, undefined, `The request body is larger than ${limit} bytes.`);
}

async function readLimited(request: Request, limit: number): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        incoming.off('data', onData);
        // As cancelling the web stream did: the rest of the body is not read.
        incoming.destroy();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
  });
}
