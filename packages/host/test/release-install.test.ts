// Issue 14 item 7: what this repository produces installs. `release:pack` writes tarballs of the
// published packages at the versions in their package.json files; installed with npm into an empty
// folder they give an `ecmahost` that answers --version and serves SCIM from both first-party
// connectors (Generic SQL on SQLite, Generic LDAP on a private slapd); installed globally (into a throwaway npm
// prefix, so nothing of the machine changes) they put a working `ecmahost` on PATH.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Slapd, slapdSkipReason } from '../../../plugins/generic-ldap/test/slapd.js';
import { cleanEnv, eventually, httpsRequest, useCliWorkspace } from './cli-harness.js';
import { EMPLOYEES_SQL, expectServesEmployees, runProgram, sqliteEmployeesAddArgs, stopHost } from './fixtures/installed-host-smoke.js';
import { ldapConnectorAddArgs, startSlapdWithPerson } from './fixtures/ldap-instance.js';
import { openSqliteFile } from './fixtures/sqlite-file.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'release-sql-token-0123456789-abcdefgh';
const LDAP_TOKEN = 'release-ldap-token-0123456789-abcdefg';
// slapdSkipReason throws under ECMAHOST_REQUIRE_LIVE=1 when slapd is missing: CI cannot skip the LDAP part.
const ldapSkip = slapdSkipReason();
const versionOf = (dir: string): string => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
const FOLDERS = { 'ecmahost-sdk': 'packages/sdk', 'ecmahost-host': 'packages/host', 'ecmahost-connector-generic-sql': 'plugins/generic-sql', 'ecmahost-connector-generic-ldap': 'plugins/generic-ldap', 'create-ecma-connector': 'packages/create-ecma-connector' };
// npm packaging and installing do not depend on the Node version: .ci/run tests them on its first
// Node only, and sets ECMAHOST_CI_SECOND_NODE=1 for the run on the second.
const secondNode = process.env.ECMAHOST_CI_SECOND_NODE === '1' ? 'ECMAHOST_CI_SECOND_NODE=1: CI tests npm packaging and install on its first Node only' : undefined;
const HOST_VERSION = versionOf(path.join(ROOT, 'packages/host'));
const SDK_VERSION = versionOf(path.join(ROOT, 'packages/sdk'));

/**
 * better-sqlite3's install script compiles the addon (minutes on a busy two-core machine). These
 * installs run without scripts and take the addon the repository's own install built, for the same
 * Node and the same better-sqlite3 version; the container image test does the real compile.
 */
function copyBuiltSqliteAddon(app: string): void {
  const ours = path.join(ROOT, 'node_modules/better-sqlite3');
  const theirs = path.join(app, 'node_modules/better-sqlite3');
  expect(versionOf(theirs), 'the release installs the better-sqlite3 version the repository built').toBe(versionOf(ours));
  mkdirSync(path.join(theirs, 'build/Release'), { recursive: true });
  copyFileSync(path.join(ours, 'build/Release/better_sqlite3.node'), path.join(theirs, 'build/Release/better_sqlite3.node'));
}

// Read from the repository, not the release: runs on every Node.
it("links ecmahost at a clone's first npm install: the bin is a file git tracks, not a build output", async () => {
  const bin = (JSON.parse(readFileSync(path.join(ROOT, 'packages/host/package.json'), 'utf8')) as { bin: Record<string, string> }).bin.ecmahost ?? '';
  const tracked = await runProgram('git', ['ls-files', '--error-unmatch', path.join('packages/host', bin)], { cwd: ROOT, env: cleanEnv() });
  expect(tracked.code, tracked.stderr).toBe(0);
  const built = readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
  expect(built).toContain('dist/');
  expect(bin.startsWith('./dist/')).toBe(false);
});

describe.skipIf(secondNode !== undefined)(`release:pack and installing its tarballs${secondNode === undefined ? '' : ` (skipped: ${secondNode})`}`, () => {
  const workspace = useCliWorkspace({
    prefix: 'ecmahost-release-',
    env: cleanEnv({ npm_config_ignore_scripts: 'true', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }),
  });
  const { env } = workspace;
  let release: string;
  let tarballs: string[];
  let serve: ChildProcess | undefined;
  let slapd: Slapd | undefined;

  beforeAll(async () => {
    release = path.join(workspace.dir, 'release');
    // `npm test` builds the host's dependencies first (turbo ^build), not the scaffolder, which the
    // release packs too.
    if (!existsSync(path.join(ROOT, 'packages/create-ecma-connector/dist'))) {
      const built = await runProgram('npm', ['run', 'build', '--workspace=create-ecma-connector'], { cwd: ROOT, env });
      expect(built.code, built.stderr).toBe(0);
    }
    const packed = await runProgram(process.execPath, [path.join(ROOT, 'packages/tooling/release-pack.mjs'), '--out', release], { cwd: ROOT, env: env });
    expect(packed.code, packed.stderr).toBe(0);
    tarballs = (await readdir(release)).sort().map((file) => path.join(release, file));
  }, 240_000);

  afterAll(async () => {
    await stopHost(serve);
    await slapd?.stop();
  });

  it('packs every published package at the version its package.json holds', () => {
    const expected = Object.entries(FOLDERS).map(([stem, folder]) => `${stem}-${versionOf(path.join(ROOT, folder))}.tgz`);
    expect(tarballs.map((file) => path.basename(file))).toEqual(expected.sort());
  });

  it('installed into an empty folder, answers --version and serves SCIM from both connectors (SQLite, slapd)', async () => {
    const app = path.join(workspace.dir, 'app');
    mkdirSync(app);
    const hostTarballs = tarballs.filter((file) => !path.basename(file).startsWith('create-ecma-connector'));
    const installed = await runProgram('npm', ['install', ...hostTarballs], { cwd: app, env: env });
    expect(installed.code, installed.stderr).toBe(0);
    copyBuiltSqliteAddon(app);
    const ecmahost = (...args: string[]) => runProgram('npx', ['--no-install', 'ecmahost', '--data-dir', path.join(app, 'data'), ...args], { cwd: app, env });

    const version = await ecmahost('--version');
    expect(version.stdout.trim()).toBe(`ecmahost ${HOST_VERSION} (@ecmahost/sdk ${SDK_VERSION}, Node.js ${process.version})`);
    expect((await ecmahost('init', '--host-name', 'localhost')).code).toBe(0);
    const list = await ecmahost('plugins', 'list');
    expect(list.stdout).toContain(`@ecmahost/connector-generic-sql@${HOST_VERSION}  api 1  loadable`);
    expect(list.stdout).toContain(`@ecmahost/connector-generic-ldap@${HOST_VERSION}  api 1  loadable`);

    const dbFile = path.join(app, 'hr.db');
    const db = openSqliteFile(dbFile);
    db.exec(EMPLOYEES_SQL);
    const added = await ecmahost(...sqliteEmployeesAddArgs('HR', dbFile, TOKEN));
    expect(added.code, added.stderr).toBe(0);

    let ou: string | undefined;
    if (ldapSkip === undefined) {
      ({ slapd, ou } = await startSlapdWithPerson('release', { uid: 'ckent', cn: 'Clark Kent', sn: 'Kent' }));
      const ldapAdded = await ecmahost(...ldapConnectorAddArgs('Directory', slapd, ou, LDAP_TOKEN, ['--param', 'deltaMethod=none']));
      expect(ldapAdded.code, ldapAdded.stderr).toBe(0);
    } else {
      console.warn(`generic-ldap part skipped: ${ldapSkip}`);
    }

    // The installed bin itself, as `npx ecmahost serve` would start it.
    const runFile = path.join(app, 'data', 'run', 'host.json');
    await rm(runFile, { force: true });
    serve = spawn(path.join(app, 'node_modules/.bin/ecmahost'), ['--data-dir', path.join(app, 'data'), 'serve', '--port', '0'], { env, stdio: 'ignore' });
    const port = await eventually(async () => {
      const record = await readFile(runFile, 'utf8').then((text) => JSON.parse(text) as { pid: number; port: number }, () => undefined);
      return record?.pid === serve?.pid ? record?.port : undefined;
    }, 'the installed host to listen');
    const ca = await readFile(path.join(app, 'data', 'tls', 'self-signed.crt'), 'utf8');
    await expectServesEmployees(`https://localhost:${port}/ecma2host_HR/scim/Users`, ca, TOKEN);
    expect(db.prepare(`SELECT FirstName, LastName FROM Employees WHERE ContosoLogin = 'bkim'`).get()).toEqual({ FirstName: 'Bo', LastName: 'Kim' });
    if (ou !== undefined) {
      const entry = await eventually(async () => {
        const res = await httpsRequest(`https://localhost:${port}/ecma2host_Directory/scim/Users?filter=${encodeURIComponent('userName eq "ckent"')}`, { ca, token: LDAP_TOKEN });
        return res.status === 200 ? res.json() : undefined;
      }, 'the LDAP connector to serve');
      expect(entry).toMatchObject({ totalResults: 1, Resources: [{ userName: 'ckent' }] });
    }
  }, 300_000);

  it('installed globally, puts ecmahost on PATH with both connectors loadable (a throwaway npm prefix stands for the machine)', async () => {
    const prefix = path.join(workspace.dir, 'prefix');
    const installed = await runProgram('npm', ['install', '--global', ...tarballs.filter((file) => path.basename(file).startsWith('ecmahost-'))], { cwd: workspace.dir, env: { ...env, npm_config_prefix: prefix } });
    expect(installed.code, installed.stderr).toBe(0);
    const onPath = { ...env, npm_config_prefix: prefix, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${env.PATH ?? ''}` };
    const version = await runProgram('ecmahost', ['--version'], { cwd: workspace.dir, env: onPath });
    expect(version.stdout.trim()).toBe(`ecmahost ${HOST_VERSION} (@ecmahost/sdk ${SDK_VERSION}, Node.js ${process.version})`);
    const list = await runProgram('ecmahost', ['--data-dir', path.join(workspace.dir, 'global-data'), 'plugins', 'list'], { cwd: workspace.dir, env: onPath });
    expect(list.stdout).toContain(`@ecmahost/connector-generic-sql@${HOST_VERSION}  api 1  loadable`);
    expect(list.stdout).toContain(`@ecmahost/connector-generic-ldap@${HOST_VERSION}  api 1  loadable`);
  }, 240_000);
});
