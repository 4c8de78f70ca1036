// Shared by the ops-shutdown and ops-reload suites: a connector whose writes wait at a gate the
// test opens (or never opens), served by the built `ecmahost serve` in a fresh data directory.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServeProcess } from './cli-harness.js';
import { cleanEnv, cli, eventually, httpsRequest, printedToken, startServe } from './cli-harness.js';

const SDK_DIST = fileURLToPath(new URL('../../sdk/dist/index.js', import.meta.url));

/**
 * A connector over a directory: `people/<login>.json` per person. Each write appends the login to
 * `started.log`, then waits until the file `release` exists, so a test holds writes in flight for as
 * long as it wants; a write still waiting when the instance is closed fails. Imports give every
 * person the `label` parameter as their department.
 */
function gatedConnectorSource(): string {
  return `import { existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { applyAttributeChanges, attributeChangesOf, defineConnector } from ${JSON.stringify(new URL(`file://${SDK_DIST}`).href)};

const schema = { objectTypes: [{ name: 'person', anchors: ['login'], attributes: [
  { name: 'login', type: 'string', multiValued: false, required: true },
  { name: 'firstName', type: 'string', multiValued: false },
  { name: 'department', type: 'string', multiValued: false },
] }] };

export default defineConnector({
  name: 'fixture-gated-people',
  displayName: 'Gated people (fixture)',
  version: '1.0.0',
  capabilities: { import: true, export: true, deltaImport: false, exportType: 'attributeUpdate', concurrentOperations: true, maxConcurrentOperations: 8 },
  parameters(request) {
    if (request.page === 'connectivity' && request.pageNumber === 1) return [
      { name: 'dir', type: 'string', label: 'Directory', required: true },
      { name: 'label', type: 'string', label: 'Department given on import', required: true },
    ];
    return [];
  },
  async open(values) {
    const dir = String(values.dir);
    const people = path.join(dir, 'people');
    mkdirSync(people, { recursive: true });
    let closed = false;
    return {
      async testConnection() {},
      async getSchema() { return schema; },
      async openImport() {
        let done = false;
        return {
          async getEntries() {
            const entries = done ? [] : readdirSync(people).map((f) => {
              const p = { ...JSON.parse(readFileSync(path.join(people, f), 'utf8')), department: String(values.label) };
              return { objectType: 'person', modification: 'add', anchor: { login: p.login }, attributeChanges: attributeChangesOf(p) };
            });
            done = true;
            return { entries, more: false };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            const results = [];
            for (const change of batch) {
              const login = String(change.anchor.login);
              appendFileSync(path.join(dir, 'started.log'), login + '\\n');
              while (!existsSync(path.join(dir, 'release'))) await new Promise((r) => setTimeout(r, 20));
              // As a pool ends its connections: a write the host let through after close() fails.
              if (closed) throw new Error('the connector instance was closed during the write');
              const file = path.join(people, login + '.json');
              const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
              const next = applyAttributeChanges(change.modification === 'add' ? {} : current, change.attributeChanges);
              writeFileSync(file, JSON.stringify({ ...Object.fromEntries(Object.entries(next).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])), login }));
              results.push({ identifier: change.identifier });
            }
            return results;
          },
          async close() {},
        };
      },
      async close() { closed = true; },
    };
  },
});
`;
}

/** A served data directory with one gated connector named `People`. */
export interface GatedHost {
  dataDir: string;
  /** The connector's directory: `started.log`, `release`, `people/`. */
  targetDir: string;
  token: string;
  serve: ServeProcess;
  /** The self-signed certificate the host generated, to pin. */
  ca: string;
  env: NodeJS.ProcessEnv;
  run: (...args: string[]) => ReturnType<typeof cli>;
  /** `https://127.0.0.1:<port>/ecma2host_People/scim`. */
  scim: string;
}

/**
 * Initialises `dir/data` with the gated connector (department `label`), sets
 * `shutdownTimeoutSeconds` in host.yaml as an admin edits it by hand, and starts the built host.
 */
export async function startGatedHost(dir: string, options: { label?: string; shutdownTimeoutSeconds?: number } = {}): Promise<GatedHost> {
  const dataDir = path.join(dir, 'data');
  const targetDir = path.join(dir, 'target');
  await mkdir(path.join(targetDir, 'people'), { recursive: true });
  const connector = path.join(dir, 'gated-connector.mjs');
  await writeFile(connector, gatedConnectorSource());
  const env = cleanEnv();
  const run = (...args: string[]) => cli(['--data-dir', dataDir, ...args], { env, cwd: dir });
  const init = await run('init', '--host-name', 'localhost');
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  if (options.shutdownTimeoutSeconds !== undefined) {
    const file = path.join(dataDir, 'host.yaml');
    const text = await readFile(file, 'utf8');
    if (!/^shutdownTimeoutSeconds: 30$/m.test(text)) throw new Error(`host.yaml has no default shutdownTimeoutSeconds:\n${text}`);
    await writeFile(file, text.replace(/^shutdownTimeoutSeconds: 30$/m, `shutdownTimeoutSeconds: ${options.shutdownTimeoutSeconds}`));
  }
  const added = await run(
    'connector', 'add', 'People',
    '--package', connector,
    '--param', `dir=${targetDir}`,
    '--param', `label=${options.label ?? 'Sales'}`,
    '--scim', 'userName=login',
    '--scim', 'name.givenName=firstName',
    '--scim', 'title=department',
    '--delete-flow', 'delete',
  );
  if (added.code !== 0) throw new Error(`connector add failed: ${added.stderr}`);
  const serve = await startServe(dataDir, env);
  const ca = await readFile(path.join(dataDir, 'tls', 'self-signed.crt'), 'utf8');
  const scim = `https://127.0.0.1:${serve.port}/ecma2host_People/scim`;
  const host: GatedHost = { dataDir, targetDir, token: printedToken(added.stdout), serve, ca, env, run, scim };
  await eventually(async () => ((await httpsRequest(`${scim}/Users`, { ca, token: host.token })).status === 200 ? true : undefined), 'the first import');
  return host;
}

/** Logins whose write reached the connector (and waits at its gate). */
export async function writesStarted(targetDir: string): Promise<string[]> {
  const file = path.join(targetDir, 'started.log');
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
}

/** Opens the gate: every waiting write and every later one goes through. */
export async function releaseWrites(targetDir: string): Promise<void> {
  await writeFile(path.join(targetDir, 'release'), '');
}

/** A SCIM create of `login` as Entra sends it. */
export function createUser(host: GatedHost, login: string): ReturnType<typeof httpsRequest> {
  return httpsRequest(`${host.scim}/Users`, {
    ca: host.ca,
    token: host.token,
    method: 'POST',
    body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: login, name: { givenName: login.toUpperCase() } },
  });
}
