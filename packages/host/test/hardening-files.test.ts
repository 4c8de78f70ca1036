// Finding 10 of the hostile review (issue 15): every file the host owns is written atomically
// (temporary file, fsync, rename, folder fsync) and owner-only; the data directory and its folders
// are 0700 and their files 0600 on POSIX, also a directory an earlier version made 0755/0644, the
// watermark file and the demo's SQLite database with its WAL and shared-memory files. The demo
// refuses a short ECMAHOST_DEMO_TOKEN and prints a token only at the start that generated it.
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import { startDemo } from '../src/demo/start-demo.js';
import { initStore, openStore } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

const posix = process.platform !== 'win32';

/** The permission bits of `file`, as `0o600`-style text. */
async function modeOf(file: string): Promise<string> {
  return `0o${((await stat(file)).mode & 0o777).toString(8)}`;
}

/** Every folder and file under `root` (not following into node_modules) with its mode. */
async function modesUnder(root: string): Promise<Record<string, string>> {
  const modes: Record<string, string> = { '.': await modeOf(root) };
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    modes[path.relative(root, full)] = await modeOf(full);
  }
  return modes;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-hardening-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!posix)('modes of the data directory (POSIX)', () => {
  it('makes "init", a connector and an import owner-only: folders 0700, files 0600', async () => {
    const { store } = await initStore(path.join(dir, 'init'), { settings: { hostName: 'localhost' }, env: {} });
    await store.writeConnector(fixtureConfig('HR', TOKEN_A, path.join(dir, 'hr.json')));
    // An import writes the connector's watermark into state/.
    const host = createHost({ connectors: [await store.readConnector('HR')], logger: pino({ level: 'silent' }), stateDir: store.paths.state });
    await host.start();
    await host.runImport('HR');
    await host.stop();
    const modes = await modesUnder(store.paths.root);
    expect(modes).toMatchObject({ '.': '0o700', connectors: '0o700', 'connectors/HR.yaml': '0o600', 'host.yaml': '0o600', 'host.key': '0o600', 'admin-token': '0o600', state: '0o700', 'state/HR.watermark.json': '0o600' });
    expect(Object.entries(modes).filter(([, mode]) => mode !== '0o700' && mode !== '0o600')).toEqual([]);
  });

  it('tightens a data directory an earlier version left readable by everyone when it is opened', async () => {
    const { store } = await initStore(path.join(dir, 'legacy'), { settings: { hostName: 'localhost' }, env: {} });
    await chmod(store.paths.root, 0o755);
    await chmod(store.paths.connectors, 0o755);
    await chmod(store.paths.hostSettings, 0o644);
    await openStore(store.paths.root, {});
    expect(await modeOf(store.paths.root)).toBe('0o700');
    expect(await modeOf(store.paths.connectors)).toBe('0o700');
    expect(await modeOf(store.paths.hostSettings)).toBe('0o600');
  });
});

describe('the demo', () => {
  it('refuses an ECMAHOST_DEMO_TOKEN shorter than 32 characters and creates nothing for it', async () => {
    const dataDir = path.join(dir, 'demo-short');
    await expect(startDemo({ dataDir, env: { ECMAHOST_DEMO_TOKEN: 'my-demo-token-2026', ECMAHOST_PORT: '0' } })).rejects.toThrow(
      'ECMAHOST_DEMO_TOKEN must be at least 32 characters (it has 18); unset it to have the demo generate one.',
    );
    await expect(stat(path.join(dataDir, 'demo'))).rejects.toThrow(/ENOENT/);
  });

  it('prints the token it generated once; later starts do not print it, and its files are owner-only', async () => {
    const dataDir = path.join(dir, 'demo');
    const env = { ECMAHOST_PORT: '0', ECMAHOST_LOG_LEVEL: 'silent' };
    const first = await startDemo({ dataDir, env });
    await first.running.stop();
    expect(first.token).toHaveLength(43);
    expect(first.instructions).toContain(`  Secret token:  ${first.token}`);
    const second = await startDemo({ dataDir, env });
    try {
      expect(second.token).toBe(first.token);
      expect(second.instructions.join('\n')).not.toContain(first.token);
      expect(second.instructions).toContain(`  Secret token:  printed at the first start only; "ecmahost token rotate GenericSQL --data-dir ${dataDir}" makes a new one`);
      if (posix) {
        // While the connector has the database open, SQLite keeps its -wal and -shm files beside it.
        const modes = await modesUnder(path.join(dataDir, 'demo'));
        expect(modes).toMatchObject({ '.': '0o700', 'contoso.db': '0o600', 'contoso.db-wal': '0o600', 'contoso.db-shm': '0o600', 'token.enc': '0o600' });
        expect(await modeOf(dataDir)).toBe('0o700');
      }
    } finally {
      await second.running.stop();
    }
  }, 60_000);
});
