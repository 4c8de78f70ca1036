import { connectRunningHost } from '../../admin/client.js';
import { OpsError } from '../../store/errors.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say, warn } from '../context.js';

/** What the running host answers to `POST /admin/reload`. */
interface ReloadAnswer {
  reloaded: string[];
  failed?: { name: string; error: string }[];
  certificate?: { fingerprint256: string; daysLeft: number };
  certificateError?: string;
}

/**
 * `ecmahost reload`: the running host re-reads the connector files and the certificate, as SIGHUP
 * does, keeping its connections and the cache of unchanged connectors. Throws
 * `OpsError('invalid-argument')` when no host serves the data directory.
 */
export async function reloadCommand(ctx: CliContext, store: Store): Promise<void> {
  const client = await connectRunningHost(store);
  if (client === undefined) throw new OpsError('invalid-argument', `no host is serving ${store.paths.root}: start it with "ecmahost serve".`);
  const answer = await client.json<ReloadAnswer>('POST', '/reload', {});
  say(ctx, `Reloaded connectors: ${answer.reloaded.join(', ') || 'none changed'}.`);
  for (const failure of answer.failed ?? []) warn(ctx, `warning: ${failure.name} was kept as it was: ${failure.error}`);
  if (answer.certificate) say(ctx, `Certificate: SHA-256 ${answer.certificate.fingerprint256}, ${answer.certificate.daysLeft} days left.`);
  if (answer.certificateError !== undefined) warn(ctx, `warning: the certificate was kept as it was: ${answer.certificateError}`);
}
