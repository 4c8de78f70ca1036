import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityLog } from '../src/console/activity-log.js';
import { startServer } from '../src/server/start-server.js';
import type { RunningServer } from '../src/server/start-server.js';
import { EXT, TOKEN_A, startFixtureHost } from './fixtures/fixture-host.js';
import type { FixtureHost } from './fixtures/fixture-host.js';

// Served by Node, the request id goes on the Node response before the handler runs
// (middleware/request-log.ts): every answer must still carry it exactly once, with its own status
// and headers untouched, whichever way the answer was built.

const BASE = '/ecma2host_A/scim';
let f: FixtureHost;
let server: RunningServer;
beforeAll(async () => {
  f = await startFixtureHost();
  // As `serve` composes it: the console's activity log around the host's fetch.
  const activity = new ActivityLog();
  server = await startServer({ fetch: activity.wrapFetch(f.host.app.fetch), port: 0, hostname: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await f.cleanup();
});

interface Answer {
  status: number;
  /** Every header line as sent, names in lower case. */
  headers: [string, string][];
  body: string;
}

/** One request over a real socket; the raw header lines show a header sent twice. */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const pairs: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const values = (answer: Answer, name: string): string[] => answer.headers.filter(([n]) => n === name).map(([, v]) => v);
const auth = { authorization: `Bearer ${TOKEN_A}` };

describe('the request id over HTTP', () => {
  it('is echoed once on a lookup, a create, a PATCH, a DELETE, an error, a refused token and an unrouted path', async () => {
    const lookup = await send('GET', `${BASE}/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, { ...auth, 'x-request-id': 'req-get' });
    expect(lookup.status).toBe(200);
    expect(values(lookup, 'x-request-id')).toEqual(['req-get']);
    expect(values(lookup, 'content-type')).toEqual(['application/scim+json; charset=utf-8']);
    expect(JSON.parse(lookup.body)).toMatchObject({ totalResults: 0, Resources: [] });

    const user = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT],
      userName: 'request.id@example.com',
      active: true,
      name: { givenName: 'Request', familyName: 'Id' },
      [EXT]: { employeeNumber: '7' },
    };
    const created = await send('POST', `${BASE}/Users`, { ...auth, 'x-request-id': 'req-post' }, JSON.stringify(user));
    expect(created.status).toBe(201);
    expect(values(created, 'x-request-id')).toEqual(['req-post']);
    const { id } = JSON.parse(created.body) as { id: string };
    expect(values(created, 'location')).toEqual([expect.stringContaining(`${BASE}/Users/${id}`) as string]);

    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'name.familyName', value: 'Identifier' }] };
    const patched = await send('PATCH', `${BASE}/Users/${id}`, { ...auth, 'x-request-id': 'req-patch' }, JSON.stringify(patch));
    expect(patched.status).toBe(200);
    expect(values(patched, 'x-request-id')).toEqual(['req-patch']);
    expect(JSON.parse(patched.body)).toMatchObject({ id, name: { familyName: 'Identifier' } });

    const invalid = await send('PATCH', `${BASE}/Users/${id}`, { ...auth, 'x-request-id': 'req-400' }, '{"Operations":');
    expect(invalid.status).toBe(400);
    expect(values(invalid, 'x-request-id')).toEqual(['req-400']);
    expect(JSON.parse(invalid.body)).toMatchObject({ status: '400' });

    const refused = await send('GET', `${BASE}/Users`, { authorization: 'Bearer wrong', 'x-request-id': 'req-401' });
    expect(refused.status).toBe(401);
    expect(values(refused, 'x-request-id')).toEqual(['req-401']);
    expect(values(refused, 'www-authenticate')).toEqual(['Bearer realm="ecmahost"']);

    const deleted = await send('DELETE', `${BASE}/Users/${id}`, { ...auth, 'x-request-id': 'req-delete' });
    expect(deleted.status).toBe(204);
    expect(values(deleted, 'x-request-id')).toEqual(['req-delete']);
    expect(deleted.body).toBe('');

    const nowhere = await send('GET', '/nowhere', { 'x-request-id': 'req-none' });
    expect(nowhere.status).toBe(404);
    expect(values(nowhere, 'x-request-id')).toEqual(['req-none']);
  });

  it('is a new UUID, once, when the caller sends none or an unusable one', async () => {
    for (const given of [undefined, 'has spaces', 'x'.repeat(101)]) {
      const answer = await send('GET', '/healthz', given === undefined ? {} : { 'x-request-id': given });
      expect(answer.status).toBe(200);
      expect(values(answer, 'x-request-id')).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) as string]);
    }
  });
});
