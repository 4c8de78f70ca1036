// Shared by the cli-*, ops-* and demo-* suites: runs the BUILT `ecmahost` binary (dist/cli.js)
// the way an admin does, and provides a connector module a fresh data directory can load.
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CLI = path.join(PACKAGE_DIR, 'dist', 'cli.js');
export const DEMO = path.join(PACKAGE_DIR, 'dist', 'demo.js');
export const SDK_DIST = fileURLToPath(new URL('../../sdk/dist/index.js', import.meta.url));

// In the temp directory, so a killed run never leaves anything in the checkout.
const LOCK = path.join(os.tmpdir(), `ecmahost-host-test-build-${Buffer.from(PACKAGE_DIR).toString('base64url').slice(-24)}.lock`);

/**
 * Builds the package when `dist/` is missing, so the suites always run the built binary as users do:
 * `npm test` builds only the dependencies first (turbo `^build`). Test files run in parallel
 * workers, hence a lock directory: one builds, the others wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  if (!existsSync(SDK_DIST)) throw new Error(`${SDK_DIST} is missing: build the SDK first (npx turbo run build --filter=@ecmahost/host...)`);
  const deadline = Date.now() + 280_000;
  while (!(existsSync(CLI) && existsSync(DEMO))) {
    let owner = false;
    try {
      await mkdir(LOCK);
      owner = true;
    } catch {
      // Another worker builds; a lock older than the deadline is stale (a killed run).
      const age = Date.now() - (await stat(LOCK).then((s) => s.mtimeMs, () => Date.now()));
      if (age > 300_000) await rm(LOCK, { recursive: true, force: true });
    }
    if (owner) {
      try {
        if (!(existsSync(CLI) && existsSync(DEMO))) {
          await new Promise<void>((resolve, reject) =>
            // The package's own build script, as `npm run build` would run it.
            execFile('npx', ['tsup', '--silent'], { cwd: PACKAGE_DIR }, (error, _out, stderr) =>
              error ? reject(new Error(`building @ecmahost/host for the CLI tests failed:\n${stderr}`)) : resolve(),
            ),
          );
        }
      } finally {
        await rm(LOCK, { recursive: true, force: true });
      }
    } else {
      if (Date.now() > deadline) throw new Error('waited too long for another test worker to build @ecmahost/host');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
// CSI and OSC sequences: what the prompts draw with.
const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b\][^\x07]*\x07/g, '').replace(/\r/g, '');

/** Whether util-linux `script` is there to make a pseudo-terminal. */
export function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Keys as a terminal sends them. */
export const KEYS = { ENTER: '\r', BACKSPACE: '\x7f', DOWN: '\x1b[B', SPACE: ' ', CTRL_C: '\x03' } as const;

/**
 * Drives the built CLI in a pseudo-terminal made by util-linux `script`, the way an admin types:
 * wait for a prompt's text, then send keys.
 */
export class Terminal {
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

  /** Waits for `pattern`, then sends `keys`. */
  async answer(pattern: string | RegExp, keys: string): Promise<void> {
    await this.waitFor(pattern);
    await this.type(keys);
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

/** How long a suite may wait for {@link ensureBuilt}. */
export const BUILD_TIMEOUT_MS = 300_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without the caller's ecmahost variables, so a developer's settings never leak in. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ECMAHOST_') && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ECMAHOST_LOG_LEVEL: 'warn', ...extra };
}

/** Runs `node dist/cli.js <args>` without a TTY and collects its output and exit code. */
export function cli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: options.env ?? cleanEnv(), cwd: options.cwd ?? os.tmpdir(), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'ecmahost-cli-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary directory with a data directory path inside it, where a suite runs the built CLI. */
export interface CliWorkspace {
  /** The temporary directory: fixtures go here and the CLI runs in it. */
  readonly dir: string;
  /** `<dir>/data` unless named otherwise; the CLI creates it on `init`. */
  readonly dataDir: string;
  /** The environment every {@link CliWorkspace.run} gets. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs `ecmahost --data-dir <dataDir> <args>` in `dir`. */
  run: (...args: string[]) => Promise<CliResult>;
}

/** Where {@link useCliWorkspace} puts its directories and what the CLI runs with. */
export interface CliWorkspaceOptions {
  /** The temporary directory's name prefix; default `ecmahost-cli-`. */
  prefix?: string;
  /** The data directory's name inside the temporary directory; default `data`. */
  dataDirName?: string;
  /** Default {@link cleanEnv}(). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Registers, in the calling `describe`, hooks that build the binary and make a fresh workspace before
 * its tests and remove it after them. Its `afterAll` is registered first, so it runs after the
 * suite's own (vitest runs after-hooks as a stack): a server the suite started stops before its data
 * directory goes.
 */
export function useCliWorkspace(options: CliWorkspaceOptions = {}): CliWorkspace {
  const env = options.env ?? cleanEnv();
  let made: { dir: string; dataDir: string; cleanup: () => Promise<void> } | undefined;
  const current = () => {
    if (made === undefined) throw new Error('the CLI workspace exists only while its suite runs (in its hooks and tests)');
    return made;
  };
  beforeAll(async () => {
    await ensureBuilt();
    const { dir, cleanup } = await tempDir(options.prefix);
    made = { dir, dataDir: path.join(dir, options.dataDirName ?? 'data'), cleanup };
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await made?.cleanup();
    made = undefined;
  });
  return {
    get dir() {
      return current().dir;
    },
    get dataDir() {
      return current().dataDir;
    },
    env,
    run: (...args) => cli(['--data-dir', current().dataDir, ...args], { env, cwd: current().dir }),
  };
}

/**
 * A connector over a JSON file (`{"people": {"<login>": {...}}}`) written as a plain ES module, so
 * the built host loads it exactly as a third-party connector given by path. Its parameter pages use
 * every parameter type, a page series (global 1 and 2), a pattern with a message and
 * connector-side validations (one spanning two parameters); its schema has a hidden, a binary and a
 * multi-valued attribute; its `open` insists that the API key arrives as a Secret.
 */
export function fixtureConnectorSource(): string {
  return `import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { ConnectorError, applyAttributeChanges, attributeChangesOf, defineConnector, isSecret } from ${JSON.stringify(new URL(`file://${SDK_DIST}`).href)};

const schema = { objectTypes: [{ name: 'person', anchors: ['login'], attributes: [
  { name: 'login', type: 'string', multiValued: false, required: true },
  { name: 'firstName', type: 'string', multiValued: false },
  { name: 'lastName', type: 'string', multiValued: false },
  { name: 'mail', type: 'string', multiValued: false },
  { name: 'enabled', type: 'boolean', multiValued: false },
  { name: 'internalNote', type: 'string', multiValued: false, hidden: true },
  { name: 'photo', type: 'binary', multiValued: false },
  { name: 'nicknames', type: 'string', multiValued: true },
] }] };

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { people: {} });

export default defineConnector({
  name: 'fixture-json-people',
  displayName: 'JSON people file (fixture)',
  version: '1.2.3',
  capabilities: { import: true, export: true, deltaImport: false, exportType: 'attributeUpdate' },
  parameters(request) {
    if (request.page === 'connectivity' && request.pageNumber === 1) return [
      { name: 'file', type: 'file', label: 'Data file', required: true },
      { name: 'apiKey', type: 'encryptedString', label: 'API key', required: true, pattern: '^key-[a-z0-9]+$', patternMessage: 'API key must look like key-abc123.' },
      { name: 'about', type: 'label', text: 'The data file is created when it does not exist.' },
      { name: 'region', type: 'dropdown', label: 'Region', options: ['eu', 'us'], default: 'eu' },
      { name: 'pretty', type: 'checkbox', label: 'Pretty-print the file', default: false },
      { name: 'transport', type: 'dropdown', label: 'Transport', options: ['https', 'http'], default: 'https' },
      { name: 'allowHttp', type: 'checkbox', label: 'Allow plain http', default: false },
    ];
    if (request.page === 'global' && request.pageNumber === 1) return [
      { name: 'prefix', type: 'string', label: 'Login prefix', pattern: '^[a-z]*$', patternMessage: 'Login prefix: lowercase letters only.' },
    ];
    if (request.page === 'global' && request.pageNumber === 2) return [{ type: 'divider', name: 'sep' }, { name: 'comment', type: 'text', label: 'Comment' }];
    return [];
  },
  validate(request) {
    if (request.page === 'connectivity' && !String(request.values.file).endsWith('.json')) return [{ parameter: 'file', message: 'The data file must end in .json.' }];
    // A rule spanning two answers that names only the first, as the LDAP connector's security rule does.
    if (request.page === 'connectivity' && request.values.transport === 'http' && request.values.allowHttp !== true) return [{ parameter: 'transport', message: 'Plain http must be allowed explicitly: tick "Allow plain http" or use https.' }];
    return [];
  },
  async open(values) {
    if (!isSecret(values.apiKey)) throw new ConnectorError('invalid-configuration', 'apiKey did not arrive as a Secret');
    const file = String(values.file);
    const indent = values.pretty === true ? 2 : 0;
    return {
      async testConnection() {
        if (values.apiKey.reveal() === 'key-refused') throw new ConnectorError('authentication-failed', 'The API key was refused by the people service.');
      },
      async getSchema() { return schema; },
      async openImport() {
        const people = Object.values(read(file).people);
        let done = false;
        return {
          async getEntries() {
            const entries = done ? [] : people.map((p) => ({ objectType: 'person', modification: 'add', anchor: { login: p.login }, attributeChanges: attributeChangesOf(p) }));
            done = true;
            return { entries, more: false };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            const data = read(file);
            const results = batch.map((change) => {
              const login = String(change.anchor.login);
              if (change.modification === 'delete') delete data.people[login];
              else {
                const current = data.people[login] ?? {};
                const next = applyAttributeChanges(change.modification === 'add' ? {} : current, change.attributeChanges);
                data.people[login] = Object.fromEntries(Object.entries(next).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
                data.people[login].login = login;
              }
              return { identifier: change.identifier };
            });
            writeFileSync(file, JSON.stringify(data, null, indent));
            return results;
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});
`;
}

/** Writes the fixture connector and a data file with `people` into `dir`. */
export async function writeFixture(dir: string, people: Record<string, Record<string, unknown>> = {}): Promise<{ connector: string; dataFile: string }> {
  const connector = path.join(dir, 'fixture-connector.mjs');
  const dataFile = path.join(dir, 'people.json');
  await writeFile(connector, fixtureConnectorSource());
  await writeFile(dataFile, JSON.stringify({ people }));
  return { connector, dataFile };
}

/** The name the fixture connector has when {@link installFixturePackage} installed it. */
export const FIXTURE_PACKAGE = 'fixture-json-people';

/**
 * Installs the fixture connector as a package in `dataDir/node_modules`, with the keyword and
 * manifest of a connector package, so the console lists it and `--package fixture-json-people` loads it.
 */
export async function installFixturePackage(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'node_modules', FIXTURE_PACKAGE);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'index.mjs'), fixtureConnectorSource());
  const manifest = {
    name: FIXTURE_PACKAGE,
    version: '1.2.3',
    type: 'module',
    exports: './index.mjs',
    keywords: ['ecma-connector'],
    ecmahost: { connector: './index.mjs', apiVersion: 1 },
    peerDependencies: { '@ecmahost/sdk': '>=0.0.0' },
  };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/** The flags that add the fixture connector non-interactively. */
export function fixtureAddArgs(name: string, fixture: { connector: string; dataFile: string }, extra: string[] = []): string[] {
  return [
    'connector', 'add', name,
    '--package', fixture.connector,
    '--param', `file=${fixture.dataFile}`,
    '--param', 'apiKey=key-s3cretvalue',
    '--scim', 'userName=login',
    '--scim', 'name.givenName=firstName',
    '--disable-flow', 'attribute:enabled',
    '--delete-flow', 'delete',
    ...extra,
  ];
}

/** The token printed once by `connector add` / `token rotate`. */
export function printedToken(stdout: string): string {
  const match = /Secret token: (\S+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`no token in output:\n${stdout}`);
  return match[1];
}

/** A running `ecmahost serve` started from the built binary. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `ecmahost serve --port 0` (or `args`) and waits for its run record, which names the port it
 * got. Fails with the process output when it exits first.
 */
export async function startServe(dataDir: string, env: NodeJS.ProcessEnv, args: string[] = ['--port', '0']): Promise<ServeProcess> {
  const runFile = path.join(dataDir, 'run', 'host.json');
  await rm(runFile, { force: true });
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  let port: number | undefined;
  while (port === undefined) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start within 30 s:\n${output}`);
    }
    const text = await readFile(runFile, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const record = JSON.parse(text) as { pid: number; port: number };
      if (record.pid === child.pid) port = record.port;
    }
    if (port === undefined) await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    port,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** An HTTPS request trusting only `ca` (the host's certificate), as Entra's agent machine would after importing it. */
export function httpsRequest(
  url: string,
  options: { ca: string | Buffer; token?: string; method?: string; body?: unknown; servername?: string; maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' },
): Promise<{ status: number; body: string; json: () => unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = 'application/scim+json';
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        ca: options.ca,
        ...(options.servername ? { servername: options.servername } : {}),
        ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
        ...(options.minVersion ? { minVersion: options.minVersion } : {}),
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls `probe` until it returns a value (the first import runs in the background after a start or a change). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
