import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { generateToken } from '../auth/token.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { assertConnectorName, parseConnectorYaml, renderConnectorYaml } from './connector-files.js';
import type { DataDirPaths } from './data-dir.js';
import { dataDirPaths } from './data-dir.js';
import { OpsError } from './errors.js';
import { DATA_DIR_MODE, readIfExists, restrictFolder, writeFileAtomic } from './files.js';
import type { HostKey } from './host-key.js';
import { loadHostKey, loadOrCreateHostKey } from './host-key.js';
import type { HostSettings } from './host-settings.js';
import { defaultHostSettings, makeKeyCheck, parseSettingsYaml, renderSettingsYaml } from './host-settings.js';

/** A running host's discovery record (`run/host.json`), read by the CLI to reach `/admin`. */
export interface RunRecord {
  pid: number;
  port: number;
  protocol: 'https' | 'http';
  /** SHA-256 fingerprint of the serving certificate, pinned by the CLI. */
  fingerprint256?: string;
  startedAt: string;
}

/**
 * An opened data directory: host settings, connector instances, the admin credential and the
 * host key that encrypts their secrets. Every read checks and decrypts; every write is atomic.
 */
export interface Store {
  readonly paths: DataDirPaths;
  readonly hostKey: HostKey;
  readSettings(): Promise<HostSettings>;
  writeSettings(settings: HostSettings): Promise<void>;
  /** Every connector instance, sorted by name; throws on the first file that cannot be read. */
  listConnectors(): Promise<ConnectorInstanceConfig[]>;
  /** The names of the connector files, sorted, without reading them. */
  listConnectorNames(): Promise<string[]>;
  /** Throws `OpsError('connector-not-found')` naming the known connectors. */
  readConnector(name: string): Promise<ConnectorInstanceConfig>;
  hasConnector(name: string): Promise<boolean>;
  writeConnector(config: ConnectorInstanceConfig): Promise<void>;
  removeConnector(name: string): Promise<void>;
  /** The admin credential of `/admin`. */
  readAdminToken(): Promise<string>;
  readRunRecord(): Promise<RunRecord | undefined>;
  writeRunRecord(record: RunRecord): Promise<void>;
  clearRunRecord(): Promise<void>;
}

/** Options of {@link initStore}. */
export interface InitStoreOptions {
  /** Settings to start from; defaults from {@link defaultHostSettings}. */
  settings?: Partial<HostSettings>;
  env?: NodeJS.ProcessEnv;
}

function connectorFile(paths: DataDirPaths, name: string): string {
  assertConnectorName(name);
  return path.join(paths.connectors, `${name}.yaml`);
}

function makeStore(paths: DataDirPaths, hostKey: HostKey): Store {
  const { key } = hostKey;
  const store: Store = {
    paths,
    hostKey,
    async readSettings() {
      const text = await readIfExists(paths.hostSettings);
      if (text === undefined) throw notInitialized(paths);
      return parseSettingsYaml(text, key, paths.hostSettings);
    },
    async writeSettings(settings) {
      await writeFileAtomic(paths.hostSettings, renderSettingsYaml(settings, key, makeKeyCheck(key)));
    },
    async listConnectors() {
      return Promise.all((await store.listConnectorNames()).map((name) => store.readConnector(name)));
    },
    async listConnectorNames() {
      try {
        return (await readdir(paths.connectors))
          .filter((f) => f.endsWith('.yaml'))
          .map((f) => f.slice(0, -'.yaml'.length))
          .sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    async readConnector(name) {
      const file = connectorFile(paths, name);
      const text = await readIfExists(file);
      if (text === undefined) {
        const known = (await readdir(paths.connectors).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
        throw new OpsError(
          'connector-not-found',
          `no connector named "${name}" in ${paths.root}${known.length > 0 ? ` (connectors: ${known.join(', ')}; names are case-sensitive)` : ' (there are no connectors yet: add one with "ecmahost connector add")'}.`,
        );
      }
      const config = parseConnectorYaml(text, key, file);
      if (config.name !== name) throw new OpsError('invalid-config', `${file}: name is "${config.name}" but the file is named for "${name}".`);
      return config;
    },
    async hasConnector(name) {
      return (await readIfExists(connectorFile(paths, name))) !== undefined;
    },
    async writeConnector(config) {
      // Secret parameter values are encrypted, and the token is only a hash, but the file still
      // tells how to reach the target: owner-only.
      await writeFileAtomic(connectorFile(paths, config.name), renderConnectorYaml(config, key), 0o600);
    },
    async removeConnector(name) {
      const file = connectorFile(paths, name);
      if ((await readIfExists(file)) === undefined) await store.readConnector(name);
      await rm(file, { force: true });
      await rm(path.join(paths.state, `${encodeURIComponent(name)}.watermark.json`), { force: true });
      // Its connector space snapshots (decisions 021, 022; `.space`, and `.space.ndjson` of format 2,
      // with their temporary files): the target's data, and a connector added again under this name
      // must not start from them. Names have no dot, so the prefix is this connector's.
      const prefix = `${encodeURIComponent(name)}.`;
      const kept = await readdir(paths.state).catch(() => [] as string[]);
      for (const entry of kept) if (entry.startsWith(prefix) && /\.space(\.|$)/.test(entry)) await rm(path.join(paths.state, entry), { force: true });
    },
    async readAdminToken() {
      const text = await readIfExists(paths.adminToken);
      if (text === undefined) throw notInitialized(paths);
      return text.trim();
    },
    async readRunRecord() {
      const text = await readIfExists(paths.runFile);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as RunRecord;
      } catch {
        return undefined;
      }
    },
    async writeRunRecord(record) {
      await writeFileAtomic(paths.runFile, `${JSON.stringify(record, null, 2)}\n`, 0o600);
    },
    async clearRunRecord() {
      await rm(paths.runFile, { force: true });
    },
  };
  return store;
}

/**
 * The data directory and its folders owner-only, their files too (POSIX): also a directory that
 * existed before `init` or was made by an earlier version with 0755 folders and 0644 files.
 */
async function restrictDataDir(paths: DataDirPaths): Promise<void> {
  for (const folder of [paths.root, paths.connectors, paths.state, paths.tls, path.dirname(paths.runFile)]) await restrictFolder(folder);
}

function notInitialized(paths: DataDirPaths): OpsError {
  return new OpsError('not-initialized', `${paths.root} is not an ecmahost data directory (no host.yaml). Run "ecmahost init" first, or point ECMAHOST_DATA_DIR / --data-dir at the right one.`);
}

/**
 * Opens an existing data directory, loading the host key and checking it against `host.yaml`.
 * Throws `OpsError('not-initialized')`, `('host-key-missing')` or `('wrong-host-key')`.
 */
export async function openStore(root: string, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const paths = dataDirPaths(root);
  const text = await readIfExists(paths.hostSettings);
  if (text === undefined) throw notInitialized(paths);
  const hostKey = await loadHostKey(paths.hostKey, env);
  const store = makeStore(paths, hostKey);
  await store.readSettings();
  await restrictDataDir(paths);
  return store;
}

/** Whether `root` already holds a data directory. */
export async function isInitialized(root: string): Promise<boolean> {
  return (await readIfExists(dataDirPaths(root).hostSettings)) !== undefined;
}

/**
 * Creates a data directory: `host.yaml`, the host key (unless `ECMAHOST_KEY` is set), the admin
 * credential, `connectors/`. Throws `OpsError('already-initialized')` when one exists.
 */
export async function initStore(root: string, options: InitStoreOptions = {}): Promise<{ store: Store; keyCreated: boolean }> {
  const paths = dataDirPaths(root);
  if (await isInitialized(root)) throw new OpsError('already-initialized', `${paths.root} is already an ecmahost data directory.`);
  await mkdir(paths.connectors, { recursive: true, mode: DATA_DIR_MODE });
  const { created, ...hostKey } = await loadOrCreateHostKey(paths.hostKey, options.env ?? process.env);
  const store = makeStore(paths, hostKey);
  await store.writeSettings({ ...defaultHostSettings(), ...options.settings });
  await writeFileAtomic(paths.adminToken, `${generateToken()}\n`, 0o600);
  await chmod(paths.adminToken, 0o600);
  await restrictDataDir(paths);
  return { store, keyCreated: created };
}
