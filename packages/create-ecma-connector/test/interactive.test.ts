import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, copyNodeModules, ensureBuilt, packWorkspace, sharedNodeModules, useWorkspaceTarballs } from './helpers/artifacts.js';
import { describeResult, registryProblem, runCommand } from './helpers/commands.js';
import { KEYS, openTerminal } from './helpers/terminal.js';

const SLOW = 300_000;
// The pseudo-terminal comes from util-linux `script` (Linux); macOS and Windows have none with these flags.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') === true;
let root: string;

beforeAll(async () => {
  await ensureBuilt();
  root = await mkdtemp(path.join(tmpdir(), 'create-ecma-connector-tty-'));
}, SLOW);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The commands of the first `sh` block under a README heading. */
function commandsUnder(readme: string, heading: string): string[] {
  const section = readme.slice(readme.indexOf(`## ${heading}\n`));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((line) => line.trim() !== '');
}

const offline = await registryProblem();

describe.skipIf(!hasScript)('npm create ecma-connector at a terminal (skipped without util-linux script: no pseudo-terminal)', () => {
  it.skipIf(offline !== undefined)(
    `asks for every answer, re-asks a bad one, and creates a project whose README steps work${offline === undefined ? '' : ` (skipped: ${offline})`}`,
    async () => {
      const terminal = openTerminal(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)}`, root);
      // The templates are offered as minimal, rest, csv; the CSV one has every capability to choose from.
      await terminal.answer('What does the connector talk to?', `${KEYS.down.repeat(2)}${KEYS.enter}`);
      await terminal.answer('Package name', `Bad Name${KEYS.enter}`);
      await terminal.answer('is not a valid npm package name', `${KEYS.backspace.repeat(8)}@acme/ecma-connector-hr${KEYS.enter}`);
      await terminal.answer('Display name', `Contoso HR file${KEYS.enter}`);
      // An empty answer takes the default.
      await terminal.answer('Description', KEYS.enter);
      // Unticking import (the cursor starts on it) is refused and the question comes again.
      await terminal.answer('Which capabilities', `${KEYS.space}${KEYS.enter}`);
      await terminal.waitFor('import is required');
      // The defaults are import, delta and export; move to password and add it.
      await terminal.answer('Which capabilities', `${KEYS.down.repeat(3)}${KEYS.space}${KEYS.enter}`);
      await terminal.waitFor('Created @acme/ecma-connector-hr');
      expect(await terminal.exit(), terminal.screen()).toBe(0);
      const screen = terminal.screen();
      expect(screen).toContain('"Bad Name" is not a valid npm package name');
      expect(screen).toContain('import, delta, export, password');
      // The "Next steps" box, its frame and line breaks aside.
      expect(screen.replace(/[│\s]+/g, ' ')).toContain('cd ecma-connector-hr npm install-test npm run dev');

      const dir = path.join(root, 'ecma-connector-hr');
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(pkg).toMatchObject({
        name: '@acme/ecma-connector-hr',
        description: 'An ecmahost connector that keeps users in a CSV file.',
        peerDependencies: { '@ecmahost/sdk': expect.any(String) },
      });
      expect(existsSync(path.join(dir, 'src', 'password.ts'))).toBe(true);

      // The README's first step, run as written (npm run dev, the second, is run by
      // generated-project.test.ts). The one change: @ecmahost/sdk and @ecmahost/host are not on the
      // public registry yet, so npm install takes them from tarballs of this repository's packages.
      const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toMatch(/^# Contoso HR file\n/);
      const steps = commandsUnder(readme, 'Develop and test');
      expect(steps).toEqual(['npm install-test', 'npm run dev']);
      const tarballs = await packWorkspace(root);
      await useWorkspaceTarballs(dir, tarballs);
      // The install generated-project.test.ts shares (made here when this file runs first) is put in
      // place first, so npm install only checks it: the machine is small and CI time counts.
      await copyNodeModules(await sharedNodeModules(tarballs), dir);
      const installTest = await runCommand('npm', ['install-test', '--no-audit', '--no-fund'], dir);
      expect(installTest.code, describeResult('npm install-test', installTest)).toBe(0);
      const build = await runCommand('npm', ['run', 'build'], dir);
      expect(build.code, describeResult('npm run build', build)).toBe(0);
      expect(existsSync(path.join(dir, 'dist', 'index.js'))).toBe(true);
      expect(existsSync(path.join(dir, '.gitignore'))).toBe(true);

      // What `npm publish` would upload: the build and the manifest, not the sources or tests.
      const packed = await runCommand('npm', ['pack', '--dry-run', '--json'], dir);
      expect(packed.code, describeResult('npm pack --dry-run', packed)).toBe(0);
      const [contents] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ files: { path: string }[] }];
      const files = contents.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'sample/users.csv']));
      expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    },
    SLOW,
  );

  it('asks before writing into a folder with files: No leaves it alone, Yes keeps the files it does not write', async () => {
    const dir = path.join(root, 'occupied');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} occupied --template csv --name occupied --display-name Occupied --description Users. --capabilities import`;

    const declined = openTerminal(command, root);
    await declined.answer('Write the project into it anyway?', KEYS.enter);
    expect(await declined.exit()).toBe(1);
    expect(declined.screen()).toContain('is not empty. Choose another folder, or pass --force');
    expect(await readdir(dir)).toEqual(['notes.txt']);

    const accepted = openTerminal(command, root);
    await accepted.answer('Write the project into it anyway?', `y${KEYS.enter}`);
    expect(await accepted.exit(), accepted.screen()).toBe(0);
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(dir, 'src', 'index.ts'))).toBe(true);
  });

  it('Ctrl+C at a prompt creates nothing and exits 1', async () => {
    const terminal = openTerminal(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} cancelled`, root);
    await terminal.answer('What does the connector talk to?', '\u0003');
    expect(await terminal.exit()).toBe(1);
    expect(terminal.screen()).toContain('Cancelled; nothing was created.');
    expect(existsSync(path.join(root, 'cancelled'))).toBe(false);
  });
});
