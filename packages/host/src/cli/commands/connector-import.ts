import { pino } from 'pino';
import { connectRunningHost } from '../../admin/client.js';
import type { CacheQueryResult } from '../../host.js';
import { createHost } from '../../host.js';
import type { Host } from '../../host.js';
import type { ImportProgress, ImportSummary } from '../../connectors/runtime.js';
import { OpsError } from '../../store/errors.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say, warn } from '../context.js';
import { loadDefinition } from '../../plugins/connector-loading.js';
import { parseCount } from '../connector-options.js';

function progressLine(ctx: CliContext, progress: ImportProgress): void {
  warn(ctx, `  ${progress.type} import: ${progress.objects} object(s), ${progress.pages} page(s) so far...`);
}

function summaryLine(ctx: CliContext, summary: ImportSummary, where: string): void {
  say(ctx, `${summary.type === 'full' ? 'Full' : 'Delta'} import of ${summary.connector} ${where}: ${summary.objects} object(s) imported, ${summary.errors} error(s), ${summary.skipped} skipped; the cache holds ${summary.cacheSize} object(s) (${summary.durationMs} ms).`);
}

/**
 * Runs `use` against a host made for one connector in this process, for commands that work
 * without a running host. The host's own start-up import is what `use` waits for.
 */
async function withStandaloneHost<T>(store: Store, name: string, use: (host: Host) => Promise<T>): Promise<T> {
  const config = await store.readConnector(name);
  const host = createHost({
    connectors: [config],
    logger: pino({ level: 'warn' }, pino.destination(2)),
    loadConnector: (spec) => loadDefinition(spec, store.paths.root),
    stateDir: store.paths.state,
  });
  await host.start();
  try {
    const status = host.connectorStatus(name);
    if (status?.state === 'failing') throw new OpsError('connector-failed', `${name} could not start: ${status.lastError ?? 'unknown error'}`);
    return await use(host);
  } finally {
    await host.stop();
  }
}

/**
 * `ecmahost connector import <name> [--full | --delta]`: through the running host (its cache is refreshed)
 * or, when none runs, standalone (the counts are reported; the cache lives only in a host).
 */
export async function connectorImportCommand(ctx: CliContext, store: Store, name: string, flags: { full?: boolean; delta?: boolean }): Promise<void> {
  await store.readConnector(name);
  const delta = flags.delta === true;
  const client = await connectRunningHost(store);
  if (client) {
    let summary: ImportSummary | undefined;
    let failure: string | undefined;
    await client.stream('POST', `/connectors/${encodeURIComponent(name)}/import?delta=${delta}`, (line) => {
      const message = line as { progress?: ImportProgress; summary?: ImportSummary; error?: string };
      if (message.progress) progressLine(ctx, message.progress);
      if (message.summary) summary = message.summary;
      if (message.error !== undefined) failure = message.error;
    });
    if (failure !== undefined) throw new OpsError('connector-failed', `import of ${name} failed: ${failure}`);
    if (!summary) throw new OpsError('admin-request-failed', 'the host ended the import without a result.');
    summaryLine(ctx, summary, 'by the running host');
    return;
  }
  warn(ctx, `No host is running: importing ${name} standalone...`);
  // The host's start-up import is already running when `use` is called; runImport joins it.
  const summary = await withStandaloneHost(store, name, (host) => host.runImport(name, { delta, onProgress: (p) => progressLine(ctx, p) }));
  summaryLine(ctx, summary, '(standalone: no host is running)');
}

/**
 * `ecmahost cache show <name> [filter]`: the running host's cache, queried with a SCIM filter; with
 * no running host, a fresh import answers it (what a host would hold right after starting).
 */
export async function cacheShowCommand(ctx: CliContext, store: Store, name: string, filter: string | undefined, flags: { count?: string; startIndex?: string }): Promise<void> {
  await store.readConnector(name);
  const count = parseCount(flags.count, '--count', 0);
  const startIndex = parseCount(flags.startIndex, '--start-index', 1);
  const client = await connectRunningHost(store);
  let result: CacheQueryResult;
  if (client) {
    const query = new URLSearchParams();
    if (filter !== undefined) query.set('filter', filter);
    if (count !== undefined) query.set('count', String(count));
    if (startIndex !== undefined) query.set('startIndex', String(startIndex));
    result = await client.json<CacheQueryResult>('GET', `/connectors/${encodeURIComponent(name)}/cache?${query.toString()}`);
  } else {
    warn(ctx, `No host is running: importing ${name} to answer from a fresh cache.`);
    result = await withStandaloneHost(store, name, async (host) => {
      await host.runImport(name);
      const paging: { startIndex?: number; count?: number } = {};
      if (count !== undefined) paging.count = count;
      if (startIndex !== undefined) paging.startIndex = startIndex;
      try {
        return host.queryCache(name, filter, paging);
      } catch (error) {
        throw new OpsError('invalid-argument', (error as Error).message, { cause: error });
      }
    });
  }
  say(ctx, `${result.totalResults} object(s) match${filter === undefined ? '' : ` ${filter}`}${result.resources.length < result.totalResults ? ` (showing ${result.resources.length})` : ''}.`);
  for (const resource of result.resources) say(ctx, JSON.stringify(resource));
}
