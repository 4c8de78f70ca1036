import { readFile, readdir } from 'node:fs/promises';
import { parseDocument, stringify } from 'yaml';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { connectorFromData, connectorToData } from './connector-files.js';
import { dataDirPaths } from './data-dir.js';
import { OpsError, isOpsError } from './errors.js';
import { writeFileAtomic } from './files.js';
import { loadHostKey } from './host-key.js';
import { makeKeyCheck, settingsFromData, settingsToData, verifyKeyCheck } from './host-settings.js';
import type { Store } from './store.js';
import { initStore } from './store.js';

/** The format tag of an export file. */
export const EXPORT_FORMAT = 'ecmahost-config/1';

/**
 * Renders the whole configuration (host settings and every connector) as one YAML document.
 * Secrets stay encrypted under the host key, which is not part of the export; token hashes are
 * kept so the connectors' existing SCIM tokens keep working. Not exported: the admin credential
 * and the self-signed certificate (both made anew on import), watermarks (the first import after
 * an import is a full one).
 */
export async function exportConfig(store: Store): Promise<string> {
  const { key } = store.hostKey;
  const settings = await store.readSettings();
  const connectors = await store.listConnectors();
  const header =
    `# ecmahost configuration export (${EXPORT_FORMAT}).\n` +
    '# Secrets are encrypted (enc:v1:...) under the host key of the exporting host; the key is NOT in\n' +
    '# this file. Import with the same key: ECMAHOST_KEY or ECMAHOST_KEY_FILE, then\n' +
    '#   ecmahost --data-dir <empty dir> config import <this file>\n';
  return (
    header +
    stringify({
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      keyCheck: makeKeyCheck(key),
      host: settingsToData(settings, key),
      connectors: connectors.map((c) => connectorToData(c, key)),
    })
  );
}

/** Writes {@link exportConfig} to `file` (mode 0600). */
export async function exportConfigToFile(store: Store, file: string): Promise<{ connectors: number }> {
  const text = await exportConfig(store);
  await writeFileAtomic(file, text, 0o600);
  return { connectors: (await store.listConnectors()).length };
}

/**
 * Creates a data directory at `root` from an export file. The directory must not hold a
 * configuration yet, and the host key (`ECMAHOST_KEY` / `ECMAHOST_KEY_FILE` / `host.key` in
 * `root`) must be the exporting host's: every secret is decrypted before anything is written, so
 * a wrong key fails with `OpsError('wrong-host-key')` and leaves the directory untouched.
 */
export async function importConfig(root: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ store: Store; connectors: ConnectorInstanceConfig[] }> {
  const paths = dataDirPaths(root);
  const existing = await readdir(paths.connectors).catch(() => [] as string[]);
  if (existing.length > 0 || (await readFile(paths.hostSettings).then(() => true, () => false))) {
    throw new OpsError('import-target-not-empty', `${paths.root} already holds a configuration; import into an empty data directory.`);
  }
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new OpsError('invalid-export', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  });
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new OpsError('invalid-export', `${file}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
  const data = doc.toJS() as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || data.format !== EXPORT_FORMAT) {
    throw new OpsError('invalid-export', `${file} is not an ecmahost configuration export (format ${EXPORT_FORMAT}).`);
  }
  const hostKey = await loadHostKey(paths.hostKey, env).catch((error: unknown) => {
    if (isOpsError(error) && error.code === 'host-key-missing') {
      throw new OpsError('host-key-missing', `importing needs the host key of the exporting host (its secrets are encrypted under it): set ECMAHOST_KEY or ECMAHOST_KEY_FILE, or copy its host.key to ${paths.hostKey}.`);
    }
    throw error;
  });
  if (typeof data.keyCheck !== 'string') throw new OpsError('invalid-export', `${file}: keyCheck is missing.`);
  verifyKeyCheck(hostKey.key, data.keyCheck, file);
  const settings = settingsFromData(data.host, hostKey.key, `${file} (host)`);
  if (!Array.isArray(data.connectors)) throw new OpsError('invalid-export', `${file}: connectors must be a list.`);
  const connectors = data.connectors.map((c: unknown, i: number) => connectorFromData(c, hostKey.key, `${file} (connectors[${i}])`));
  const names = new Set<string>();
  for (const c of connectors) {
    if (names.has(c.name)) throw new OpsError('invalid-export', `${file}: connector ${c.name} is listed twice.`);
    names.add(c.name);
  }
  const { store } = await initStore(root, { settings, env });
  for (const c of connectors) await store.writeConnector(c);
  return { store, connectors };
}
