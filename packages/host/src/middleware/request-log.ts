import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { requestLineWriter } from '../logging/default-logger.js';
import type { RequestLine } from '../logging/default-logger.js';
import type { HostMetrics } from '../metrics/host-metrics.js';
import { outgoingOf, requestHeader } from './node-request.js';

/**
 * Gives each request an id (the caller's `x-request-id` when it is a sane token, else a new UUID,
 * echoed in the response), and after the response writes one log line (connector, method, path,
 * status, latency, request id) and the request metrics. The query string is left out of the line:
 * filter values are user data.
 */
export function requestLog(logger: Logger, metrics: HostMetrics): MiddlewareHandler {
  // The line's fields are fixed here (no header, body or query value), so the redaction paths the
  // host logger carries for other lines can never match them; skipping the walk was ~2 µs a request.
  const lines = logger.child({}, { redact: { paths: [] } });
  // The default logger's lines are written without pino's walk over the fields (same line).
  const infoLine = requestLineWriter(logger);
  return async (c, next) => {
    const given = requestHeader(c, 'x-request-id');
    const requestId = given !== undefined && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    // Served by Node, the header goes on the Node response: every answer carries it, however it
    // was built, and the answers' own headers stay a plain object (an undici `Headers` per
    // response was about 3 % of a lookup's instructions, docs/performance.md). Elsewhere it is
    // set before the handler runs, so responses built through the context carry it as they are
    // made: setting it afterwards makes Hono rebuild the response as a stream.
    const outgoing = outgoingOf(c);
    if (outgoing === undefined) c.header('x-request-id', requestId);
    else outgoing.setHeader('x-request-id', requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // Responses a route built on its own (console pages, the host-wide 404) lose the prepared
    // header; only those pay for adding it now.
    if (outgoing === undefined && !c.res.headers.has('x-request-id')) c.header('x-request-id', requestId);
    const connector = (c.get('connector') as string | undefined) ?? null;
    const status = c.res.status;
    if (connector !== null) metrics.requests.record(connector, c.req.method, status, seconds);
    const line: RequestLine = { requestId, connector, method: c.req.method, path: c.req.path, status, latencyMs: Math.round(seconds * 1000 * 10) / 10 };
    if (status >= 500) lines.warn(line, 'request');
    else if (infoLine === undefined) lines.info(line, 'request');
    else infoLine(line);
  };
}
