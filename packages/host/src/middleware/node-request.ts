import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * The Node request behind a Hono request when @hono/node-server serves the app (its
 * `env.incoming`); undefined under `app.request()` and other runtimes. Reading headers and the
 * body from it directly spares the per-request undici `Headers` and `Request` that
 * `c.req.header()` and `c.req.raw` build, a visible share of a request's CPU in the benchmarks.
 */
export function incomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: Partial<IncomingMessage> } | undefined)?.incoming;
  // Duck-typed: an embedding app (or a test) may pass an `incoming` that only carries the socket.
  return incoming !== undefined && Array.isArray(incoming.rawHeaders) && typeof incoming.on === 'function' ? (incoming as IncomingMessage) : undefined;
}

/**
 * The Node response a request is answered on when @hono/node-server serves the app (its
 * `env.outgoing`); undefined under `app.request()` and other runtimes. A header set on it before
 * the handler runs goes out with whatever response the handler builds, without putting an undici
 * `Headers` into that response (which costs @hono/node-server its plain-object fast path).
 */
export function outgoingOf(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: Partial<ServerResponse> } | undefined)?.outgoing;
  return outgoing !== undefined && typeof outgoing.setHeader === 'function' && typeof outgoing.writeHead === 'function' && outgoing.headersSent === false ? (outgoing as ServerResponse) : undefined;
}

/**
 * A request header as `c.req.header(name)` gives it (every occurrence, joined with ", "), read
 * from the raw Node headers when there are any. `name` is lower case.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (incoming === undefined) return c.req.header(name);
  const raw = incoming.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) value = value === undefined ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
  }
  return value;
}
