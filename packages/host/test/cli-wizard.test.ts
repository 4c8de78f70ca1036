import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, CLI, ensureBuilt, cleanEnv, cli, printedToken, tempDir, writeFixture } from './cli-harness.js';

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
// CSI and OSC sequences: what the prompts draw with.
const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b\][^\x07]*\x07/g, '').replace(/\r/g, '');

/**
 * Drives a command in a pseudo-terminal made by util-linux `script`, the way an admin types:
 * wait for a prompt's text, then send keys.
 */
class Terminal {
  readonly #child: ChildProcess;
  #screen = '';
  #cursor = 0;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
    const command = `stty cols 160 rows 60; exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
    this.#child = spawn('script', ['-q', '-f', '-e', '-c', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout?.on('data', (d: Buffer) => (this.#screen += d.toString()));
    this.#child.stderr?.on('data', (d: Buffer) => (this.#screen += d.toString()));
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  get text(): string {
    return strip(this.#screen);
  }

  /** Waits until `pattern` appears after what earlier waits consumed. */
  async waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.#cursor);
      const at = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (at >= 0) {
        this.#cursor += at + 1;
        return;
      }
      if (this.#child.exitCode !== null || Date.now() > deadline) throw new Error(`did not see ${String(pattern)}; screen:\n${this.text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async type(keys: string): Promise<void> {
    // Give the prompt a moment to switch the terminal to raw mode before keys arrive.
    await new Promise((r) => setTimeout(r, 150));
    this.#child.stdin?.write(keys);
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}

const ENTER = '\r';
const BACKSPACE = '\x7f';
const DOWN = '\x1b[B';

describe.skipIf(!hasScript())(
  `ecmahost connector add on a TTY walks the connector's own pages${hasScript() ? '' : ' — skipped: util-linux "script" is needed for a pseudo-terminal'}`,
  () => {
    beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
    let dir: string;
    let cleanup: () => Promise<void>;
    let dataDir: string;
    let fixture: { connector: string; dataFile: string };
    const env = cleanEnv();

    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir('ecmahost-wizard-'));
      dataDir = path.join(dir, 'data');
      fixture = await writeFixture(dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
      expect((await cli(['-d', dataDir, 'init', '--host-name', 'localhost'], { env })).code).toBe(0);
    });
    afterAll(async () => cleanup());

    it('asks every page, shows validation errors for bad values and asks again, then saves', async () => {
      const term = new Terminal(['-d', dataDir, 'connector', 'add', 'Wizard', '--package', fixture.connector, '--autosync', '30'], env, dir);
      try {
        await term.waitFor('JSON people file (fixture) 1.2.3');
        await term.waitFor('connectivity parameters');
        await term.waitFor('Data file');
        await term.type(`people.txt${ENTER}`);
        await term.waitFor('API key');
        await term.type(`not-a-key${ENTER}`);
        await term.waitFor('The data file is created when it does not exist.');
        await term.waitFor('Region');
        await term.type(DOWN + ENTER);
        await term.waitFor('Pretty-print the file');
        await term.type(ENTER);
        // The SDK's declarative check (pattern) fails first; only the faulty field is asked again.
        await term.waitFor('invalid values on the connectivity page');
        await term.waitFor('API key must look like key-abc123.');
        await term.waitFor('API key');
        await term.type(`key-abc123${ENTER}`);
        // Then the connector's own validate() rejects the file name.
        await term.waitFor('The data file must end in .json.');
        await term.waitFor('Data file');
        await term.type(`${BACKSPACE.repeat(12)}${fixture.dataFile}${ENTER}`);
        await term.waitFor('global parameters');
        await term.waitFor('Login prefix');
        await term.type(`UPPER${ENTER}`);
        await term.waitFor('Login prefix: lowercase letters only.');
        await term.waitFor('Login prefix');
        await term.type(`${BACKSPACE.repeat(8)}emp${ENTER}`);
        await term.waitFor('global parameters (page 2)');
        await term.waitFor('Comment');
        await term.type(`typed in a terminal${ENTER}`);
        // Schema discovery: one object type (taken), its anchor, the attributes to serve (all not
        // hidden are preselected).
        await term.waitFor('Anchor attribute');
        await term.type(ENTER);
        await term.waitFor('Attributes to serve');
        await term.type(ENTER);
        await term.waitFor('Disable flow');
        await term.type(DOWN + DOWN + ENTER);
        await term.waitFor('Delete flow');
        await term.type(ENTER);
        await term.waitFor('Added connector Wizard');
        expect(await term.exited).toBe(0);
      } finally {
        term.kill();
      }
      const token = printedToken(term.text);
      const show = await cli(['-d', dataDir, 'connector', 'show', 'Wizard'], { env });
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain(`file: ${fixture.dataFile}`);
      expect(show.stdout).toMatch(/objectType: person\nanchor:\n {2}- login/);
      expect(show.stdout).toContain('apiKey: "[secret]"');
      expect(show.stdout).toContain('region: us');
      expect(show.stdout).toContain('pretty: false');
      expect(show.stdout).toContain('prefix: emp');
      expect(show.stdout).toContain('comment: typed in a terminal');
      expect(show.stdout).toContain('disable: set enabled');
      expect(show.stdout).toContain('delete: delete');
      expect(show.stdout).not.toContain('internalNote');
      const file = await readFile(path.join(dataDir, 'connectors', 'Wizard.yaml'), 'utf8');
      expect(file).not.toContain('key-abc123');
      expect(file).not.toContain(token);
      const test = await cli(['-d', dataDir, 'connector', 'test', 'Wizard'], { env });
      expect(test.stdout).toContain('succeeded');
    });

    it('Ctrl+C at a prompt cancels without saving anything', async () => {
      const term = new Terminal(['-d', dataDir, 'connector', 'add', 'Cancelled', '--package', fixture.connector], env, dir);
      try {
        await term.waitFor('Data file');
        await term.type('\x03');
        expect(await term.exited).toBe(1);
        expect(term.text).toContain('cancelled: nothing was changed.');
      } finally {
        term.kill();
      }
      expect((await cli(['-d', dataDir, 'connector', 'list'], { env })).stdout).not.toContain('Cancelled');
    });
  },
);
