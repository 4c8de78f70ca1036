import { afterEach, describe, expect, it } from 'vitest';
import { generatedConnector } from '../../test/fixtures/generated-connector.js';
import type { TestHost } from './start-test-host.js';
import { startTestHost } from './start-test-host.js';

const person = { parameters: {}, objectType: 'person', anchor: ['login'], attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }], scimMapping: { userName: 'login' } };

let running: TestHost | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('startTestHost', () => {
  it('serves the imported objects over HTTP on loopback to its token only, until closed', async () => {
    running = await startTestHost({ connector: generatedConnector({ count: 2 }), ...person });
    expect(running.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ecma2host_conformance\/scim$/);
    expect(running.token.length).toBeGreaterThanOrEqual(32);
    const url = `${running.baseUrl}/Users?filter=${encodeURIComponent('userName eq "user1"')}`;
    const found = await fetch(url, { headers: { authorization: `Bearer ${running.token}` } });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'user1' }] });
    expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token-of-this-host-0123456789' } })).status).toBe(401);
    const { baseUrl } = running;
    await running.close();
    running = undefined;
    await expect(fetch(`${baseUrl}/Users`)).rejects.toThrow();
  });

  it('rejects with the reason when the connector cannot be served, and listens on nothing', async () => {
    const servers = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
    const before = servers();
    // The fixture's import fails as a target that is down does: the host's first import rethrows it.
    const failing = generatedConnector({ count: 1, failImports: 100 });
    await expect(startTestHost({ connector: failing, ...person })).rejects.toMatchObject({ code: 'connection-failed', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(servers()).toBe(before);
  });
});
