// plugins search / install / remove through the built binary, on the paths that need no registry:
// an unreachable registry, local package tarballs (npm pack), and connector instances in the data dir.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, fixtureConnectorSource, useCliWorkspace } from './cli-harness.js';

/** The fixtures import the SDK by file URL, yet declare the peer range as every connector package must. */
const SDK_PEER = { '@ecmahost/sdk': '^0.1.0' };

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Writes a package into `dir/<folder>` and packs it with npm; returns the tarball path. */
async function packPackage(dir: string, folder: string, manifest: Record<string, unknown>, source: string): Promise<string> {
  const pkgDir = path.join(dir, folder);
  await mkdir(pkgDir, { recursive: true });
  await writeFile(path.join(pkgDir, 'package.json'), JSON.stringify({ version: '1.0.0', type: 'module', main: 'index.js', ...manifest }, null, 2));
  await writeFile(path.join(pkgDir, 'index.js'), source);
  const name = await new Promise<string>((resolve, reject) =>
    execFile('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkgDir, env: cleanEnv() }, (error, stdout, stderr) =>
      error ? reject(new Error(`npm pack failed: ${stderr}`)) : resolve(stdout.trim().split('\n').pop() ?? ''),
    ),
  );
  return path.join(dir, name);
}

describe('ecmahost plugins search / install / remove (built binary, no registry)', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-plugins-' });
  const { env, run } = workspace;

  beforeAll(async () => {
    const init = await run('init');
    expect(init.code, init.stderr).toBe(0);
  });

  it('search names the unreachable registry and exits 1', async () => {
    const registry = `http://127.0.0.1:${await closedPort()}/`;
    const result = await run('plugins', 'search', 'hr', '--registry', registry);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: cannot reach the npm registry ${registry} (ECONNREFUSED). Check the address (--registry, or "npm config get registry") and the network.\n`);
  });

  it('search says when the registry has no search API', async () => {
    // A registry without the search endpoint (some mirrors and proxies): everything is 404.
    const server = createHttpServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const registry = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const result = await run('plugins', 'search', '--registry', registry);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`error: the npm registry ${registry} does not offer the npm search API (/-/v1/search answered 404 Not Found); search a registry that does, with --registry <url>\n`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('search judges each version manifest with the loader\'s rules and codes, SDK range included', async () => {
    // The registry's answers as the public registry gives them: the search API leaves out peerDependencies.
    const manifest = (name: string, extra: Record<string, unknown>) => ({
      name,
      version: '1.0.0',
      keywords: ['ecma-connector'],
      ecmahost: { connector: './index.js', apiVersion: 1 },
      peerDependencies: SDK_PEER,
      _npmUser: { name: 'acme' },
      ...extra,
    });
    const versions: Record<string, Record<string, unknown>> = {
      '@acme/ok': manifest('@acme/ok', {}),
      '@acme/new-sdk': manifest('@acme/new-sdk', { peerDependencies: { '@ecmahost/sdk': '^9.0.0' } }),
      '@acme/future': manifest('@acme/future', { ecmahost: { connector: './index.js', apiVersion: 2 } }),
      '@acme/bare': manifest('@acme/bare', { ecmahost: undefined }),
    };
    const server = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://registry');
      if (url.pathname === '/-/v1/search') {
        const objects = [...Object.keys(versions), '@acme/odd'].map((name) => ({ package: { name, version: '1.0.0', description: `${name} users`, keywords: ['ecma-connector'] } }));
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ objects }));
      }
      const name = decodeURIComponent(url.pathname.slice(1)).replace(/\/1\.0\.0$/, '');
      // A registry answering something that is not a manifest at all.
      if (name === '@acme/odd') return res.writeHead(200, { 'content-type': 'application/json' }).end('null');
      const doc = versions[name];
      return doc === undefined ? res.writeHead(404).end('{}') : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const registry = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const result = await run('plugins', 'search', '--registry', registry);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.split('\n').filter((line) => line.startsWith('@acme/'));
      expect(lines).toEqual([
        '@acme/bare@1.0.0  by acme  INCOMPATIBLE: @acme/bare@1.0.0 is not an ecmahost connector: its package.json has no "ecmahost" manifest field [not-a-connector]',
        expect.stringMatching(/^@acme\/future@1\.0\.0  by acme  INCOMPATIBLE: @acme\/future@1\.0\.0 was built for connector API version 2; this host supports 1\. .* \[incompatible-api-version\]$/),
        expect.stringMatching(/^@acme\/new-sdk@1\.0\.0  by acme  INCOMPATIBLE: @acme\/new-sdk@1\.0\.0 supports @ecmahost\/sdk \^9\.0\.0; this host runs @ecmahost\/sdk 0\.1\.0\. .* \[incompatible-sdk\]$/),
        expect.stringMatching(/^@acme\/odd@1\.0\.0  by unknown  INCOMPATIBLE: @acme\/odd@1\.0\.0 is not an ecmahost connector: its package.json has no "ecmahost" manifest field; .* \[not-a-connector\]$/),
        '@acme/ok@1.0.0  by acme  compatible (api 1)',
      ]);
      expect(result.stdout).toContain('(this host supports connector API version 1):');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('search reads the registry from the npm configuration when --registry is not given', async () => {
    const registry = `http://127.0.0.1:${await closedPort()}/`;
    const result = await cli(['--data-dir', workspace.dataDir, 'plugins', 'search'], { env: { ...env, npm_config_registry: registry }, cwd: workspace.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: cannot reach the npm registry ${registry} (ECONNREFUSED)`);
  });

  it('an npm install that fails leaves nothing it created in the data directory', async () => {
    const missing = path.join(workspace.dir, 'missing-1.0.0.tgz');
    const result = await run('plugins', 'install', missing);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: npm install ${missing} failed:\n`);
    expect(result.stderr).toMatch(/\nThe installation was rolled back\.\n$/);
    for (const created of ['package.json', 'package-lock.json', 'node_modules']) expect(existsSync(path.join(workspace.dataDir, created)), created).toBe(false);
  });

  it('install of a package that is not a connector is refused and rolled back', async () => {
    const packageJson = path.join(workspace.dataDir, 'package.json');
    expect(existsSync(packageJson)).toBe(false);
    const tarball = await packPackage(workspace.dir, 'plain', { name: 'left-pad-ish' }, 'export default function pad(s) { return ` ${s}`; }\n');
    const result = await run('plugins', 'install', tarball);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: left-pad-ish@1.0.0 is not an ecmahost connector: package.json "keywords" do not include "ecma-connector"; its package.json has no "ecmahost" manifest field; ');
    expect(result.stderr).toMatch(/\nThe installation was rolled back\.\n$/);
    // The first install created package.json, package-lock.json and node_modules: none is left behind.
    for (const created of ['package.json', 'package-lock.json', 'node_modules']) expect(existsSync(path.join(workspace.dataDir, created)), created).toBe(false);
    expect((await run('plugins', 'list')).stdout).not.toContain('left-pad-ish');
  });

  it('install of a connector built for another API version is refused with the versions, and rolled back', async () => {
    const source = fixtureConnectorSource().replace("name: 'fixture-json-people',", "name: 'fixture-json-people', apiVersion: 99,");
    const tarball = await packPackage(workspace.dir, 'future', { name: '@acme/future-connector', keywords: ['ecma-connector'], ecmahost: { connector: './index.js', apiVersion: 99 }, peerDependencies: SDK_PEER }, source);
    const result = await run('plugins', 'install', tarball);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: @acme/future-connector@1.0.0 was built for connector API version 99; this host supports 1. Install a version of the connector built for API 1, or a host that supports API 99. [incompatible-api-version]\nThe installation was rolled back.\n');
    for (const created of ['package.json', 'package-lock.json', 'node_modules']) expect(existsSync(path.join(workspace.dataDir, created)), created).toBe(false);
  });

  it('install keeps a loadable connector; remove is refused while an instance uses it, then uninstalls it', async () => {
    // The fixture imports the SDK by file URL, so the package needs no dependencies from a registry.
    const tarball = await packPackage(workspace.dir, 'people', { name: '@acme/people-connector', keywords: ['ecma-connector'], ecmahost: { connector: './index.js', apiVersion: 1 }, peerDependencies: SDK_PEER }, fixtureConnectorSource());
    const installed = await run('plugins', 'install', tarball);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain('Installed @acme/people-connector@1.0.0 (JSON people file (fixture), connector API version 1).');
    const list = await run('plugins', 'list');
    expect(list.stdout).toContain('@acme/people-connector@1.0.0  api 1  loadable');

    const dataFile = path.join(workspace.dir, 'people.json');
    await writeFile(dataFile, JSON.stringify({ people: {} }));
    const add = await run('connector', 'add', 'People', '--package', '@acme/people-connector', '--param', `file=${dataFile}`, '--param', 'apiKey=key-abc123', '--scim', 'userName=login');
    expect(add.code, add.stderr).toBe(0);

    const refused = await run('plugins', 'remove', '@acme/people-connector');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: @acme/people-connector is still used by connector instance People in ${workspace.dataDir}. Remove it first: ecmahost connector remove <Name>.\n`);
    expect(existsSync(path.join(workspace.dataDir, 'node_modules', '@acme', 'people-connector', 'package.json'))).toBe(true);

    expect((await run('connector', 'remove', 'People')).code).toBe(0);
    const removed = await run('plugins', 'remove', '@acme/people-connector');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`Removed @acme/people-connector from ${workspace.dataDir}.\n`);
    expect(existsSync(path.join(workspace.dataDir, 'node_modules', '@acme', 'people-connector'))).toBe(false);
    expect((await run('plugins', 'list')).stdout).not.toContain('@acme/people-connector');
  });

  it('refuses an install spec npm would read as an option, and a remove name that is not a package name', async () => {
    const packageJson = await readFile(path.join(workspace.dataDir, 'package.json'), 'utf8');
    const option = await run('plugins', 'install', '--', '--prefix=/tmp/elsewhere');
    expect(option.code).toBe(1);
    expect(option.stderr).toContain('error: "--prefix=/tmp/elsewhere" is not a package to install: give a name (optionally @version), a tarball or a folder\n');
    const traversal = await run('plugins', 'remove', '../../etc');
    expect(traversal.code).toBe(1);
    expect(traversal.stderr).toBe('error: "../../etc" is not a package name\n');
    expect(await readFile(path.join(workspace.dataDir, 'package.json'), 'utf8')).toBe(packageJson);
  });

  it('remove of a package that is not installed says so', async () => {
    const result = await run('plugins', 'remove', '@acme/never-installed');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: @acme/never-installed is not installed in ${workspace.dataDir} (not in its package.json dependencies)\n`);
  });
});

describe('ecmahost connector add --install (built binary, no data directory yet)', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-add-install-' });
  const { run } = workspace;

  // npm pack, npm install and five CLI runs: more than the default timeout on a busy machine.
  it('creates the data directory, installs the package and adds the instance in one command, mapping userName to the anchor', async () => {
    const tarball = await packPackage(workspace.dir, 'people', { name: '@acme/people-connector', keywords: ['ecma-connector'], ecmahost: { connector: './index.js', apiVersion: 1 }, peerDependencies: SDK_PEER }, fixtureConnectorSource());
    const dataFile = path.join(workspace.dir, 'people.json');
    await writeFile(dataFile, JSON.stringify({ people: {} }));
    const token = 'install-and-add-token-0123456789abcdef';

    const both = await run('connector', 'add', 'People', '--install', tarball, '--package', '@acme/people-connector');
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('error: --install names the package already; leave out --package.\n');
    expect(existsSync(path.join(workspace.dataDir, 'host.yaml'))).toBe(false);

    const add = await run('connector', 'add', 'People', '--install', tarball, '--param', `file=${dataFile}`, '--param', 'apiKey=key-abc123', '--token', token);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`Initialized ${workspace.dataDir}\n`);
    expect(add.stdout).toContain('Installed @acme/people-connector@1.0.0 (JSON people file (fixture), connector API version 1).\n');
    expect(add.stdout).toContain('Added connector People');
    expect(existsSync(path.join(workspace.dataDir, 'node_modules', '@acme', 'people-connector', 'package.json'))).toBe(true);
    const shown = await run('connector', 'show', 'People');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/userName\W+login/);

    const again = await run('connector', 'add', 'People', '--install', tarball, '--token', token);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a connector named "People" exists already');
  }, 180_000);
});
