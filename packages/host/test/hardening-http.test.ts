import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server/start-server.js';
import type { RunningServer } from '../src/server/start-server.js';
import { TOKEN_A, startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

// Finding 5 of the hostile review (issue 15): a chunked body over the limit gets a real 413 with
// `Connection: close`, over a real socket, instead of a reset.

const LIMIT = 16 * 1024;
let f: FixtureHost;
let server: RunningServer;
beforeAll(async () => {
  f = await startFixtureHost({ host: { bodyLimitBytes: LIMIT } });
  server = await startServer({ fetch: f.host.app.fetch, port: 0, hostname: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await f.cleanup();
});

/** What a raw client read before the server closed: the response text, and whether the socket was reset. */
interface RawOutcome {
  response: string;
  reset: boolean;
}

/**
 * POSTs a chunked body of `chunks` chunks of 1 kB over a raw socket, a chunk every few
 * milliseconds until the server answers (a client that streams without waiting, as proxies do).
 */
function postChunked(chunks: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let response = '';
    let reset = false;
    let sent = 0;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (response += d));
    socket.on('error', () => (reset = true));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, reset });
    });
    socket.write(
      ['POST /ecma2host_A/scim/Users HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${TOKEN_A}`, 'Content-Type: application/scim+json', 'Transfer-Encoding: chunked', '', ''].join('\r\n'),
    );
    const piece = 'x'.repeat(1024);
    const timer = setInterval(() => {
      if (socket.destroyed || !socket.writable) return;
      if (sent === chunks) {
        socket.write('0\r\n\r\n');
        clearInterval(timer);
        return;
      }
      sent++;
      socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    }, 2);
  });
}

describe('an oversized chunked body (finding 5)', () => {
  it('gets a 413 SCIM error with Connection: close, not a reset, and writes nothing', async () => {
    const before = f.store('A');
    const { response, reset } = await postChunked(4 * (LIMIT / 1024));
    const [head = '', body = ''] = response.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(head.toLowerCase()).toContain('\r\nconnection: close');
    expect(JSON.parse(body)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '413',
      detail: `The request body is larger than ${LIMIT} bytes.`,
    });
    expect(reset).toBe(false);
    expect(f.store('A')).toEqual(before);
  });

  it('still answers a chunked body within the limit on the same server', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/ecma2host_A/scim/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN_A}`, 'content-type': 'application/scim+json' },
      body: new Blob([JSON.stringify({ userName: 'chunked', name: { givenName: 'C' } })]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    expect(f.store('A').objects.chunked?.attributes.firstName).toEqual(['C']);
  });
});
