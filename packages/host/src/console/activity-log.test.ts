import { describe, expect, it } from 'vitest';
import { ACTIVITY_MAX_CONNECTORS, ActivityLog } from './activity-log.js';

const scimError = (status: number, detail: string): Response => new Response(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail }), { status });

describe('ActivityLog', () => {
  it('records connector requests newest first, without query strings, within its bound', async () => {
    const log = new ActivityLog({ limit: 3 });
    for (let i = 1; i <= 5; i++) await log.record(new Request(`https://h/ecma2host_HR/scim/Users?filter=userName+eq+%22u${i}%22`), new Response('{}', { status: 200 }), i);
    const requests = log.requests('HR');
    expect(requests.map((r) => r.latencyMs)).toEqual([5, 4, 3]);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/ecma2host_HR/scim/Users', status: 200 });
    expect(log.requests('Other')).toEqual([]);
  });

  it('records the path a URL parser gives, whatever the URL carries around it', async () => {
    const log = new ActivityLog();
    const urls = [
      'https://h:8585/ecma2host_HR/scim/Users?filter=a#frag',
      'https://h/ecma2host_HR/scim/Users/abc',
      'http://[::1]:8585/ecma2host_HR/scim/Users#x?y',
      'https://h/ecma2host_HR/scim/Users/a%2Fb?x=/ecma2host_Other/scim',
    ];
    for (const url of urls) await log.record(new Request(url), new Response('{}'), 1);
    expect(log.requests('HR').map((r) => r.path).reverse()).toEqual(urls.map((url) => new URL(url).pathname));
    expect(log.requests('Other')).toEqual([]);
  });

  it('keeps the directory message of failed writes, not of reads, nor of 401', async () => {
    const log = new ActivityLog();
    await log.record(new Request('https://h/ecma2host_HR/scim/Users', { method: 'POST' }), scimError(409, "Duplicate key value violates unique constraint 'pk_employees'."), 3);
    await log.record(new Request('https://h/ecma2host_HR/scim/Users', { method: 'POST' }), scimError(401, 'no token'), 1);
    await log.record(new Request('https://h/ecma2host_HR/scim/Users/x'), scimError(404, 'not found'), 1);
    await log.record(new Request('https://h/ecma2host_HR/scim/Users/x', { method: 'PATCH' }), new Response('<html>proxy error</html>', { status: 502 }), 1);
    expect(log.exportErrors('HR')).toEqual([
      expect.objectContaining({ method: 'PATCH', status: 502, message: 'HTTP 502' }),
      expect.objectContaining({ method: 'POST', status: 409, message: "Duplicate key value violates unique constraint 'pk_employees'." }),
    ]);
  });

  it('ignores requests outside connector endpoints and leaves the response readable', async () => {
    const log = new ActivityLog();
    const fetch = log.wrapFetch(async (request: Request) => (new URL(request.url).pathname === '/healthz' ? new Response('ok') : scimError(400, 'bad filter')));
    expect(await (await fetch(new Request('https://h/healthz'))).text()).toBe('ok');
    const res = await fetch(new Request('https://h/ecma2host_HR/scim/Users', { method: 'POST' }));
    expect(((await res.json()) as { detail: string }).detail).toBe('bad filter');
    expect(log.requests('HR')).toHaveLength(1);
    expect(log.exportErrors('HR')[0]?.message).toBe('bad filter');
  });

  it('records only served connectors, never a request the token check refused', async () => {
    const log = new ActivityLog({ isServed: (name) => name === 'HR' });
    await log.record(new Request('https://h/ecma2host_HR/scim/Users', { method: 'POST' }), scimError(401, 'no token'), 1);
    await log.record(new Request('https://h/ecma2host_Nope/scim/Users', { method: 'POST' }), scimError(404, 'no connector'), 1);
    await log.record(new Request('https://h/ecma2host_HR/scim/Users'), new Response('{}'), 1);
    expect(log.requests('HR')).toEqual([expect.objectContaining({ method: 'GET', status: 200 })]);
    expect(log.exportErrors('HR')).toEqual([]);
    expect(log.requests('Nope')).toEqual([]);
  });

  it(`keeps at most ${ACTIVITY_MAX_CONNECTORS} names, dropping the one recorded longest ago`, async () => {
    const log = new ActivityLog();
    for (let i = 0; i <= ACTIVITY_MAX_CONNECTORS; i++) await log.record(new Request(`https://h/ecma2host_c${i}/scim/Users`), new Response('{}'), 1);
    expect(log.requests('c0')).toEqual([]);
    expect(log.requests('c1')).toHaveLength(1);
    expect(log.requests(`c${ACTIVITY_MAX_CONNECTORS}`)).toHaveLength(1);
  });
});
