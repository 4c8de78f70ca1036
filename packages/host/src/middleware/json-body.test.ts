import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rawRequest, serveForTests } from '../../test/fixtures/loopback-server.js';
import { isScimError } from '../scim/errors.js';
import { MAX_JSON_DEPTH, parseJsonText, readJsonBody } from './json-body.js';

const LIMIT = 1024;

/** An echo app: the parsed body back, or the SCIM status of the refusal. */
function echoApp(): Hono {
  const app = new Hono();
  app.post('/echo', async (c) => c.json({ body: await readJsonBody(c, LIMIT) }));
  app.onError((error, c) => c.json({ status: isScimError(error) ? error.status : 500, detail: error.message }, isScimError(error) ? (error.status as 400) : 500));
  return app;
}

function postChunked(port: number, chunks: (string | Buffer)[]): Promise<{ status: number; text: string }> {
  return rawRequest(port, { path: '/echo', method: 'POST', headers: { 'content-type': 'application/scim+json' } }, chunks);
}

describe('readJsonBody over a real socket (the Node request, not a web Request)', () => {
  const port = serveForTests(echoApp().fetch);

  it('reads a body that arrives in several chunks, a multi-byte character split between them', async () => {
    const bytes = Buffer.from(JSON.stringify({ userName: 'zoë', displayName: 'Zoë Ångström' }), 'utf8');
    const cut = bytes.indexOf(Buffer.from('ë', 'utf8')) + 1;
    const res = await postChunked(port(), [bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ body: { userName: 'zoë', displayName: 'Zoë Ångström' } });
  });

  it('refuses a declared length over the limit with 413, and text that is not JSON with 400', async () => {
    const big = await fetch(`http://127.0.0.1:${String(port())}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(LIMIT + 1) });
    expect(big.status).toBe(413);
    const bad = await postChunked(port(), ['{"userName":', ' nope']);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ detail: 'The request body is not valid JSON.' });
  });

  it('stops reading a streamed body at the limit and answers 413', async () => {
    const res = await postChunked(port(), Array.from({ length: 8 }, () => 'x'.repeat(512)));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ status: 413, detail: `The request body is larger than ${LIMIT} bytes.` });
  });
});

describe('parseJsonText', () => {
  const refusal = (text: string | Buffer): string => {
    try {
      parseJsonText(typeof text === 'string' ? Buffer.from(text) : text);
      return 'accepted';
    } catch (error) {
      return isScimError(error) ? `${error.status} ${error.scimType ?? ''}` : 'threw';
    }
  };

  it(`accepts nesting up to ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(refusal(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBe('accepted');
    expect(refusal(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toBe('400 invalidValue');
    // Brackets inside strings, escaped quotes included, are text.
    expect(refusal(`{"a":"\\"${'['.repeat(100)}"}`)).toBe('accepted');
  });

  it('refuses lone surrogates in values and keys, accepts pairs', () => {
    expect(refusal('"\\uD800"')).toBe('400 invalidValue');
    expect(refusal('{"\\uDFFF":1}')).toBe('400 invalidValue');
    expect(refusal('["ok",["\\uDBFFx"]]')).toBe('400 invalidValue');
    expect(parseJsonText(Buffer.from('"\\uD83D\\uDE00"'))).toBe('😀');
    expect(parseJsonText(Buffer.from('"\\\\uD800"'))).toBe('\\uD800');
  });
});
