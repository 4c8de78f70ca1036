import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_VERSION } from '@ecmahost/sdk';
import { CONFORMANCE_CHECKS } from '@ecmahost/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capability } from '../src/capabilities.js';
import { CLI, copyNodeModules, ensureBuilt, packSdk, sharedNodeModules, useSdkTarball } from './helpers/artifacts.js';
import { describeResult, registryProblem, runCommand } from './helpers/commands.js';
import { readReport } from './helpers/vitest-report.js';

// Generating, installing, type-checking, testing and building real projects takes a while.
const SLOW = 300_000;
const offline = await registryProblem();

let root: string;
let tarball: string;
let nodeModules: string;

function scaffoldWith(cwd: string, args: readonly string[]) {
  return runCommand(process.execPath, [CLI, ...args], cwd);
}

beforeAll(async () => {
  await ensureBuilt();
  root = await mkdtemp(path.join(tmpdir(), 'create-ecma-connector-e2e-'));
  if (offline !== undefined) return;
  tarball = await packSdk(root);
  nodeModules = await sharedNodeModules(tarball, async (dir) => {
    const result = await scaffoldWith(path.dirname(dir), [dir, '--yes', '--capabilities', 'import,delta,export,password']);
    if (result.code !== 0) throw new Error(describeResult('create-ecma-connector', result));
  });
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
  }
  if (has('delta') && has('export')) passes.push('delta-import');
  if (has('password')) passes.push('password');
  return passes;
}

const COMBINATIONS: Capability[][] = [
  ['import', 'delta', 'export', 'password'],
  ['import'],
  ['import', 'export'],
  ['import', 'delta', 'password'],
];

describe.skipIf(offline !== undefined)(`a generated project${offline === undefined ? '' : ` (skipped: ${offline})`}`, () => {
  for (const capabilities of COMBINATIONS) {
    const name = capabilities.join('-');
    it(
      `with ${capabilities.join(', ')}: typechecks, passes the conformance kit and builds a loadable connector`,
      async () => {
        const dir = path.join(root, name);
        const packageName = `@acme/ecma-connector-${name}`;
        const created = await scaffoldWith(root, [
          name,
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
        expect(created.stdout).toContain(`Created ${packageName} (${capabilities.join(', ')})`);

        await useSdkTarball(dir, tarball);
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
        expect(report.otherPassed).toBeGreaterThanOrEqual(capabilities.includes('password') ? 5 : 4);

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
    expect(result.stdout).toContain('Created no-tty (import, delta, export)');
    expect(result.stdout).toContain('Next steps:\n  cd no-tty\n  npm install\n  npm test\n  npm run build\n');
  });
});
