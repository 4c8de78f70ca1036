// The console wizard in Debian's Chromium creating one connector that serves people as SCIM Users
// and teams as SCIM Groups (issue 17): a real host over HTTPS with the console wired in as
// `ecmahost serve` wires it, the teams connector installed as a package, SCIM over the same port.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHost } from '../src/server/run-host.js';
import type { RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import { TEAMS_PACKAGE, installTeamsPackage } from './fixtures/teams-connector.js';

const CHROMIUM = process.env.ECMAHOST_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const requireLive = process.env.ECMAHOST_REQUIRE_LIVE === '1';
const GROUP_EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group';

if (!haveChromium && !requireLive) console.warn(`console groups browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium && !requireLive)('console wizard serving Users and Groups in Chromium (skipped without /usr/bin/chromium unless ECMAHOST_REQUIRE_LIVE=1)', () => {
  let dir: string;
  let dataDir: string;
  let dataFile: string;
  let running: RunningHost;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  const heading = async (): Promise<string> => (await page.locator('h1').textContent()) ?? '';

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`ECMAHOST_REQUIRE_LIVE=1 but ${CHROMIUM} is not installed (apt-get install chromium)`);
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-console-groups-'));
    dataDir = path.join(dir, 'data');
    await initStore(dataDir, { settings: { hostName: 'localhost' }, env: {} });
    await installTeamsPackage(dataDir);
    dataFile = path.join(dir, 'teams.json');
    writeFileSync(dataFile, JSON.stringify({ person: { alice: { login: ['alice'], mail: ['alice@example.test'] } }, team: {} }));
    running = await runHost({ dataDir, port: 0, bind: '127.0.0.1', env: {}, logger: pino({ level: 'silent' }) });
    base = `https://127.0.0.1:${running.server.port}`;
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      ignoreHTTPSErrors: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await running?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the connector page by page with a Groups type, and both resource types answer', { timeout: 120_000 }, async () => {
    await page.goto(`${base}/console/login`);
    await page.fill('#credential', readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim());
    await page.click('#sign-in');
    await page.goto(`${base}/console/wizard?new=1`);
    expect(await heading()).toBe('New connector: Properties');
    await page.fill('#name', 'Teams');
    await page.selectOption('#package', TEAMS_PACKAGE);
    await page.fill('#autosync', '0');
    await page.click('button[data-generate-token]');
    const token = await page.inputValue('#token');
    await page.click('#next');
    expect(await heading()).toBe('New connector: Connectivity');
    await page.fill('#param-file', dataFile);
    // The connector's other pages are empty; walk them to Microsoft's Object Types page.
    for (let i = 0; i < 6 && (await heading()) !== 'New connector: Object Types'; i++) await page.click('#next');
    expect(await heading()).toBe('New connector: Object Types');
    expect(await page.inputValue('#objectType')).toBe('person');
    expect(await page.locator('#groupObjectType option').allTextContents()).toEqual(['(none)', 'team']);
    await page.selectOption('#groupObjectType', 'team');
    await page.click('#next');
    expect(await heading()).toBe('New connector: Select Attributes');
    await page.click('#next');
    expect(await heading()).toBe('New connector: SCIM Mapping');
    await page.click('#next');
    expect(await heading()).toBe('New connector: Deprovisioning');
    await page.click('#next');
    expect(await heading()).toBe('New connector: Run Profiles');
    await page.click('#next');
    expect(await heading()).toBe('New connector: Finish');
    expect(await page.locator('#wizard-form').textContent()).toContain('Served as SCIM Groups');
    await page.click('#next');
    expect(await heading()).toBe('Connector Teams created');

    const config = await running.store.readConnector('Teams');
    expect(config.additionalTypes).toEqual([
      expect.objectContaining({ objectType: 'team', resourceType: 'Group', anchor: ['code'], scimMapping: { displayName: 'name', members: 'member' } }),
    ]);

    // Both resource types answer over SCIM with the wizard's token.
    const scim = `${base}/ecma2host_Teams/scim`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
    let users: { totalResults: number; Resources: { id: string }[] } | undefined;
    await expect
      .poll(async () => {
        const res = await context.request.get(`${scim}/Users?filter=${encodeURIComponent('userName eq "alice"')}`, { headers });
        users = res.status() === 200 ? ((await res.json()) as typeof users) : undefined;
        return users?.totalResults;
      }, { timeout: 30_000, interval: 500 })
      .toBe(1);
    const alice = users!.Resources[0]!.id;
    const created = await context.request.post(`${scim}/Groups`, {
      headers,
      data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', GROUP_EXT], displayName: 'Engineering', members: [{ value: alice }], [GROUP_EXT]: { code: 'eng' } },
    });
    expect(created.status()).toBe(201);
    const group = (await created.json()) as { id: string };
    const found = await context.request.get(`${scim}/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Engineering"')}`, { headers });
    expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: group.id, displayName: 'Engineering' }] });
    const types = (await (await context.request.get(`${scim}/ResourceTypes`, { headers })).json()) as { Resources: { name: string }[] };
    expect(types.Resources.map((t) => t.name)).toEqual(['User', 'Group']);
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).team).toEqual({ eng: { code: ['eng'], name: ['Engineering'], member: ['alice'] } });
  });
});
