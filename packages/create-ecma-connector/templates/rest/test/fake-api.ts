import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiUser } from '../src/api-client.js';

/** A running fake of the API: its base URL, its users (to look at in tests) and a way to stop it. */
export interface FakeApi {
  url: string;
  users: Map<string, ApiUser>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  // fetch keeps idle connections in Node's shared pool for a few seconds after the connector closes;
  // the kit's handles-released check would count them as the connector's. Closing each connection
  // after its answer keeps that check about what the connector itself leaves open.
  const headers: Record<string, string> = { connection: 'close' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  res.writeHead(status, headers);
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text);
}

/** What the real API would refuse with 400: the shape the template's connector sends. */
function problem(user: unknown): string | undefined {
  const u = user as Partial<Record<keyof ApiUser, unknown>> | null;
  if (typeof u !== 'object' || u === null || typeof u.userName !== 'string' || u.userName === '') return 'userName is required';
  if (u.active !== undefined && typeof u.active !== 'boolean') return 'active must be true or false';
  if (u.emails !== undefined && !(Array.isArray(u.emails) && u.emails.every((e) => typeof e === 'string'))) return 'emails must be a list of text';
  return undefined;
}

/**
 * Starts a small in-memory version of the API the connector talks to, on a free loopback port, so
 * the conformance kit runs offline. It answers what `src/api-client.ts` expects; when you change
 * the client for your API, change this fake the same way.
 */
export async function startFakeApi(apiKey?: string): Promise<FakeApi> {
  const users = new Map<string, ApiUser>();
  const server = createServer((req, res) => {
    void (async () => {
      if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { error: 'unauthorized' });
      const url = new URL(req.url ?? '/', 'http://fake');
      const one = /^\/users\/([^/]+)$/.exec(url.pathname);
      const userName = one?.[1] === undefined ? undefined : decodeURIComponent(one[1]);
      if (url.pathname === '/users' && req.method === 'GET') {
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        return send(res, 200, { users: [...users.values()].slice(offset, offset + limit), total: users.size });
      }
      if (url.pathname === '/users' && req.method === 'POST') {
        const user = await readJson(req);
        const bad = problem(user);
        if (bad !== undefined) return send(res, 400, { error: bad });
        if (users.has((user as ApiUser).userName)) return send(res, 409, { error: 'exists' });
        users.set((user as ApiUser).userName, user as ApiUser);
        return send(res, 201, user);
      }
      if (userName === undefined) return send(res, 404, { error: 'no such route' });
      if (!users.has(userName)) return send(res, 404, { error: `no user ${userName}` });
      if (req.method === 'GET') return send(res, 200, users.get(userName));
      if (req.method === 'DELETE') {
        users.delete(userName);
        return send(res, 204);
      }
      if (req.method === 'PUT') {
        const user = await readJson(req);
        const bad = problem(user);
        if (bad !== undefined) return send(res, 400, { error: bad });
        users.set(userName, { ...(user as ApiUser), userName });
        return send(res, 200, users.get(userName));
      }
      return send(res, 405, { error: 'method not allowed' });
    })().catch((error: unknown) => send(res, 400, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    users,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
