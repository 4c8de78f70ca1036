/**
 * The lookup limit: a bare Hono app on @hono/node-server answering
 * `GET /Users?filter=userName eq "<v>"` from a Map of the same users, rendered as the same SCIM
 * ListResponse — no token check, no request log, no filter parser, no projection.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import type { HostReply, HostRequest } from './ipc.js';
import { scimResourceOf } from './scim-bodies.js';
import { benchUser } from './users.js';

const count = Number(process.env.BENCH_USERS ?? '0');
const users = new Map<string, ReturnType<typeof scimResourceOf>>();
for (let n = 0; n < count; n++) {
  const user = benchUser(n);
  users.set(user.login, scimResourceOf(user));
}

// lookup-budget.js only: microseconds of busy work added to each lookup, to measure what a
// microsecond of a server's work per lookup costs its rate on this machine.
const spinMs = Number(process.env.BENCH_SPIN_MICROS ?? '0') / 1000;

const FILTER = /^userName eq "([^"]*)"$/;
const app = new Hono();
app.get('/Users', (c) => {
  if (spinMs > 0) {
    const until = performance.now() + spinMs;
    while (performance.now() < until);
  }
  const match = FILTER.exec(c.req.query('filter') ?? '');
  const found = match === null ? undefined : users.get(match[1]!);
  const resources = found === undefined ? [] : [found];
  return c.json(
    { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources },
    200,
    { 'content-type': 'application/scim+json' },
  );
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.send?.({ id: 0, kind: 'listening', port: info.port } satisfies HostReply);
});

// The bench died without asking for a stop: do not outlive it.
let stopping = false;
process.once('disconnect', () => {
  if (stopping) return;
  server.close();
  if ('closeAllConnections' in server) server.closeAllConnections();
});

process.on('message', (request: HostRequest) => {
  if (request.cmd === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ id: request.id, kind: 'cpu', micros: user + system } satisfies HostReply);
    return;
  }
  if (request.cmd !== 'stop') {
    process.send?.({ id: request.id, kind: 'error', message: `the bare app does not do ${request.cmd}` } satisfies HostReply);
    return;
  }
  stopping = true;
  server.close(() => {
    process.send?.({ id: request.id, kind: 'stopped' } satisfies HostReply, () => process.disconnect());
  });
  if ('closeIdleConnections' in server) server.closeIdleConnections();
});
