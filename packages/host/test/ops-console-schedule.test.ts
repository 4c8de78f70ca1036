// The console asks the full import schedule on the wizard's Run Profiles page, through the same
// configure/ path as the CLI: an edit of a connector saved without one starts from the daily
// default, a bad value is refused on the page, and 0 is saved and stops the schedule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountConsole } from '../src/console/console-routes.js';
import { createHost, type Host } from '../src/host.js';
import { initStore, type Store } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';
import { generatedConnector } from './fixtures/generated-connector.js';

describe('the console wizard and the full import schedule', () => {
  let dir: string;
  let host: Host;
  let store: Store;
  let send: (pathname: string, init?: { form?: Record<string, string> | [string, string][] }) => Promise<Response>;
  let cookie = '';
  const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-ops-console-'));
    ({ store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} }));
    const adminToken = await store.readAdminToken();
    const loadConnector = async () => generatedConnector({ count: 2 });
    host = createHost({ connectors: [], logger: pino({ level: 'silent' }), loadConnector });
    await host.start();
    const mounted = mountConsole(host.app, { host, store, adminToken, allowRemote: false, loadConnector });
    const fetch = mounted.wrapFetch(host.app.fetch);
    send = async (pathname, init = {}) => {
      const headers = new Headers({ cookie });
      let body: string | undefined;
      if (init.form !== undefined) {
        body = new URLSearchParams(init.form).toString();
        headers.set('content-type', 'application/x-www-form-urlencoded');
      }
      const res = await fetch(new Request(`http://127.0.0.1:8585${pathname}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body === undefined ? {} : { body }) }), { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
      const set = /ecmahost_console=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      if (set !== undefined) cookie = `ecmahost_console=${set}`;
      return res;
    };
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const signIn = await send('/console/login', { form: { _csrf: csrfOf(await (await send('/console/login')).text()), credential: adminToken } });
    expect(signIn.status).toBe(303);
    // Saved as an earlier version saved it: no full import schedule.
    const config = fixtureConfig('HR', TOKEN_A, 'unused', {
      package: 'generated',
      attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'firstName' }],
      scimMapping: { userName: 'login' },
      deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10 } },
    });
    await store.writeConnector(config);
    await host.addConnector(config);
  });
  afterEach(async () => {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('edits the schedule on the Run Profiles page: 24 by default, a bad value refused, 0 saved as never', async () => {
    expect((await send('/console/connectors/HR/edit')).status).toBe(303);
    let html = await (await send('/console/wizard')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    // Every page reads its own fields: the saved answers again, until Run Profiles.
    const saved: [string, string][] = [['_csrf', csrf], ['nav', 'next'], ['objectType', 'person'], ['anchor', 'login'], ['dnMode', 'autogenerate'], ['attr', 'login'], ['attr', 'mail'], ['attr', 'firstName'], ['scim-0', 'login'], ['disable', 'none'], ['deleteFlow', 'delete']];
    for (let pages = 0; !heading(html).endsWith('Run Profiles'); pages++) {
      expect(pages, heading(html)).toBeLessThan(10);
      // A page that passes redirects back to the wizard, which shows the next one.
      expect((await send('/console/wizard', { form: saved })).status).toBe(303);
      html = await (await send('/console/wizard')).text();
    }
    expect(html).toContain('id="fullImportHours" name="fullImportHours" value="24"');

    const refused = await send('/console/wizard', { form: { _csrf: csrf, nav: 'next', importPageSize: '10', fullImportHours: 'daily' } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('A whole number of hours (0 = never).');

    expect((await send('/console/wizard', { form: { _csrf: csrf, nav: 'next', importPageSize: '10', fullImportHours: '0' } })).status).toBe(303);
    html = await (await send('/console/wizard')).text();
    expect(heading(html)).toMatch(/Finish$/);
    expect(html).toContain('<dt>Full import schedule</dt><dd>never</dd>');
    expect((await send('/console/wizard', { form: { _csrf: csrf, nav: 'finish' } })).status).toBeLessThan(400);

    expect((await store.readConnector('HR')).runProfiles.fullImport).toEqual({ pageSize: 10, everyHours: 0 });
    expect(host.connectorStatus('HR')?.nextImports).toBeUndefined();
    expect(await (await send('/console/connectors/HR')).text()).toContain('<dd id="next-imports">none scheduled</dd>');
  });
});
