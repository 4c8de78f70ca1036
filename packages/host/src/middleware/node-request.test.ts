import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rawRequest, serveForTests } from '../../test/fixtures/loopback-server.js';
import { incomingOf, requestHeader } from './node-request.js';

const NAMES = ['authorization', 'x-request-id', 'content-type', 'x-absent'];

/** Answers, per header name, what requestHeader and Hono's own c.req.header read. */
function app(): Hono {
  const hono = new Hono();
  hono.get('/headers', (c) => c.json({ node: incomingOf(c) !== undefined, ours: NAMES.map((n) => requestHeader(c, n) ?? null), hono: NAMES.map((n) => c.req.header(n) ?? null) }));
  return hono;
}

/** GET /headers with raw header lines (names in any case, repeated); given as a list, Node adds no Host. */
async function get(port: number, headers: [string, string][]): Promise<{ node: boolean; ours: unknown[]; hono: unknown[] }> {
  const res = await rawRequest(port, { path: '/headers', headers: [['Host', '127.0.0.1'], ...headers].flat() });
  return JSON.parse(res.text) as { node: boolean; ours: unknown[]; hono: unknown[] };
}

describe('requestHeader', () => {
  const port = serveForTests(app().fetch);

  it('reads from the Node request what Hono reads from its Headers, repeated and odd-cased names included', async () => {
    const answer = await get(port(), [
      ['Authorization', 'Bearer abc'],
      ['X-Request-ID', 'one'],
      ['x-request-id', 'two'],
      ['CONTENT-TYPE', 'application/scim+json'],
    ]);
    expect(answer.node).toBe(true);
    expect(answer.ours).toEqual(['Bearer abc', 'one, two', 'application/scim+json', null]);
    expect(answer.ours).toEqual(answer.hono);
  });

  it('falls back to Hono without a Node request: app.request, or an env whose incoming only carries the socket', async () => {
    const expected = { node: false, ours: ['Bearer xyz', null, null, null], hono: ['Bearer xyz', null, null, null] };
    const res = await app().request('/headers', { headers: { authorization: 'Bearer xyz' } });
    expect(await res.json()).toEqual(expected);
    const socketOnly = await app().fetch(new Request('http://localhost/headers', { headers: { authorization: 'Bearer xyz' } }), { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
    expect(await socketOnly.json()).toEqual(expected);
  });
});
