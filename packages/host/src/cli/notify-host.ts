import { connectRunningHost } from '../admin/client.js';
import type { Store } from '../store/store.js';
import type { CliContext } from './context.js';
import { say, warn } from './context.js';

/**
 * Tells a running host to reload its connectors from the data directory after a change, so the
 * admin does not have to restart it. Without a running host the change applies at next start.
 */
export async function notifyHost(ctx: CliContext, store: Store): Promise<void> {
  const client = await connectRunningHost(store);
  if (client === undefined) {
    say(ctx, 'The host is not running; the change applies when it starts.');
    return;
  }
  try {
    const result = await client.json<{ reloaded: string[]; failed?: { name: string; error: string }[] }>('POST', '/reload', {});
    say(ctx, `The running host reloaded its connectors (${result.reloaded.join(', ') || 'none'}).`);
    for (const failure of result.failed ?? []) warn(ctx, `warning: the running host kept ${failure.name} as it was: ${failure.error}`);
  } catch (error) {
    warn(ctx, `warning: the change is saved, but the running host did not reload it (${(error as Error).message}); restart the host.`);
  }
}
