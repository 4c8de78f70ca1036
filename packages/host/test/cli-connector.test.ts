import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fixtureAddArgs, printedToken, useCliWorkspace, writeFixture } from './cli-harness.js';

describe('ecmahost connector commands (built binary)', () => {
  const workspace = useCliWorkspace();
  const { env, run } = workspace;
  let fixture: { connector: string; dataFile: string };

  beforeAll(async () => {
    fixture = await writeFixture(workspace.dir, {
      alice: { login: 'alice', firstName: 'Alice', lastName: 'Smith', mail: 'alice@contoso.com', enabled: true },
      bob: { login: 'bob', firstName: 'Bob', lastName: 'Jones', enabled: false },
    });
  });

  it('init creates the data directory with owner-only key and admin credential, and refuses a second init', async () => {
    const first = await run('init', '--host-name', 'ecma.contoso.test');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Initialized ${workspace.dataDir}`);
    expect(first.stdout).toContain('host name ecma.contoso.test');
    expect((await stat(path.join(workspace.dataDir, 'host.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(workspace.dataDir, 'admin-token'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(workspace.dataDir, 'host.yaml'), 'utf8')).toMatch(/port: 8585/);
    const again = await run('init');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already an ecmahost data directory');
  });

  it('commands on a directory that was never initialised say so', async () => {
    const result = await cli(['--data-dir', path.join(workspace.dir, 'nothing-here'), 'connector', 'list'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not an ecmahost data directory');
    expect(result.stderr).toContain('ecmahost init');
  });

  it('connector add without a TTY refuses bad parameter values, naming each problem', async () => {
    const result = await run('connector', 'add', 'Bad', '--package', fixture.connector, '--param', `file=${fixture.dataFile}`, '--param', 'apiKey=nope');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid values on the connectivity page');
    expect(result.stderr).toContain('API key must look like key-abc123.');
    const wrongFile = await run('connector', 'add', 'Bad', '--package', fixture.connector, '--param', 'file=people.txt', '--param', 'apiKey=key-ok');
    expect(wrongFile.code).toBe(1);
    expect(wrongFile.stderr).toContain('The data file must end in .json.');
    const unknown = await run(...fixtureAddArgs('Bad', fixture, ['--param', 'colour=blue']));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no parameter colour');
    const missing = await run('connector', 'add', 'Bad', '--package', fixture.connector);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Data file (file): Data file is required.');
    expect((await run('connector', 'list')).stdout).not.toContain('Bad');
  });

  it('connector add from flags saves the instance, encrypts the secret and prints the token once', async () => {
    const result = await run(...fixtureAddArgs('People', fixture, ['--autosync', '30', '--attributes', 'login,firstName,lastName,mail']));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added connector People (JSON people file (fixture)), serving person with anchor login.');
    expect(result.stdout).toContain('Tenant URL:   https://ecma.contoso.test:8585/ecma2host_People/scim');
    const token = printedToken(result.stdout);
    expect(token.length).toBeGreaterThanOrEqual(12);
    const file = await readFile(path.join(workspace.dataDir, 'connectors', 'People.yaml'), 'utf8');
    expect(file).not.toContain('key-s3cretvalue');
    expect(file).not.toContain(token);
    expect(file).toMatch(/apiKey: enc:v1:/);
    expect(file).toContain('autosyncMinutes: 30');
    expect((await stat(path.join(workspace.dataDir, 'connectors', 'People.yaml'))).mode & 0o777).toBe(0o600);
    const dup = await run(...fixtureAddArgs('People', fixture));
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('a connector named "People" exists already');
  });

  it('connector add refuses a token shorter than 32 characters and a bad name', async () => {
    const short = await run(...fixtureAddArgs('Short', fixture, ['--token', 'abc']));
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 32 characters');
    const badName = await run(...fixtureAddArgs('no spaces', fixture));
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('is not a valid connector name');
  });

  it('connector list and show describe the instance with the secret masked', async () => {
    const list = await run('connector', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/People\s+\S+fixture-connector\.mjs\s+person\s+login\s+30 min\s+\/ecma2host_People\/scim/);
    const show = await run('connector', 'show', 'People');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('apiKey: "[secret]"');
    expect(show.stdout).not.toContain('key-s3cretvalue');
    expect(show.stdout).toContain('disable: set enabled');
    expect(show.stdout).toContain('userName: login');
    const missing = await run('connector', 'show', 'people');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no connector named "people"');
    expect(missing.stderr).toContain('connectors: People; names are case-sensitive');
  });

  it('connector set changes settings after validating them again', async () => {
    const ok = await run('connector', 'set', 'People', '--param', 'region=us', '--autosync', '0', '--attributes', 'login,firstName,mail');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Updated connector People.');
    const show = await run('connector', 'show', 'People');
    expect(show.stdout).toContain('region: us');
    expect(show.stdout).toContain('autosyncMinutes: 0');
    expect(show.stdout).not.toContain('name: lastName');
    const bad = await run('connector', 'set', 'People', '--param', 'region=mars');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Region must be one of: eu, us.');
    const badAttr = await run('connector', 'set', 'People', '--attributes', 'login,shoeSize');
    expect(badAttr.code).toBe(1);
    expect(badAttr.stderr).toContain('person has no attribute shoeSize');
    expect((await run('connector', 'show', 'People')).stdout).toContain('region: us');
  });

  it('connector test reports success, and the connector\'s own message on failure', async () => {
    const ok = await run('connector', 'test', 'People');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Connection test of People (JSON people file (fixture) 1.2.3) succeeded.');
    await run(...fixtureAddArgs('Refused', fixture, ['--param', 'apiKey=key-refused']));
    // add itself tests the connection: the refused key never got saved.
    const failed = await run(...fixtureAddArgs('Refused', fixture, ['--param', 'apiKey=key-refused']));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('The API key was refused by the people service.');
  });

  it('connector schema shows what discovery finds, marking the served choices', async () => {
    const result = await run('connector', 'schema', 'People');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('person (served): anchor login');
    expect(result.stdout).toMatch(/login {2}string, importExport, required, selected, anchor/);
    // The disable flow's attribute is always served; lastName was left out by connector set.
    expect(result.stdout).toMatch(/enabled {2}boolean, importExport, selected\n/);
    expect(result.stdout).toMatch(/lastName {2}string, importExport\n/);
  });

  it('connector import without a running host runs standalone and reports counts', async () => {
    const result = await run('connector', 'import', 'People');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Full import of People (standalone: no host is running): 2 object(s) imported, 0 error(s), 0 skipped; the cache holds 2 object(s)');
    expect(result.stderr).toContain('No host is running: importing People standalone...');
  });

  it('cache show filters a fresh cache with a SCIM filter', async () => {
    const result = await run('cache', 'show', 'People', 'userName eq "alice"');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 object(s) match userName eq "alice".');
    const resource = JSON.parse(result.stdout.trim().split('\n')[1] ?? '{}') as { userName?: string; name?: { givenName?: string } };
    expect(resource.userName).toBe('alice');
    expect(resource.name?.givenName).toBe('Alice');
    const bad = await run('cache', 'show', 'People', 'userName eq');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: .*filter/i);
  });

  it('token rotate prints a new token once and stores only its hash', async () => {
    const before = await readFile(path.join(workspace.dataDir, 'connectors', 'People.yaml'), 'utf8');
    const result = await run('token', 'rotate', 'People');
    expect(result.code, result.stderr).toBe(0);
    const token = printedToken(result.stdout);
    expect(result.stdout).toContain('The host is not running; the change applies when it starts.');
    const after = await readFile(path.join(workspace.dataDir, 'connectors', 'People.yaml'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).not.toContain(token);
    const given = await run('token', 'rotate', 'People', '--token', 'my-own-token-0123456789-abcdefghij');
    expect(given.code).toBe(0);
    expect(given.stdout).not.toContain('my-own-token-0123456789-abcdefghij');
  });

  it('plugins list shows connector packages installed next to the host and whether they load', async () => {
    const result = await run('plugins', 'list');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('This host supports connector API version 1.');
    expect(result.stdout).toMatch(/@ecmahost\/connector-generic-sql@\d+\.\d+\.\d+ {2}api 1 {2}loadable/);
  });

  it('connector remove deletes the instance', async () => {
    const result = await run('connector', 'remove', 'People');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Removed connector People.');
    expect((await run('connector', 'list')).stdout).toContain('No connectors.');
    const again = await run('connector', 'remove', 'People');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no connector named "People"');
  });

  it('usage errors exit with 2 and point to --help', async () => {
    const result = await run('connector', 'frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--help');
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('connector');
  });
});
