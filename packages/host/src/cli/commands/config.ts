import path from 'node:path';
import { exportConfigToFile, importConfig } from '../../store/config-transfer.js';
import { resolveDataDir } from '../../store/data-dir.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';

/** `ecmahost config export [--output file]`. */
export async function configExportCommand(ctx: CliContext, store: Store, flags: { output?: string }): Promise<void> {
  const file = path.resolve(ctx.cwd, flags.output ?? 'ecmahost-config.yaml');
  const { connectors } = await exportConfigToFile(store, file);
  say(ctx, `Exported the host settings and ${connectors} connector(s) to ${file}.`);
  say(ctx, 'Secrets stay encrypted under the host key, which is not in the file: the importing host needs the same key (ECMAHOST_KEY or ECMAHOST_KEY_FILE).');
}

/** `ecmahost config import <file>` into an empty data directory. */
export async function configImportCommand(ctx: CliContext, dataDir: string | undefined, file: string): Promise<void> {
  const root = resolveDataDir(dataDir, ctx.env);
  const { store, connectors } = await importConfig(root, path.resolve(ctx.cwd, file), ctx.env);
  say(ctx, `Imported ${connectors.length} connector(s) into ${root}: ${connectors.map((c) => c.name).join(', ') || '(none)'}.`);
  const source = store.hostKey.source;
  if (source.kind === 'env') say(ctx, 'The secrets are under the key in ECMAHOST_KEY: the host needs that variable every time it runs.');
  else if (source.path !== store.paths.hostKey) say(ctx, `The secrets are under the key in ${source.path}: keep ECMAHOST_KEY_FILE pointing at it, or copy it to ${store.paths.hostKey} (mode 0600).`);
  say(ctx, 'Their SCIM tokens are unchanged. A new admin credential was made; a self-signed certificate is generated anew at first start.');
}
