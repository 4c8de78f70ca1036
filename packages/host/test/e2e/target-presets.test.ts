// Issue 18, Done-when line 2: `ecmahost connector add` offers the AD LDS preset and SQL Server, and
// what it stores validates, through the built binary as an admin runs it. AD LDS stands in as a
// private slapd loaded with AD LDS's schema (objectGUID bytes, uSNChanged written as AD would have);
// no SQL Server can run here, so the SQL Server path is shown to pass every page's validation and
// to stop only where tedious dials a server that is not there.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSecret } from '@ecmahost/sdk';
import { Attribute, type Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootClient } from '../../../../plugins/generic-ldap/test/ldap-target.js';
import { freePort, liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../../plugins/generic-ldap/test/slapd.js';
import { openStore } from '../../src/store/store.js';
import { KEYS, type ServeProcess, Terminal, eventually, hasScript, httpsRequest, startServe, useCliWorkspace } from '../cli-harness.js';
import { type ConsoleSession, headingOf, signInToConsole } from '../fixtures/console-session.js';
import { EXT } from '../fixtures/fixture-host.js';

const skip = slapdSkipReason();
const SCHEMA = fileURLToPath(new URL('../../../../plugins/generic-ldap/test/fixtures/adlds-schema.ldif', import.meta.url));
const TOKEN = 'adlds-preset-token-0123456789abcdef';
// Microsoft's documented System.Guid pair: the text form AD tools show and the bytes AD stores.
const GUID = '35918bc9-196d-40ea-9779-889d79b753f0';
const GUID_BYTES = Buffer.from('C98B91356D19EA409779889D79B753F0', 'hex');

const { DOWN, ENTER } = KEYS;

/**
 * A stored configuration as a comparable value: the salted token hash left out and the secret
 * decrypted. Optional parameters left blank at the prompts are stored as flags store them (not at
 * all), so nothing else is normalised.
 */
async function comparableConfig(dataDir: string, name: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const config = await (await openStore(dataDir, env)).readConnector(name);
  const parameters = Object.entries(config.parameters).map(([k, v]) => [k, isSecret(v) ? { secret: v.reveal() } : v]);
  return { ...config, tokenHash: 'salted', parameters: Object.fromEntries(parameters) };
}

/** The flags an admin types for AD LDS: the connection and the preset, nothing of the Global page but the container. */
function adldsAddArgs(name: string, slapd: Slapd, users: string): string[] {
  return [
    'connector', 'add', name, '--package', '@ecmahost/connector-generic-ldap',
    '--param', 'directoryType=adlds',
    '--param', 'host=127.0.0.1', '--param', `port=${slapd.port}`, '--param', 'security=StartTLS', '--param', `caCertificate=${slapd.caFile}`,
    '--param', 'binding=Simple', '--param', `bindDn=${slapd.bindDn}`, '--param', `bindPassword=${slapd.bindPassword}`,
    '--param', `containers=${users}`,
    '--dn-attribute=-dn-', '--scim', 'userName=cn', '--delete-flow', 'delete', '--autosync', '0', '--token', TOKEN,
  ];
}

describe.skipIf(skip !== undefined)(liveTitle('connector add with the AD LDS preset over slapd with the AD LDS schema (built binary)', skip), () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-adlds-preset-' });
  const { run, env } = workspace;
  let slapd: Slapd;
  let root: Client;
  let users: string;

  beforeAll(async () => {
    slapd = await startSlapd({ schemaLdifFile: SCHEMA, accesslog: false });
    root = await rootClient(slapd);
    users = `cn=Users,${slapd.baseDn}`;
    await root.add(users, { objectClass: 'container', cn: 'Users', uSNChanged: '2' });
    await root.add(`cn=Ada Lovelace,${users}`, [
      new Attribute({ type: 'objectClass', values: ['user'] }),
      new Attribute({ type: 'cn', values: ['Ada Lovelace'] }),
      new Attribute({ type: 'displayName', values: ['Ada'] }),
      new Attribute({ type: 'objectGUID', values: [GUID_BYTES] }),
      new Attribute({ type: 'uSNChanged', values: ['10'] }),
    ]);
    const init = await run('init', '--host-name', 'localhost');
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => {
    await root?.unbind();
    await slapd?.stop();
  });

  it('stores the preset (class user, anchor objectGUID, usnChanged, unicodePwd), tests it, serves the user with its GUID text and resets its unicodePwd', async () => {
    const added = await run(...adldsAddArgs('AdLds', slapd, users));
    expect(added.code, added.stderr).toBe(0);
    const stored = await readFile(path.join(workspace.dataDir, 'connectors', 'AdLds.yaml'), 'utf8');
    expect(stored).toMatch(/^objectType: user$/m);
    expect(stored).toMatch(/^anchor:\n {2}- objectGUID$/m);
    expect(stored).toMatch(/^ {2}directoryType: adlds$/m);
    expect(stored).toMatch(/^ {2}objectClasses: user$/m);
    expect(stored).toMatch(/^ {2}anchor: objectGUID$/m);
    expect(stored).toMatch(/^ {2}deltaMethod: usnChanged$/m);
    expect(stored).toMatch(/^ {2}passwordAttribute: unicodePwd$/m);
    expect(stored).not.toContain(slapd.bindPassword);

    const tested = await run('connector', 'test', 'AdLds');
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toContain('succeeded.');

    const serve = await startServe(workspace.dataDir, env);
    try {
      const ca = await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8');
      const filter = encodeURIComponent('userName eq "Ada Lovelace"');
      const url = `https://localhost:${serve.port}/ecma2host_AdLds/scim/Users?filter=${filter}`;
      // The first import runs in the background after the start; a refusal is returned at once.
      const found = await eventually(async () => {
        const answer = await httpsRequest(url, { ca, token: TOKEN });
        return answer.status !== 200 || (answer.json() as { totalResults: number }).totalResults > 0 ? answer : undefined;
      }, 'the first import of Ada');
      expect(found.status, found.body).toBe(200);
      expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'Ada Lovelace', [EXT]: { objectGUID: GUID, '-dn-': `cn=Ada Lovelace,${users}` } }] });
      // A password reset from Entra reaches AD LDS's unicodePwd over the StartTLS connection the preset needs.
      const id = (found.json() as { Resources: { id: string }[] }).Resources[0]?.id ?? '';
      const reset = await httpsRequest(`https://localhost:${serve.port}/ecma2host_AdLds/scim/Users/${id}`, {
        ca,
        token: TOKEN,
        method: 'PATCH',
        body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'password', value: 'N3w-Passw0rd!' }] },
      });
      expect(reset.status, reset.body).toBe(200);
      // AD's form: the password in double quotes, UTF-16LE (MS-ADTS §3.1.1.3.1.5.1).
      const quoted = Buffer.from('"N3w-Passw0rd!"', 'utf16le').toString('base64');
      expect(await slapd.ldapsearch(`cn=Ada Lovelace,${users}`, '(objectClass=*)', ['unicodePwd'], 'base')).toContain(`unicodePwd:: ${quoted}`);
    } finally {
      await serve.stop();
    }
  }, 60_000);

  it.skipIf(!hasScript())(`stores the same configuration when adlds is chosen at the prompts${hasScript() ? '' : ' — skipped: util-linux "script" is needed for a pseudo-terminal'}`, async () => {
    // Another data directory, so the connector has the same name as the one the test above added by flags.
    const promptsDir = path.join(workspace.dir, 'prompts-data');
    expect((await run('-d', promptsDir, 'init', '--host-name', 'localhost')).code).toBe(0);
    const schemaFlags = ['--dn-attribute=-dn-', '--scim', 'userName=cn', '--delete-flow', 'delete', '--autosync', '0', '--token', TOKEN];
    const term = new Terminal(['-d', promptsDir, 'connector', 'add', 'AdLds', '--package', '@ecmahost/connector-generic-ldap', ...schemaFlags], env, workspace.dir);
    try {
      await term.waitFor('connectivity parameters');
      await term.answer('Directory type', DOWN + ENTER);
      await term.answer('Host — ', `127.0.0.1${ENTER}`);
      await term.answer('Port (optional)', `${slapd.port}${ENTER}`);
      await term.answer('Connection security', ENTER);
      await term.answer('Allow unencrypted connection', ENTER);
      await term.answer('Binding (optional)', ENTER);
      await term.answer('Bind DN', `${slapd.bindDn}${ENTER}`);
      await term.answer('Password (optional)', `${slapd.bindPassword}${ENTER}`);
      await term.answer('CA certificates', `${slapd.caFile}${ENTER}`);
      for (const label of ['Certificate name', 'Client certificate', 'Client key', 'Connection timeout', 'Operation timeout', 'Connections (optional)']) await term.answer(label, ENTER);
      // The Global page starts from the preset: every answer below is the offered one but the container.
      await term.waitFor('global parameters');
      for (const label of ['Object classes', 'Anchor (optional)', 'Include operational attributes', 'Attribute aliases']) await term.answer(label, ENTER);
      await term.answer('Containers', `${users}${ENTER}`);
      for (const label of ['DN template', 'Delta import', 'Change log DN', 'Password attribute', 'Empty group member', 'Refuse references to missing entries', 'Password set']) await term.answer(label, ENTER);
      await term.answer('Anchor attribute(s)', ENTER);
      await term.answer('Attributes to serve', ENTER);
      await term.answer('Treat as single value', ENTER);
      await term.answer('Disable flow', ENTER);
      await term.waitFor('Added connector AdLds');
      expect(await term.exited).toBe(0);
    } finally {
      term.kill();
    }
    const fromPrompts = await comparableConfig(promptsDir, 'AdLds', env);
    expect(fromPrompts).toMatchObject({ objectType: 'user', anchor: ['objectGUID'], parameters: { directoryType: 'adlds', objectClasses: 'user', anchor: 'objectGUID', deltaMethod: 'usnChanged', passwordAttribute: 'unicodePwd', passwordMethod: 'attribute' } });
    expect(fromPrompts).toEqual(await comparableConfig(workspace.dataDir, 'AdLds', env));
    const tested = await run('-d', promptsDir, 'connector', 'test', 'AdLds');
    expect(tested.code, tested.stderr).toBe(0);
  }, 60_000);
});

describe('connector add with SQL Server (built binary, no SQL Server reachable)', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-mssql-preset-' });
  const { run, env } = workspace;
  const connectorFiles = async () => (existsSync(path.join(workspace.dataDir, 'connectors')) ? await readdir(path.join(workspace.dataDir, 'connectors')) : []);
  const mssqlArgs = (name: string, port: number, extra: string[] = []) => [
    'connector', 'add', name, '--package', '@ecmahost/connector-generic-sql',
    '--param', 'dialect=mssql', '--param', 'host=127.0.0.1', '--param', `port=${port}`,
    '--param', 'database=CONTOSO', '--param', 'user=ecmahost', '--param', 'password=Pa55w.rd-not-stored',
    '--param', 'table=Employees', '--param', 'anchorColumns=ContosoLogin',
    ...extra,
  ];

  beforeAll(async () => {
    const init = await run('init', '--host-name', 'localhost');
    expect(init.code, init.stderr).toBe(0);
  });

  it('passes every page and stops only at the connection test, naming the server, and writes no file', async () => {
    // A loopback port nothing listens on: tedious really dials it and is refused.
    const port = await freePort();
    const added = await run(...mssqlArgs('Contoso', port));
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(`error: Generic SQL: Cannot reach 127.0.0.1:${port}:`);
    expect(added.stderr).toContain('Check the server name and port, and that the database is running.');
    expect(added.stderr).not.toContain('invalid values');
    expect(added.stdout + added.stderr).not.toContain('Pa55w.rd-not-stored');
    expect(await connectorFiles()).toEqual([]);
  }, 30_000);

  it('dials the server with tedious: a listener that hangs up at once sees the connection, and the error names it', async () => {
    const dialled: Socket[] = [];
    const listener = createServer((socket) => {
      dialled.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      const added = await run(...mssqlArgs('HungUp', port));
      expect(added.code).toBe(1);
      expect(added.stderr).toContain(`127.0.0.1:${port}`);
      expect(added.stderr).not.toContain('invalid values');
      expect(dialled.length).toBeGreaterThan(0);
      expect(await connectorFiles()).toEqual([]);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  }, 30_000);

  it.skipIf(!hasScript())(`takes mssql chosen at the prompts through every page and stops only at the connection test${hasScript() ? '' : ' — skipped: util-linux "script" is needed for a pseudo-terminal'}`, async () => {
    const port = await freePort();
    const term = new Terminal(['-d', workspace.dataDir, 'connector', 'add', 'Prompted', '--package', '@ecmahost/connector-generic-sql'], env, workspace.dir);
    try {
      await term.waitFor('connectivity parameters');
      // The dropdown lists mssql as an option (the prompt's description names it too, so the radio mark is matched).
      await term.waitFor('Database (optional)');
      await term.waitFor('○ mssql');
      await term.type(DOWN.repeat(4) + ENTER);
      await term.waitFor(/◇ {2}Database \(optional\)[^\n]*\n│ {2}mssql\n/);
      await term.answer('Connection URL', ENTER);
      await term.answer('Server', `127.0.0.1${ENTER}`);
      await term.answer('Port', `${port}${ENTER}`);
      await term.answer('Instance name', ENTER);
      await term.answer('Database name', `CONTOSO${ENTER}`);
      await term.answer('User name', `ecmahost${ENTER}`);
      await term.answer('Password', `Pa55w.rd-not-stored${ENTER}`);
      for (const label of ['TLS', 'CA certificate file', 'Pool size', 'Statement timeout', 'SQLite journal', 'SQLite durability']) await term.answer(label, ENTER);
      await term.waitFor('schema parameters');
      for (const label of ['Object type detection', 'Object types', 'Object type column', 'Object type query', 'Attribute detection']) await term.answer(label, ENTER);
      await term.answer('Table or view', `Employees${ENTER}`);
      for (const label of ['Attribute query', 'Multi-valued table', 'Join condition', 'More object types']) await term.answer(label, ENTER);
      await term.answer('Anchor —', `ContosoLogin${ENTER}`);
      for (const label of ['DN column', 'Autogenerated DN', 'Data types', 'Directions']) await term.answer(label, ENTER);
      for (const label of ['Delta strategy', 'Watermark query', 'Watermark column', 'Change table', 'Change type column', 'Change sequence column', 'Password method', 'Set password procedure', 'Password column', 'Password hash']) await term.answer(label, ENTER);
      for (const label of ['Import method', 'Import procedure', 'Import procedure parameters', 'Import query', 'Export method', 'Add procedure', 'Update procedure', 'Delete procedure', 'Procedure parameters', 'Add value procedure', 'Remove value procedure', 'Add statement', 'Update statement', 'Delete statement']) await term.answer(label, ENTER);
      // Leaving the connector's pages tests the connection: tedious dials the port and is refused.
      await term.waitFor(`error: Generic SQL: Cannot reach 127.0.0.1:${port}:`);
      expect(await term.exited).toBe(1);
    } finally {
      term.kill();
    }
    expect(term.text).toContain('Check the server name and port, and that the database is running.');
    expect(term.text).not.toContain('invalid values');
    expect(term.text).not.toContain('Pa55w.rd-not-stored');
    expect(await connectorFiles()).toEqual([]);
  }, 30_000);

  it('refuses an unknown TLS mode and a password inside the connection URL by validation, naming the parameter', async () => {
    const port = await freePort();
    const tls = await run(...mssqlArgs('BadTls', port, ['--param', 'tls=sometimes']));
    expect(tls.code).toBe(1);
    expect(tls.stderr).toContain('invalid values on the connectivity page:\n  - TLS (tls): TLS must be one of: disabled, required, required-no-verify.');
    expect(tls.stderr).not.toContain(`127.0.0.1:${port}`);
    const url = await run(
      'connector', 'add', 'BadUrl', '--package', '@ecmahost/connector-generic-sql',
      '--param', 'dialect=mssql', '--param', `connectionUrl=mssql://ecmahost:s3cret-pw@127.0.0.1:${port}/CONTOSO`,
      '--param', 'table=Employees', '--param', 'anchorColumns=ContosoLogin',
    );
    expect(url.code).toBe(1);
    expect(url.stderr).toContain('Connection URL (connectionUrl): The connection URL contains a password');
    expect(url.stdout + url.stderr).not.toContain('s3cret-pw');
    expect(await connectorFiles()).toEqual([]);
  }, 30_000);
});

describe('the console wizard offers SQL Server and the AD LDS preset (ecmahost serve, real HTTP)', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-console-presets-' });
  const { run, env } = workspace;
  let serve: ServeProcess;
  let session: ConsoleSession;
  const page = async () => (await session.get('/console/wizard')).text();
  const next = (form: Record<string, string | string[]>) => session.post('/console/wizard', { nav: 'next', ...form });
  const startWizard = async (name: string, connectorPackage: string) => {
    // A wizard left open by an earlier test is cancelled, as an admin clicks Cancel.
    await session.post('/console/wizard', { nav: 'cancel' });
    expect(headingOf(await (await session.get('/console/wizard?new=1')).text())).toBe('New connector: Properties');
    const properties = await next({ name, package: connectorPackage, autosync: '0', token: '' });
    expect(properties.status, await properties.text()).toBe(303);
  };

  beforeAll(async () => {
    const init = await run('init', '--host-name', 'localhost');
    expect(init.code, init.stderr).toBe(0);
    // Plain HTTP on loopback keeps the requests to Node's fetch; the console is the same over TLS.
    serve = await startServe(workspace.dataDir, env, ['--port', '0', '--insecure-http']);
    const adminToken = (await readFile(path.join(workspace.dataDir, 'admin-token'), 'utf8')).trim();
    session = await signInToConsole(`http://127.0.0.1:${serve.port}`, adminToken);
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('lists mssql among the databases, and takes SQL Server answers up to the connection test', async () => {
    await startWizard('Contoso', '@ecmahost/connector-generic-sql');
    let html = await page();
    expect(html).toContain('<option value="mssql">mssql</option>');
    const sqlServer = { 'p.dialect': 'mssql', 'p.host': '127.0.0.1', 'p.database': 'CONTOSO', 'p.user': 'ecmahost', 'p.password': 'Pa55w.rd-not-stored', 'p.tls': 'disabled' };
    // A password inside the connection URL is refused next to its field; the form shown again keeps
    // the URL with its password masked, so the password never goes back to the browser.
    const withPassword = await next({ ...sqlServer, 'p.connectionUrl': 'mssql://ecmahost:s3cret-pw@127.0.0.1/CONTOSO' });
    expect(withPassword.status).toBe(400);
    html = await withPassword.text();
    expect(html).toMatch(/id="error-connectionUrl"[^>]*>The connection URL contains a password/);
    expect(html).not.toContain('s3cret-pw');
    expect(html).toContain('value="mssql://ecmahost:***@127.0.0.1/CONTOSO"');
    // A loopback port nothing listens on: every page validates, and leaving the connector's pages
    // (connection test, then schema discovery) fails only on the connection, naming the server.
    const port = await freePort();
    expect((await next({ ...sqlServer, 'p.connectionUrl': '', 'p.port': String(port) })).status).toBe(303);
    expect(headingOf(await page())).toBe('New connector: Schema 1');
    expect((await next({})).status).toBe(303);
    expect(headingOf(await page())).toBe('New connector: Schema 2');
    expect((await next({ 'p.table': 'Employees' })).status).toBe(303);
    expect(headingOf(await page())).toBe('New connector: Schema 3');
    expect((await next({ 'p.anchorColumns': 'ContosoLogin' })).status).toBe(303);
    for (const heading of ['Schema 4', 'Global', 'Run step']) {
      html = await page();
      expect(headingOf(html)).toBe(`New connector: ${heading}`);
      if (heading !== 'Run step') expect((await next({})).status).toBe(303);
    }
    const left = await next({});
    expect(left.status).toBe(400);
    html = await left.text();
    expect(headingOf(html)).toBe('New connector: Run step');
    expect(html).toContain(`<div class="failure" role="alert" id="page-error">Connection test or schema discovery failed: Generic SQL: Cannot reach 127.0.0.1:${port}:`);
    expect(html).not.toMatch(/id="error-[A-Za-z]+"/);
    expect(html).not.toContain('Pa55w.rd-not-stored');
  }, 30_000);

  it('lists adlds among the directory types, and the Global page then starts from the AD LDS preset', async () => {
    await startWizard('AdLds', '@ecmahost/connector-generic-ldap');
    let html = await page();
    expect(html).toContain('<select id="param-directoryType" name="p.directoryType"><option value="generic" selected="">generic</option><option value="adlds">adlds</option></select>');
    const port = await freePort();
    const connectivity = await next({ 'p.directoryType': 'adlds', 'p.host': '127.0.0.1', 'p.port': String(port), 'p.security': 'StartTLS', 'p.binding': 'Simple', 'p.bindDn': 'CN=svc,CN=Users,DC=contoso,DC=com', 'p.bindPassword': 'svc-password' });
    expect(connectivity.status, await connectivity.text()).toBe(303);
    html = await page();
    expect(headingOf(html)).toBe('New connector: Global');
    // The Global page starts from the preset; nothing of the server is needed for it (none listens).
    expect(html).toContain('<input type="text" id="param-objectClasses" name="p.objectClasses" value="user"');
    expect(html).toContain('<input type="text" id="param-anchor" name="p.anchor" value="objectGUID"');
    expect(html).toContain('<option value="usnChanged" selected="">usnChanged</option>');
    expect(html).toContain('<input type="text" id="param-passwordAttribute" name="p.passwordAttribute" value="unicodePwd"');
    expect(html).toContain('<option value="attribute" selected="">attribute</option>');
    // Leaving the connector's pages tests the connection: the only error is the server not answering.
    const left = await next({ 'p.objectClasses': 'user', 'p.anchor': 'objectGUID', 'p.deltaMethod': 'usnChanged', 'p.passwordAttribute': 'unicodePwd', 'p.passwordMethod': 'attribute', 'present.includeOperationalAttributes': '1' });
    expect(left.status).toBe(400);
    html = await left.text();
    expect(headingOf(html)).toBe('New connector: Global');
    expect(html).toContain(`id="page-error">Connection test or schema discovery failed:`);
    expect(html).toContain(`127.0.0.1:${port}`);
    expect(html).not.toMatch(/id="error-[A-Za-z]+"/);
  }, 30_000);
});
