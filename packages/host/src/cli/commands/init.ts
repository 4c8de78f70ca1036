import type { HostSettings, TlsSettings } from '../../store/host-settings.js';
import { initStore } from '../../store/store.js';
import { resolveDataDir } from '../../store/data-dir.js';
import { loadTlsMaterial } from '../../tls/load-tls.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { parseCount } from '../connector-options.js';
import { tlsFromFlags } from './cert.js';
import type { TlsFlags } from './cert.js';

/** Flags of `ecmahost init`. */
export interface InitFlags extends TlsFlags {
  port?: string;
  hostName?: string;
  adminAllowRemote?: boolean;
}

/**
 * `ecmahost init`: creates the data directory (host.yaml, host key, admin credential) and the
 * certificate (the admin's PEM/PFX, checked, or a new self-signed one).
 */
export async function initCommand(ctx: CliContext, dataDir: string | undefined, flags: InitFlags): Promise<void> {
  const root = resolveDataDir(dataDir, ctx.env);
  const settings: Partial<HostSettings> = {};
  const port = parseCount(flags.port, '--port', 1);
  if (port !== undefined) settings.port = port;
  if (flags.hostName !== undefined) settings.hostName = flags.hostName;
  if (flags.adminAllowRemote) settings.adminAllowRemote = true;
  const tls: TlsSettings | undefined = tlsFromFlags(flags, ctx.cwd);
  if (tls !== undefined) settings.tls = tls;
  const { store, keyCreated } = await initStore(root, { settings, env: ctx.env });
  const effective = await store.readSettings();
  const material = await loadTlsMaterial(effective, store.paths);
  say(ctx, `Initialized ${root}`);
  say(ctx, `  settings:     ${store.paths.hostSettings} (port ${effective.port}, host name ${effective.hostName})`);
  say(ctx, `  host key:     ${store.hostKey.source.kind === 'env' ? 'from ECMAHOST_KEY' : `${store.hostKey.source.path}${keyCreated ? ' (new; back it up: secrets cannot be read without it)' : ''}`}`);
  say(ctx, `  admin token:  ${store.paths.adminToken}`);
  say(ctx, `  certificate:  ${material.source}, ${material.certificate.subject}, ${material.certificate.daysLeft} days left`);
  say(ctx, 'Next: ecmahost connector add <Name> --package <connector package> ...');
}
