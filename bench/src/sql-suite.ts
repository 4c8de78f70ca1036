import path from 'node:path';
import { IMPORT_PAGE_SIZE, POOL_SIZE, sqlConnector, sqlExtension } from './connectors.js';
import { ServerProcess, profiled, withCpu } from './host-process.js';
import type { CpuTally } from './host-process.js';
import type { ServedTarget } from './host-scenarios.js';
import { TOKEN, TOKEN_HASH, bareUpdateRange, compare, hostBaseUrl, hostCreates, hostLookupPrefix, hostUpdates, importRows, lookupPath, lookups, memoryRows, scimCreates, scimUpdates, withHttpFloor, writeRows } from './host-scenarios.js';
import type { FloorTarget, HostChildConfig } from './ipc.js';
import type { BenchPlan } from './plan.js';
import { PG_URL, bareInserts, bareKeysetSelect, bareUpdates, createSeededTable, dropTable } from './postgres.js';
import { budgetRow, cpuRow, infoRow, rateRow } from './results.js';
import type { ResultRow } from './results.js';
import type { LoopResult } from './bare-loop.js';

/** The issue's budget from process start to the first answered lookup, on a restart. */
const RESTART_BUDGET_SECONDS = 3;

/** The issue's budget for the 99th percentile of a lookup's latency at 32 connections. */
const LOOKUP_P99_BUDGET_MS = 10;

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${String(value)} ms`;
}

/** Where the suites write their processes' logs and temporary files. */
export interface SuiteContext {
  plan: BenchPlan;
  workDir: string;
}

/**
 * PostgreSQL: restart, import, lookup (with the bare Hono limit), create and update (with the HTTP
 * floor), memory.
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
    // Kept between the two host processes: the second one restarts from the first one's snapshot.
    const hostConfig = { connectors: [sqlConnector(connector, table)], token: TOKEN, tokenHash: TOKEN_HASH, stateDir: path.join(context.workDir, 'state-sql'), auditDir: path.join(context.workDir, 'audit-sql') };
    const { server, startedAt, listening } = await ServerProcess.host(hostConfig, path.join(context.workDir, 'host-sql.log'));
    try {
      const target: ServedTarget = { host: server, connector, extension: sqlExtension };
      await listening;
      const firstStartSeconds = await firstAnsweredLookup(target, startedAt);
      console.log(`  first start (empty state directory): first answered lookup after ${firstStartSeconds.toFixed(2)} s`);
      rows.push(infoRow('first start (pg, full import, first lookup)', firstStartSeconds, 's'));
      const ready = await server.ask({ cmd: 'wait-ready', name: connector }, 'ready');
      rows.push(...(await profiled(server, 'import-sql', () => importRows(target, 'import-sql', ready.importMs, bareRead, plan.users))));

      const { limit: bareLookups, served: hostLookups, hostCpu, bareCpu } = await compareLookups(context, server, target);
      const hostMicros = hostCpu.micros / hostLookups.operations;
      const bareMicros = bareCpu.micros / bareLookups.operations;
      console.log(
        `  lookup: host ${hostLookups.perSecond.toFixed(0)}/s (${hostMicros.toFixed(0)} µs CPU each, p99 ${ms(hostLookups.p99Ms)}), bare Hono ${bareLookups.perSecond.toFixed(0)}/s (${bareMicros.toFixed(0)} µs CPU each, p99 ${ms(bareLookups.p99Ms)})`,
      );
      rows.push(rateRow('lookup', hostLookups.perSecond, bareLookups.perSecond, 'req/s', 0.5));
      rows.push(cpuRow('lookup CPU', hostMicros, bareMicros));
      // Issue 16: p99 at most 10 ms at 32 connections (the worst round's). The bare app's beside it:
      // with 32 requests always in flight, a latency is mostly the wait behind the other 31.
      if (hostLookups.p99Ms !== undefined) rows.push(budgetRow(`lookup p99 x${String(plan.lookupConnections)}`, hostLookups.p99Ms, LOOKUP_P99_BUDGET_MS, 'ms'));
      if (bareLookups.p99Ms !== undefined) rows.push(infoRow(`lookup p99 x${String(plan.lookupConnections)} bare Hono`, bareLookups.p99Ms, 'ms'));

      const floor: FloorTarget = { kind: 'sql', pgUrl: PG_URL, table, poolSize: POOL_SIZE };
      if (plan.concurrencies.length > 0) rows.push(
        ...(await withHttpFloor(floor, path.join(context.workDir, 'http-floor-sql.log'), async (endpoint) => [
          ...(await writeRows(
            'create-sql',
            plan,
            (c, seconds, round) => profiled(server, `create-sql-x${String(c)}-r${String(round)}`, () => hostCreates(target, plan, c, seconds, `hostr${String(round)}c${String(c)}n`)),
            (c, seconds, round) => bareInserts(table, c, seconds * 1000, plan.maxOperations, `barer${String(round)}c${String(c)}`),
            (c, seconds, round) => scimCreates(endpoint, sqlExtension, plan, c, seconds, `floorr${String(round)}c${String(c)}n`),
          )),
          ...(await writeRows(
            'update-sql',
            plan,
            (c, seconds, round) => profiled(server, `update-sql-x${String(c)}-r${String(round)}`, () => hostUpdates(target, plan, c, seconds, `host r${String(round)} x${String(c)}`)),
            (c, seconds, round) => bareUpdates(table, c, seconds * 1000, plan.maxOperations, bareUpdateRange(plan), `bare r${String(round)} x${String(c)}`),
            (c, seconds, round) => scimUpdates(endpoint, bareUpdateRange(plan), plan, c, seconds, `floor r${String(round)} x${String(c)}`),
          )),
        ])),
      );
      rows.push(...(await memoryRows(target, 'import-sql')));
      rows.push(...(await snapshotRows(server, connector)));
    } finally {
      await server.stop();
    }
    rows.push(...(await restartFromSnapshot(context, hostConfig, connector)));
  } finally {
    await dropTable(table);
  }
  return rows;
}

/** What the last snapshot of the space cost to write, and its size per object. */
async function snapshotRows(server: ServerProcess, connector: string): Promise<ResultRow[]> {
  const { status } = await server.ask({ cmd: 'status', name: connector }, 'status');
  const written = status.snapshot;
  if (written === undefined) throw new Error(`${connector} wrote no snapshot`);
  console.log(`  snapshot: ${String(written.objects)} objects, ${(written.bytes / 1048576).toFixed(1)} MiB written in ${String(written.durationMs)} ms`);
  return [infoRow('snapshot-sql write', written.durationMs, 'ms'), infoRow('snapshot-sql size', written.bytes / written.objects, 'bytes/object')];
}

/**
 * A second host process over the first one's state directory: the time to its first answered
 * lookup (served from the snapshot), the snapshot's read time, and the refresh import it runs in
 * the background (a full import here: the bench table has no delta column).
 */
async function restartFromSnapshot(context: SuiteContext, hostConfig: HostChildConfig, connector: string): Promise<ResultRow[]> {
  const { server, startedAt, listening } = await ServerProcess.host(hostConfig, path.join(context.workDir, 'host-sql-restart.log'));
  try {
    await listening;
    const target: ServedTarget = { host: server, connector, extension: sqlExtension };
    const restartSeconds = await firstAnsweredLookup(target, startedAt);
    const { status } = await server.ask({ cmd: 'status', name: connector }, 'status');
    if (status.restored === undefined) throw new Error(`${connector} did not restart from its snapshot (see ${path.join(context.workDir, 'host-sql-restart.log')})`);
    console.log(`  restart: first answered lookup after ${restartSeconds.toFixed(2)} s (snapshot of ${String(status.restored.objects)} objects read in ${String(status.restored.durationMs)} ms)`);
    const refreshed = await server.ask({ cmd: 'import', name: connector }, 'imported');
    console.log(`  refresh after the restart: full import of ${String(refreshed.objects)} objects, peak RSS ${(refreshed.peakRssBytes / 1048576).toFixed(0)} MiB`);
    return [
      budgetRow('restart (pg, first lookup)', restartSeconds, RESTART_BUDGET_SECONDS, 's'),
      infoRow('snapshot-sql read', status.restored.durationMs, 'ms'),
      infoRow('restart refresh peak RSS', refreshed.peakRssBytes / 1048576, 'MiB'),
    ];
  } finally {
    await server.stop();
  }
}

/**
 * Polls a lookup from the moment the process was forked until it answers 200 with the user, every
 * 25 ms: a bounded error against a 3 s budget, and little extra load on the starting host.
 */
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
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the host answered no lookup within 10 minutes');
}

/**
 * Lookups on the host and on the bare Hono app over the same users, both warmed up, alternating
 * in rounds. The bare app runs in its own process, idle while the host is measured. Also counts
 * the CPU time each process spends per lookup.
 */
async function compareLookups(context: SuiteContext, host: ServerProcess, target: ServedTarget): Promise<{ limit: LoopResult; served: LoopResult; hostCpu: CpuTally; bareCpu: CpuTally }> {
  const { plan } = context;
  const { server, listening } = await ServerProcess.start('bare-hono-child.js', { BENCH_USERS: String(plan.users) }, path.join(context.workDir, 'bare-hono.log'));
  try {
    const bareBase = `http://127.0.0.1:${String(await listening)}`;
    await lookups(bareBase, '', plan, plan.warmupSeconds, false);
    await lookups(hostBaseUrl(target), hostLookupPrefix(target), plan, plan.warmupSeconds, true);
    const hostCpu: CpuTally = { micros: 0 };
    const bareCpu: CpuTally = { micros: 0 };
    const result = await compare(
      plan,
      plan.lookupConnections,
      (_, seconds) => withCpu(server, bareCpu, () => lookups(bareBase, '', plan, seconds, false)),
      (_, seconds, round) => withCpu(host, hostCpu, () => profiled(host, `lookup-r${String(round)}`, () => lookups(hostBaseUrl(target), hostLookupPrefix(target), plan, seconds, true))),
    );
    return { ...result, hostCpu, bareCpu };
  } finally {
    await server.stop();
  }
}
