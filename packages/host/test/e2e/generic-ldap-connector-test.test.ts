// `ecmahost connector add`, `set` and `test` check the delta source the configuration will use, as
// an admin meets it: the built CLI, the Generic LDAP connector by package name, a private slapd
// without the accesslog overlay and one with it. The default delta method (accesslog) on a server
// that has no accesslog used to pass the test and then fail every import.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshContainer } from '../../../../plugins/generic-ldap/test/ldap-target.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../../plugins/generic-ldap/test/slapd.js';
import { useCliWorkspace } from '../cli-harness.js';
import { ldapConnectorAddArgs } from '../fixtures/ldap-instance.js';

const skip = slapdSkipReason();
const TOKEN = 'ldap-connector-test-token-0123456789';

describe.skipIf(skip !== undefined)(liveTitle('connector test checks the LDAP delta source (slapd with and without accesslog)', skip), () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-ldap-test-' });
  const { run } = workspace;
  let plain: Slapd;
  let logged: Slapd;
  const connectorFiles = () => readdir(path.join(workspace.dataDir, 'connectors')).catch(() => [] as string[]);

  beforeAll(async () => {
    [plain, logged] = await Promise.all([startSlapd({ accesslog: false }), startSlapd()]);
    const init = await run('init', '--host-name', 'localhost');
    expect(init.code, init.stderr).toBe(0);
  });

  afterAll(async () => {
    await plain?.stop();
    await logged?.stop();
  });

  it('refuses to add a connector whose default accesslog delta method the server lacks, naming the log and the fix, and stores nothing', async () => {
    const ou = await freshContainer(plain, 'nolog');
    const before = await connectorFiles();
    const added = await run(...ldapConnectorAddArgs('NoLog', plain, ou, TOKEN));
    expect(added.code).not.toBe(0);
    expect(added.stderr).toContain('The accesslog database cn=accesslog is not readable');
    expect(added.stderr).toContain("Enable OpenLDAP's accesslog overlay with olcAccessLogDB: cn=accesslog");
    expect(added.stderr).toContain('or choose another delta method (Delta import)');
    expect(await connectorFiles()).toEqual(before);
  }, 60_000);

  it('refuses to switch a working connector to the accesslog method there, and keeps its file', async () => {
    const ou = await freshContainer(plain, 'switch');
    const added = await run(...ldapConnectorAddArgs('Plain', plain, ou, TOKEN, ['--param', 'deltaMethod=none']));
    expect(added.code, added.stderr).toBe(0);
    const file = path.join(workspace.dataDir, 'connectors', 'Plain.yaml');
    const stored = await readFile(file, 'utf8');
    const set = await run('connector', 'set', 'Plain', '--param', 'deltaMethod=accesslog');
    expect(set.code).not.toBe(0);
    expect(set.stderr).toContain('The accesslog database cn=accesslog is not readable');
    expect(await readFile(file, 'utf8')).toBe(stored);
    const tested = await run('connector', 'test', 'Plain');
    expect(tested.code, tested.stderr).toBe(0);
  }, 60_000);

  it('fails connector test for a stored configuration that uses the accesslog the server lacks (the file edited by hand, or the overlay removed since)', async () => {
    const ou = await freshContainer(plain, 'edited');
    expect((await run(...ldapConnectorAddArgs('Edited', plain, ou, TOKEN, ['--param', 'deltaMethod=none']))).code).toBe(0);
    const file = path.join(workspace.dataDir, 'connectors', 'Edited.yaml');
    const stored = await readFile(file, 'utf8');
    expect(stored).toMatch(/deltaMethod: none/);
    await writeFile(file, stored.replace(/deltaMethod: none/, 'deltaMethod: accesslog'));
    const tested = await run('connector', 'test', 'Edited');
    expect(tested.code).not.toBe(0);
    expect(tested.stderr).toContain('The accesslog database cn=accesslog is not readable');
    expect(tested.stderr).toContain('or choose another delta method (Delta import)');
  }, 60_000);

  it('adds and tests the same connector on a server with the accesslog overlay', async () => {
    const ou = await freshContainer(logged, 'withlog');
    const added = await run(...ldapConnectorAddArgs('WithLog', logged, ou, TOKEN));
    expect(added.code, added.stderr).toBe(0);
    expect(await readFile(path.join(workspace.dataDir, 'connectors', 'WithLog.yaml'), 'utf8')).toMatch(/deltaMethod: accesslog/);
    const tested = await run('connector', 'test', 'WithLog');
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toContain('Connection test of WithLog (Generic LDAP');
    expect(tested.stdout).toContain('succeeded.');
  }, 60_000);
});
