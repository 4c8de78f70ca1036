import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_VERSION } from '@ecmahost/sdk';
import { CONFORMANCE_CHECKS } from '@ecmahost/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capability } from '../src/capabilities.js';
import type { TemplateName } from '../src/template.js';
import type { WorkspaceTarballs } from './helpers/artifacts.js';
import { CLI, copyNodeModules, ensureBuilt, packWorkspace, sharedNodeModules, useWorkspaceTarballs } from './helpers/artifacts.js';
import { cleanEnv, describeResult, registryProblem, runCommand } from './helpers/commands.js';
import { readReport } from './helpers/vitest-report.js';

// Generating, installing, type-checking, testing and building real projects takes a while.
const SLOW = 300_000;
const offline = await registryProblem();

let root: string;
let tarballs: WorkspaceTarballs;
let nodeModules: string;

function scaffoldWith(cwd: string, args: readonly string[]) {
  return runCommand(process.execPath, [CLI, ...args], cwd);
}

beforeAll(async () => {
  await ensureBuilt();
  root = await mkdtemp(path.join(tmpdir(), 'create-ecma-connector-e2e-'));
  if (offline !== undefined) return;
  tarballs = await packWorkspace(root);
  nodeModules = await sharedNodeModules(tarballs);
}, SLOW);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/**
 * The conformance checks that must pass for a capability set; every other check must be skipped
 * with a reason, never failed. The kit decides what applies from the declared capabilities.
 */
function expectedPasses(capabilities: readonly Capability[]): string[] {
  const has = (c: Capability) => capabilities.includes(c);
  const passes = ['schema', 'capabilities', 'test-connection', 'full-import-paging', 'handles-released'];
  // The kit round-trips the watermark only for delta-capable connectors; ours returns none without delta.
  if (has('delta')) passes.push('watermark');
  if (has('export')) {
    passes.push('export-add', 'update-single-value', 'update-multi-value', 'delete', 'missing-object', 'existing-object', 'batch-partial-failure');
    // Entra's user sequence through the host the project has as a devDependency (@ecmahost/host/testing).
    passes.push('through-host');
  }
  if (has('delta') && has('export')) passes.push('delta-import');
  if (has('password')) passes.push('password');
  return passes;
}

const COMBINATIONS: { template: TemplateName; capabilities: Capability[]; unitTests: number }[] = [
  { template: 'csv', capabilities: ['import', 'delta', 'export', 'password'], unitTests: 5 },
  { template: 'csv', capabilities: ['import'], unitTests: 4 },
  { template: 'minimal', capabilities: ['import', 'export'], unitTests: 0 },
  { template: 'rest', capabilities: ['import', 'export'], unitTests: 0 },
];

describe.skipIf(offline !== undefined)(`a generated project${offline === undefined ? '' : ` (skipped: ${offline})`}`, () => {
  for (const { template, capabilities, unitTests } of COMBINATIONS) {
    const name = `${template}-${capabilities.join('-')}`;
    it(
      `${template} with ${capabilities.join(', ')}: typechecks, passes the conformance kit and builds a loadable connector`,
      async () => {
        const dir = path.join(root, name);
        const packageName = `@acme/ecma-connector-${name}`;
        const created = await scaffoldWith(root, [
          name,
          '--template',
          template,
          '--name',
          packageName,
          '--display-name',
          `HR file (${name})`,
          '--description',
          'Users from the HR export.',
          '--capabilities',
          capabilities.join(','),
        ]);
        expect(created.code, describeResult('create-ecma-connector', created)).toBe(0);
        expect(created.stdout).toContain(`Created ${packageName} (${template}: ${capabilities.join(', ')})`);

        await useWorkspaceTarballs(dir, tarballs);
        await copyNodeModules(nodeModules, dir);

        const typecheck = await runCommand('npm', ['run', 'typecheck'], dir);
        expect(typecheck.code, describeResult('npm run typecheck', typecheck)).toBe(0);

        const test = await runCommand('npm', ['test', '--', '--reporter=json', '--outputFile=vitest-report.json'], dir);
        expect(test.code, describeResult('npm test', test)).toBe(0);
        const report = await readReport(path.join(dir, 'vitest-report.json'));
        expect(report.failed).toBe(0);
        expect(Object.keys(report.checks).sort()).toEqual([...CONFORMANCE_CHECKS].sort());
        const passes = expectedPasses(capabilities);
        for (const id of CONFORMANCE_CHECKS) {
          expect({ id, status: report.checks[id] }).toEqual({ id, status: passes.includes(id) ? 'passed' : 'skipped' });
        }
        expect(report.otherPassed).toBeGreaterThanOrEqual(unitTests);

        const build = await runCommand('npm', ['run', 'build'], dir);
        expect(build.code, describeResult('npm run build', build)).toBe(0);
        // Load the build the way the host does: import the module the manifest names.
        const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { ecmahost: { connector: string; apiVersion: number } };
        expect(pkg.ecmahost).toEqual({ connector: './dist/index.js', apiVersion: API_VERSION });
        const probe = `import(${JSON.stringify(path.join(dir, pkg.ecmahost.connector))}).then((m) => { const c = m.default; const caps = c.capabilities({}); console.log(JSON.stringify({ name: c.name, displayName: c.displayName, apiVersion: c.apiVersion, import: caps.import, deltaImport: caps.deltaImport, export: caps.export, password: caps.password })); })`;
        const loaded = await runCommand(process.execPath, ['-e', probe], dir);
        expect(loaded.code, describeResult('loading dist/index.js', loaded)).toBe(0);
        expect(JSON.parse(loaded.stdout)).toEqual({
          name: packageName,
          displayName: `HR file (${name})`,
          apiVersion: API_VERSION,
          import: true,
          deltaImport: capabilities.includes('delta'),
          export: capabilities.includes('export'),
          password: capabilities.includes('password'),
        });
      },
      SLOW,
    );
  }
});

/** A free loopback port: bound once by us, then released for the child to take. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(offline !== undefined)(`npm run dev in a generated project${offline === undefined ? '' : ` (skipped: ${offline})`}`, () => {
  let dev: ChildProcess | undefined;
  afterAll(() => {
    // npm, tsup, its onSuccess shell and the host share the process group we started; end it by its id.
    if (dev?.pid !== undefined && dev.exitCode === null) process.kill(-dev.pid, 'SIGTERM');
  });

  it('serves the working copy with the sample data, takes a SCIM POST, and restarts serving it when a source file changes', async () => {
    const dir = path.join(root, 'dev-loop');
    const created = await scaffoldWith(root, ['dev-loop', '--template', 'minimal', '--yes']);
    expect(created.code, describeResult('create-ecma-connector', created)).toBe(0);
    await useWorkspaceTarballs(dir, tarballs);
    await copyNodeModules(nodeModules, dir);

    const port = await freePort();
    dev = spawn('npm', ['run', 'dev'], { cwd: dir, env: cleanEnv({ ECMAHOST_PORT: String(port), ECMAHOST_LOG_LEVEL: 'warn' }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    dev.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    dev.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const waitForServing = async (count: number) => {
      const deadline = Date.now() + 90_000;
      while ((output.match(/^Secret token: /gm) ?? []).length < count) {
        if (Date.now() > deadline || dev?.exitCode !== null) throw new Error(`npm run dev did not print its token (${String(count)}):\n${output.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await waitForServing(1);
    const url = /^Tenant URL: +(\S+)$/m.exec(output)?.[1];
    const token = /^Secret token: (\S+)$/m.exec(output)?.[1];
    expect(url).toBe(`http://localhost:${String(port)}/ecma2host_Dev/scim`);
    expect(output).toContain(`curl -s -H "Authorization: Bearer ${String(token)}"`);
    const headers = { authorization: `Bearer ${String(token)}`, 'content-type': 'application/scim+json' };

    // The sample data is there, and userName was mapped to the anchor without being asked.
    const sample = await fetch(`${String(url)}/Users?filter=${encodeURIComponent('userName eq "ann"')}`, { headers });
    expect(sample.status).toBe(200);
    expect(await sample.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'ann', displayName: 'Ann Example' }] });
    const posted = await fetch(`${String(url)}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jdoe', displayName: 'Jane Doe' }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
    expect(JSON.parse(await readFile(path.join(dir, '.ecmahost-dev', 'people.json'), 'utf8'))).toMatchObject({ jdoe: { displayName: ['Jane Doe'] } });

    // An edit rebuilds and restarts the host, which serves the same data with the same token. The
    // watcher may start a moment after the first build's output, so the edit is repeated until seen.
    const source = path.join(dir, 'src', 'index.ts');
    for (let edit = 1; (output.match(/^Secret token: /gm) ?? []).length < 2; edit += 1) {
      if (edit > 30) throw new Error(`npm run dev did not restart after ${String(edit - 1)} edits:\n${output.slice(-4000)}`);
      await writeFile(source, `${await readFile(source, 'utf8')}// edit ${String(edit)}\n`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    await waitForServing(2);
    const after = await fetch(`${String(url)}/Users?filter=${encodeURIComponent('userName eq "jdoe"')}`, { headers });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ totalResults: 1, Resources: [{ userName: 'jdoe', displayName: 'Jane Doe' }] });
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toContain('.ecmahost-dev/');
  }, SLOW);
});

describe('the built CLI', () => {
  it('refuses a folder with files unless --force, and leaves the files alone', async () => {
    const dir = path.join(root, 'occupied');
    await mkdir(dir);
    await writeFile(path.join(dir, 'keep.txt'), 'mine');
    const refused = await scaffoldWith(root, ['occupied', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`create-ecma-connector: ${dir} is not empty. Choose another folder, or pass --force to write into it.\n`);
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
    const forced = await scaffoldWith(root, ['occupied', '--yes', '--force']);
    expect(forced.code, describeResult('create-ecma-connector --force', forced)).toBe(0);
    expect(await readFile(path.join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(dir, 'src', 'index.ts'))).toBe(true);
  });

  it('exits 1 with one clear line for a bad flag value, and creates nothing', async () => {
    const result = await scaffoldWith(root, ['bad', '--yes', '--name', 'Not A Name']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^create-ecma-connector: "Not A Name" is not a valid npm package name/);
    expect(existsSync(path.join(root, 'bad'))).toBe(false);
  });

  it('prints its usage with --help and its version with --version, creating nothing', async () => {
    const help = await scaffoldWith(root, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm create ecma-connector@latest \[dir\]/);
    expect(help.stdout).toContain('--capabilities <list>');
    const version = await scaffoldWith(root, ['--version']);
    expect(version.code).toBe(0);
    const own = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version.stdout).toBe(`${own.version}\n`);
    expect(existsSync(path.join(root, 'my-ecma-connector'))).toBe(false);
  });

  it('without a terminal and without --yes, takes the defaults instead of waiting for answers', async () => {
    const result = await scaffoldWith(root, ['no-tty']);
    expect(result.code, describeResult('create-ecma-connector', result)).toBe(0);
    expect(result.stdout).toContain('Created no-tty (minimal: import, export)');
    expect(result.stdout).toContain('Next steps:\n  cd no-tty\n  npm install-test\n  npm run dev\n');
  });
});
