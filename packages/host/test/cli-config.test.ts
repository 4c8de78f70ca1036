import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { runHost } from '../src/server/run-host.js';
import { cleanEnv, cli, fixtureAddArgs, httpsRequest, useCliWorkspace, writeFixture } from './cli-harness.js';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

describe('ecmahost config export / import (built binary)', () => {
  // The data directory exported from.
  const workspace = useCliWorkspace({ dataDirName: 'source' });
  const { env, run } = workspace;
  let exportFile: string;
  const token = 'export-token-0123456789-abcdefghijkl';
  const secret = 'key-s3cretvalue';

  beforeAll(async () => {
    const fixture = await writeFixture(workspace.dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
    expect((await run('init', '--host-name', 'localhost')).code).toBe(0);
    const added = await run(...fixtureAddArgs('People', fixture, ['--token', token, '--autosync', '45']));
    expect(added.code, added.stderr).toBe(0);
    exportFile = path.join(workspace.dir, 'out', 'ecmahost-config.yaml');
  });

  it('config export writes one owner-only file with no secret in clear', async () => {
    const result = await run('config', 'export', '--output', exportFile);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Exported the host settings and 1 connector(s) to ${exportFile}.`);
    expect((await stat(exportFile)).mode & 0o777).toBe(0o600);
    const text = await readFile(exportFile, 'utf8');
    const hostKey = (await readFile(path.join(workspace.dataDir, 'host.key'), 'utf8')).trim();
    const adminToken = (await readFile(path.join(workspace.dataDir, 'admin-token'), 'utf8')).trim();
    for (const clear of [secret, token, hostKey, adminToken, 'PRIVATE KEY']) expect(text).not.toContain(clear);
    expect(text).toMatch(/apiKey: enc:v1:/);
    expect(text).toContain('autosyncMinutes: 45');
  });

  it('no file of the data directory holds the connector secret or token in clear', async () => {
    for (const file of await filesUnder(workspace.dataDir)) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain(secret);
      expect(text, file).not.toContain(token);
    }
  });

  it('config import into an empty directory with the same key reproduces a working host', async () => {
    const target = path.join(workspace.dir, 'target');
    const keyEnv = cleanEnv({ ECMAHOST_KEY_FILE: path.join(workspace.dataDir, 'host.key') });
    const result = await cli(['-d', target, 'config', 'import', exportFile], { env: keyEnv });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Imported 1 connector(s) into ${target}: People.`);
    expect(result.stdout).toContain(`keep ECMAHOST_KEY_FILE pointing at it, or copy it to ${path.join(target, 'host.key')}`);
    const shown = await cli(['-d', target, 'connector', 'show', 'People'], { env: keyEnv });
    expect(shown.stdout).toContain('autosyncMinutes: 45');
    // In process: the imported configuration serves SCIM with the token made before the export.
    const running = await runHost({ dataDir: target, env: keyEnv, port: 0, bind: '127.0.0.1', logger: pino({ level: 'silent' }) });
    try {
      const ca = await readFile(path.join(target, 'tls', 'self-signed.crt'), 'utf8');
      await running.host.runImport('People');
      const res = await httpsRequest(`https://localhost:${running.server.port}/ecma2host_People/scim/Users?filter=${encodeURIComponent('userName eq "alice"')}`, { ca, token });
      expect(res.status, res.body).toBe(200);
      expect(res.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'alice', name: { givenName: 'Alice' } }] });
    } finally {
      await running.stop();
    }
  });

  it('config import with another host key fails clearly and writes nothing', async () => {
    const target = path.join(workspace.dir, 'wrong-key');
    const result = await cli(['-d', target, 'config', 'import', exportFile], { env: cleanEnv({ ECMAHOST_KEY: randomBytes(32).toString('base64') }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot decrypt .* with this host key/);
    expect(existsSync(path.join(target, 'host.yaml'))).toBe(false);
    expect(existsSync(path.join(target, 'connectors', 'People.yaml'))).toBe(false);
  });

  it('config import without any key says which key it needs', async () => {
    const result = await cli(['-d', path.join(workspace.dir, 'no-key'), 'config', 'import', exportFile], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('importing needs the host key of the exporting host');
  });

  it('config import refuses a directory that already holds a configuration, and a file that is no export', async () => {
    const busy = await run('config', 'import', exportFile);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('already holds a configuration');
    const junk = path.join(workspace.dir, 'junk.yaml');
    await writeFile(junk, 'hello: world\n');
    const notExport = await cli(['-d', path.join(workspace.dir, 'junk-target'), 'config', 'import', junk], { env: cleanEnv({ ECMAHOST_KEY_FILE: path.join(workspace.dataDir, 'host.key') }) });
    expect(notExport.code).toBe(1);
    expect(notExport.stderr).toContain('is not an ecmahost configuration export');
  });

  it('opening the data directory with a wrong host key is a clear error, never garbage', async () => {
    const result = await cli(['-d', workspace.dataDir, 'connector', 'show', 'People'], { env: cleanEnv({ ECMAHOST_KEY: randomBytes(32).toString('hex') }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot decrypt the key check of .*host\.yaml with this host key/);
    const malformed = await cli(['-d', workspace.dataDir, 'connector', 'list'], { env: cleanEnv({ ECMAHOST_KEY: 'short' }) });
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('is not 32 bytes of base64 or hex');
  });

  it('a secret encrypted under another key inside a connector file is reported with its name', async () => {
    const other = path.join(workspace.dir, 'other');
    expect((await cli(['-d', other, 'init'], { env })).code).toBe(0);
    const file = path.join(workspace.dataDir, 'connectors', 'People.yaml');
    const foreign = path.join(other, 'connectors', 'People.yaml');
    // A connector file copied from another host: its secret was encrypted under that host's key.
    await writeFile(foreign, await readFile(file, 'utf8'));
    const result = await cli(['-d', other, 'connector', 'show', 'People'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot decrypt parameter apiKey of connector People with this host key');
  });
});
