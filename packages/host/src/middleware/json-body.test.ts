import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rawRequest, serveForTests } from '../../test/fixtures/loopback-server.js';
import { isScimError } from '../scim/errors.js';
import { readJsonBody } from './json-body.js';

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

  it('stops reading a streamed body at the limit', async () => {
    const outcome = await postChunked(port(), Array.from({ length: 8 }, () => 'x'.repeat(512))).then(
      (res) => res.status,
      () => 'connection closed',
    );
    // The host stops reading and drops the connection, as it did through the web stream; when the
    // 413 wins the race it is what the client sees.
    expect([413, 'connection closed']).toContain(outcome);
  });
});
