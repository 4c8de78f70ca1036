import { hashToken } from '@ecmahost/host';
import { combine } from './bare-loop.js';
import type { LoopResult } from './bare-loop.js';
import { ServerProcess } from './host-process.js';
import type { FloorTarget } from './ipc.js';
import { runHttpLoad } from './http-load.js';
import type { BenchPlan } from './plan.js';
import { budgetRow, floorRow, infoRow, rateRow } from './results.js';
import type { ResultRow } from './results.js';
import { createBody, patchBody } from './scim-bodies.js';
import { benchUser, scimIdOf } from './users.js';

/** The bearer token the bench configures on every connector. */
export const TOKEN = 'bench-token-0123456789abcdef';

/** {@link TOKEN}'s hash, as a data directory holds it (the host process is given it). */
export const TOKEN_HASH = hashToken(TOKEN);

/** The issue's budget of heap per cached 10-attribute user, in bytes. */
export const BYTES_PER_OBJECT_BUDGET = 1536;

/** A connector served by a running host process. */
export interface ServedTarget {
  host: ServerProcess;
  connector: string;
  /** The connector attributes sent through the ECMA2Host extension for a user. */
  extension: (user: ReturnType<typeof benchUser>) => Record<string, string>;
}

function scimBase(target: ServedTarget): string {
  return `http://127.0.0.1:${String(target.host.port)}`;
}

function scimPath(target: ServedTarget, rest: string): string {
  return `/ecma2host_${target.connector}/scim${rest}`;
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

/**
 * Where SCIM requests go: the host's endpoint of a connector, or the HTTP floor's root. Both get
 * the same requests, bearer token included.
 */
export interface ScimEndpoint {
  baseUrl: string;
  /** `/ecma2host_<name>/scim` on the host, empty on the floor. */
  prefix: string;
}

/**
 * Runs `work` with the HTTP floor (a bare Hono app doing only the write, see http-floor-child.ts)
 * serving in its own process, idle while the other sides are measured.
 */
export async function withHttpFloor<T>(floor: FloorTarget, logFile: string, work: (endpoint: ScimEndpoint) => Promise<T>): Promise<T> {
  const { server, listening } = await ServerProcess.start('http-floor-child.js', { BENCH_FLOOR: JSON.stringify(floor) }, logFile);
  try {
    return await work({ baseUrl: `http://127.0.0.1:${String(await listening)}`, prefix: '' });
  } finally {
    await server.stop();
  }
}

/** The host's SCIM endpoint of a served connector. */
export function hostEndpoint(target: ServedTarget): ScimEndpoint {
  return { baseUrl: scimBase(target), prefix: scimPath(target, '') };
}

/** POSTs new users (`prefix` + n) at `connections` concurrent clients. */
export function scimCreates(endpoint: ScimEndpoint, extension: ServedTarget['extension'], plan: BenchPlan, connections: number, seconds: number, prefix: string): Promise<LoopResult> {
  return runHttpLoad({
    url: endpoint.baseUrl,
    connections,
    durationSeconds: seconds,
    maxRequests: plan.maxOperations,
    method: 'POST',
    headers,
    expectStatus: 201,
    request: (n) => {
      const user = benchUser(n, prefix);
      return { path: `${endpoint.prefix}/Users`, body: createBody(user, extension(user)) };
    },
  });
}

/** POSTs new users through the host at `connections` concurrent clients. */
export function hostCreates(target: ServedTarget, plan: BenchPlan, connections: number, seconds: number, prefix: string): Promise<LoopResult> {
  return scimCreates(hostEndpoint(target), target.extension, plan, connections, seconds, prefix);
}

/**
 * The users the host's updates touch: the lower half. The bare loops update the upper half, so
 * they never change a value behind the host's cache (which would make the host's value-level LDAP
 * modifications fail, as they should, on a stale value).
 */
export function hostUpdateRange(plan: BenchPlan): { first: number; count: number } {
  return { first: 0, count: Math.floor(plan.users / 2) };
}

/** The users the bare update loops touch: the upper half. */
export function bareUpdateRange(plan: BenchPlan): { first: number; count: number } {
  const half = Math.floor(plan.users / 2);
  return { first: half, count: plan.users - half };
}

/** PATCHes two attributes of existing users in `range` at `connections` concurrent clients. */
export function scimUpdates(endpoint: ScimEndpoint, range: { first: number; count: number }, plan: BenchPlan, connections: number, seconds: number, tag: string): Promise<LoopResult> {
  return runHttpLoad({
    url: endpoint.baseUrl,
    connections,
    durationSeconds: seconds,
    maxRequests: plan.maxOperations,
    method: 'PATCH',
    headers,
    expectStatus: 200,
    request: (n) => ({
      path: `${endpoint.prefix}/Users/${scimIdOf(`user${String(range.first + (n % range.count))}`)}`,
      body: patchBody(`Renamed ${tag} ${String(n)}`, `Title ${tag}`),
    }),
  });
}

/** PATCHes two attributes of existing users through the host at `connections` concurrent clients. */
export function hostUpdates(target: ServedTarget, plan: BenchPlan, connections: number, seconds: number, tag: string): Promise<LoopResult> {
  return scimUpdates(hostEndpoint(target), hostUpdateRange(plan), plan, connections, seconds, tag);
}

/** The lookup path of the n-th request: users spread over the whole cache. */
export function lookupPath(prefix: string, n: number, users: number): string {
  const login = `user${String((n * 7919) % users)}`;
  return `${prefix}/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`;
}

/** `GET /Users?filter=userName eq "..."` at `connections` connections against any server. */
export function lookups(baseUrl: string, prefix: string, plan: BenchPlan, seconds: number, auth: boolean): Promise<LoopResult> {
  return runHttpLoad({
    url: baseUrl,
    connections: plan.lookupConnections,
    durationSeconds: seconds,
    maxRequests: plan.maxOperations,
    method: 'GET',
    headers: auth ? { authorization: `Bearer ${TOKEN}` } : {},
    expectStatus: 200,
    request: (n) => ({ path: lookupPath(prefix, n, plan.users) }),
  });
}

/** The path prefix of a connector's SCIM endpoint, `/ecma2host_<name>/scim`. */
export function hostLookupPrefix(target: ServedTarget): string {
  return scimPath(target, '');
}

/** `http://127.0.0.1:<port>` of the host process. */
export function hostBaseUrl(target: ServedTarget): string {
  return scimBase(target);
}

/**
 * Times a full import inside the host process (the first one ran at start; this one replaces a
 * live cache, as autosync does) and compares the better of the two with the bare read's rate.
 */
export async function importRows(target: ServedTarget, scenario: string, firstImportMs: number | undefined, bareRowsPerSecond: number, users: number): Promise<ResultRow[]> {
  const imported = await target.host.ask({ cmd: 'import', name: target.connector }, 'imported');
  if (imported.objects < users) throw new Error(`${scenario}: the host imported ${String(imported.objects)} of ${String(users)} objects`);
  const bestMs = Math.min(imported.ms, firstImportMs ?? Number.POSITIVE_INFINITY);
  console.log(`  host import: first ${firstImportMs === undefined ? '-' : `${String(Math.round(firstImportMs))} ms`}, again ${String(Math.round(imported.ms))} ms for ${String(imported.objects)} objects`);
  return [rateRow(scenario, (users / bestMs) * 1000, bareRowsPerSecond, 'objects/s', 0.7), infoRow(`${scenario} peak RSS`, imported.peakRssBytes / 1048576, 'MiB')];
}

/**
 * The cache's heap per object, measured in the host process after GC: the growth of the heap
 * when a second instance of the connector imports everything. Also says how much of it a
 * removed connector gives back.
 */
export async function memoryRows(target: ServedTarget, scenario: string): Promise<ResultRow[]> {
  const memory = await target.host.ask({ cmd: 'memory', name: target.connector }, 'memory');
  const grown = memory.heapWithCache - memory.heapBefore;
  const released = memory.heapWithCache - memory.heapAfterRemove;
  console.log(`  cache heap: +${mib(grown)} MiB for ${String(memory.objects)} objects; ${mib(released)} MiB released when the connector was removed`);
  return [
    budgetRow(`${scenario} cache`, grown / memory.objects, BYTES_PER_OBJECT_BUDGET, 'bytes/object'),
    infoRow(`${scenario} heap released on remove`, (released / grown) * 100, '%'),
  ];
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/** A side of a comparison: one round of `seconds` at `clients` concurrent clients. */
export type Side = (clients: number, seconds: number, round: number) => Promise<LoopResult>;

/** Alternates bare, floor (when given) and host for `plan.rounds` rounds and sums each side. */
export async function compare(plan: BenchPlan, clients: number, bare: Side, host: Side, floor?: Side): Promise<{ limit: LoopResult; served: LoopResult; floor?: LoopResult }> {
  const bareRounds: LoopResult[] = [];
  const floorRounds: LoopResult[] = [];
  const hostRounds: LoopResult[] = [];
  const seconds = Math.max(1, Math.round(plan.seconds / plan.rounds));
  for (let round = 0; round < plan.rounds; round++) {
    bareRounds.push(await bare(clients, seconds, round));
    if (floor) floorRounds.push(await floor(clients, seconds, round));
    hostRounds.push(await host(clients, seconds, round));
  }
  return { limit: combine(bareRounds), served: combine(hostRounds), ...(floor ? { floor: combine(floorRounds) } : {}) };
}

/**
 * Compares host and bare write rates at every concurrency of the plan. With a `floor` side (the
 * same requests answered by a bare Hono app doing only the write), also reports the floor's rate
 * against the bare loops: the share of the limit that any HTTP host could reach on this machine.
 */
export async function writeRows(scenario: string, plan: BenchPlan, host: Side, bare: Side, floor?: Side): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const clients of plan.concurrencies) {
    // Every side warms up first, as the lookups do (round -1, its own users and values): the host's
    // write path is far more code for the JIT to compile than a bare loop or the floor's handler,
    // and its first requests would rate V8's interpreter, not a host that runs for months.
    await bare(clients, plan.warmupSeconds, -1);
    if (floor) await floor(clients, plan.warmupSeconds, -1);
    await host(clients, plan.warmupSeconds, -1);
    const result = await compare(plan, clients, bare, host, floor);
    const { limit, served } = result;
    const floorText = result.floor ? `, HTTP floor ${result.floor.perSecond.toFixed(1)}/s (${String(result.floor.failures)} failed)` : '';
    console.log(
      `  ${scenario} x${String(clients)}: host ${served.perSecond.toFixed(1)}/s (${String(served.operations)} ok, ${String(served.failures)} failed), bare ${limit.perSecond.toFixed(1)}/s (${String(limit.failures)} failed)${floorText}`,
    );
    rows.push(rateRow(`${scenario} x${String(clients)}`, served.perSecond, limit.perSecond, 'ops/s', 0.8));
    if (result.floor) {
      rows.push(floorRow(`${scenario} x${String(clients)} HTTP floor`, result.floor.perSecond, limit.perSecond, 'ops/s'));
      // Issue 16's target for writes: the host against the bare Hono app doing only the write.
      rows.push(rateRow(`${scenario} x${String(clients)} vs HTTP floor`, served.perSecond, result.floor.perSecond, 'ops/s', 0.9));
    }
  }
  return rows;
}
