import path from 'node:path';
import { IMPORT_PAGE_SIZE, sqlConnector, sqlExtension } from './connectors.js';
import { ServerProcess } from './host-process.js';
import type { ServedTarget } from './host-scenarios.js';
import { TOKEN, hostBaseUrl, hostCreates, hostLookupPrefix, hostUpdates, importRows, lookupPath, lookups, memoryRow, writeRows } from './host-scenarios.js';
import type { BenchPlan } from './plan.js';
import { bareInserts, bareKeysetSelect, bareUpdates, createSeededTable, dropTable } from './postgres.js';
import { budgetRow, rateRow } from './results.js';
import type { ResultRow } from './results.js';

/** The issue's budget from process start to the first answered lookup. */
const RESTART_BUDGET_SECONDS = 3;

/** Where the suites write their processes' logs and temporary files. */
export interface SuiteContext {
  plan: BenchPlan;
  workDir: string;
  /** The bench package directory: connector packages are resolved from here. */
  packageDir: string;
}

/**
 * PostgreSQL: restart, import, lookup (with the bare Hono limit), create and update, memory.
 * The host serves a fresh table of `plan.users` rows through the generic SQL connector.
 */
export async function sqlSuite(context: SuiteContext): Promise<ResultRow[]> {
  const { plan } = context;
  const table = `bench_users_${String(process.pid)}`;
  const rows: ResultRow[] = [];
  console.log(`PostgreSQL: seeding ${String(plan.users)} rows into ${table}`);
  await createSeededTable(table, plan.users);
  try {
    const reads = [await bareKeysetSelect(table, IMPORT_PAGE_SIZE), await bareKeysetSelect(table, IMPORT_PAGE_SIZE)];
    const bareRead = Math.max(...reads.map((r) => r.perSecond));
    console.log(`  bare keyset select: ${reads.map((r) => `${String(Math.round(r.seconds * 1000))} ms`).join(', ')}`);

    const connector = 'BenchSQL';
    const { server, startedAt, listening } = await ServerProcess.host(
      { connectors: [sqlConnector(connector, table)], token: TOKEN, resolveFrom: context.packageDir },
      path.join(context.workDir, 'host-sql.log'),
    );
    try {
      const target: ServedTarget = { host: server, connector, extension: sqlExtension };
      await listening;
      const restartSeconds = await firstAnsweredLookup(target, startedAt);
      console.log(`  restart: first answered lookup after ${restartSeconds.toFixed(2)} s`);
      rows.push(budgetRow('restart (pg, first lookup)', restartSeconds, RESTART_BUDGET_SECONDS, 's'));
      const ready = await server.ask({ cmd: 'wait-ready', name: connector }, 'ready');
      rows.push(...(await importRows(target, 'import-sql', ready.importMs, bareRead, plan.users)));

      await lookups(hostBaseUrl(target), hostLookupPrefix(target), plan, plan.warmupSeconds, true);
      const hostLookups = await lookups(hostBaseUrl(target), hostLookupPrefix(target), plan, plan.seconds, true);
      const bareLookups = await bareLookupRate(context);
      console.log(`  lookup: host ${hostLookups.perSecond.toFixed(0)}/s, bare Hono ${bareLookups.toFixed(0)}/s`);
      rows.push(rateRow('lookup', hostLookups.perSecond, bareLookups, 'req/s', 0.5));

      rows.push(
        ...(await writeRows(
          'create-sql',
          plan,
          (c) => hostCreates(target, plan, c, `hostc${String(c)}n`),
          (c) => bareInserts(table, c, plan.seconds * 1000, plan.maxOperations, `barec${String(c)}`),
        )),
      );
      rows.push(
        ...(await writeRows(
          'update-sql',
          plan,
          (c) => hostUpdates(target, plan, c, `host${String(c)}`),
          (c) => bareUpdates(table, c, plan.seconds * 1000, plan.maxOperations, plan.users, `bare${String(c)}`),
        )),
      );
      rows.push(await memoryRow(target, 'import-sql cache'));
    } finally {
      await server.stop();
    }
  } finally {
    await dropTable(table);
  }
  return rows;
}

/** Polls a lookup every 10 ms from the moment the process was forked until it answers 200 with the user. */
async function firstAnsweredLookup(target: ServedTarget, startedAt: number): Promise<number> {
  const url = `${hostBaseUrl(target)}${lookupPath(hostLookupPrefix(target), 1, 1)}`;
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } }).catch(() => undefined);
    if (response?.status === 200) {
      const body = (await response.json()) as { totalResults?: number };
      if (body.totalResults === 1) return (performance.now() - startedAt) / 1000;
    } else {
      await response?.body?.cancel();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the host answered no lookup within 10 minutes');
}

/** The bare Hono app's lookup rate over the same users, same warm-up, same phase length. */
async function bareLookupRate(context: SuiteContext): Promise<number> {
  const { plan } = context;
  const { server, listening } = await ServerProcess.start('bare-hono-child.js', { BENCH_USERS: String(plan.users) }, path.join(context.workDir, 'bare-hono.log'));
  try {
    const port = await listening;
    const base = `http://127.0.0.1:${String(port)}`;
    await lookups(base, '', plan, plan.warmupSeconds, false);
    return (await lookups(base, '', plan, plan.seconds, false)).perSecond;
  } finally {
    await server.stop();
  }
}
