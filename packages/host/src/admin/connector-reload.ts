import { isSecret } from '@ecmahost/sdk';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import type { Host } from '../host.js';
import type { Store } from '../store/store.js';

/** What a reload did: the connectors it added, changed or removed, and those it left as they were. */
export interface ConnectorReloadResult {
  reloaded: string[];
  failed: { name: string; error: string }[];
}

// A comparable form of a configuration: secrets revealed (they are compared, never sent).
function fingerprint(config: ConnectorInstanceConfig): string {
  const parameters = Object.fromEntries(Object.entries(config.parameters).map(([k, v]) => [k, isSecret(v) ? { secret: v.reveal() } : v]));
  return JSON.stringify({ ...config, tokenHash: '', parameters });
}

// Reloads of one record run one after the other: a SIGHUP and an `ecmahost reload` arriving
// together must not both add the same new connector.
const queues = new WeakMap<Map<string, ConnectorInstanceConfig>, Promise<unknown>>();

/**
 * Brings the running host in line with the connector files of the data directory: removed files
 * stop their connector, new ones start, changed ones are replaced (opened first, so a refused
 * configuration leaves the old instance serving and is listed as failed), a changed token only
 * rotates. Unchanged connectors keep running with their cache. `loaded` is the configuration each
 * running connector was last loaded with; it is updated.
 */
export function reloadConnectors(host: Host, store: Store, loaded: Map<string, ConnectorInstanceConfig>): Promise<ConnectorReloadResult> {
  const run = (queues.get(loaded) ?? Promise.resolve()).catch(() => undefined).then(() => reloadNow(host, store, loaded));
  queues.set(loaded, run);
  return run;
}

async function reloadNow(host: Host, store: Store, loaded: Map<string, ConnectorInstanceConfig>): Promise<ConnectorReloadResult> {
  const names = await store.listConnectorNames();
  const wanted = new Map<string, ConnectorInstanceConfig>();
  const failed: { name: string; error: string }[] = [];
  for (const name of names) {
    try {
      wanted.set(name, await store.readConnector(name));
    } catch (error) {
      // An unreadable file leaves the running instance as it is.
      failed.push({ name, error: (error as Error).message });
    }
  }
  const reloaded: string[] = [];
  for (const name of host.connectorNames()) {
    if (!names.includes(name)) {
      await host.removeConnector(name);
      loaded.delete(name);
      reloaded.push(name);
    }
  }
  for (const [name, config] of wanted) {
    const before = loaded.get(name);
    // A connector may be running without being in `loaded` (the console adds connectors to the
    // running host itself): replace it rather than add it a second time.
    try {
      if (!host.connectorNames().includes(name)) await host.addConnector(config);
      else if (before === undefined || fingerprint(before) !== fingerprint(config)) await host.replaceConnector(config);
      else if (before.tokenHash !== config.tokenHash) host.rotateToken(name, config.tokenHash);
      else continue;
    } catch (error) {
      // The host opens a changed configuration before it stops the old instance: a refusal
      // leaves the old one serving, and the caller hears the connector's message.
      failed.push({ name, error: (error as Error).message });
      continue;
    }
    loaded.set(name, config);
    reloaded.push(name);
  }
  return { reloaded, failed };
}
