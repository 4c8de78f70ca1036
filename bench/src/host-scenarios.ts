import type { LoopResult } from './bare-loop.js';
import type { ServerProcess } from './host-process.js';
import { runHttpLoad } from './http-load.js';
import type { BenchPlan } from './plan.js';
import { budgetRow, infoRow, rateRow } from './results.js';
import type { ResultRow } from './results.js';
import { createBody, patchBody } from './scim-bodies.js';
import { benchUser, scimIdOf } from './users.js';

/** The bearer token the bench configures on every connector. */
export const TOKEN = 'bench-token-0123456789abcdef';

/** Writes and lookups target at most this (the issue's budget per 10-attribute user). */
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

/** POSTs new users through the host at `connections` concurrent clients. */
export function hostCreates(target: ServedTarget, plan: BenchPlan, connections: number, prefix: string): Promise<LoopResult> {
  return runHttpLoad({
    url: scimBase(target),
    connections,
    durationSeconds: plan.seconds,
    maxRequests: plan.maxOperations,
    method: 'POST',
    headers,
    expectStatus: 201,
    request: (n) => {
      const user = benchUser(n, prefix);
      return { path: scimPath(target, '/Users'), body: createBody(user, target.extension(user)) };
    },
  });
}

/** PATCHes two attributes of existing users through the host at `connections` concurrent clients. */
export function hostUpdates(target: ServedTarget, plan: BenchPlan, connections: number, tag: string): Promise<LoopResult> {
  return runHttpLoad({
    url: scimBase(target),
    connections,
    durationSeconds: plan.seconds,
    maxRequests: plan.maxOperations,
    method: 'PATCH',
    headers,
    expectStatus: 200,
    request: (n) => ({ path: scimPath(target, `/Users/${scimIdOf(`user${String(n % plan.users)}`)}`), body: patchBody(`Renamed ${tag} ${String(n)}`, `Title ${tag}`) }),
  });
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

export function hostLookupPrefix(target: ServedTarget): string {
  return scimPath(target, '');
}

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

/** The cache's heap per object, measured in the host process after GC; removes the connector. */
export async function memoryRow(target: ServedTarget, scenario: string): Promise<ResultRow> {
  const memory = await target.host.ask({ cmd: 'memory', name: target.connector }, 'memory');
  const perObject = (memory.heapWithCache - memory.heapWithout) / memory.objects;
  console.log(`  cache heap: ${String(Math.round((memory.heapWithCache - memory.heapWithout) / 1048576))} MiB for ${String(memory.objects)} objects`);
  return budgetRow(scenario, perObject, BYTES_PER_OBJECT_BUDGET, 'bytes/object');
}

/** Compares host and bare write rates at every concurrency of the plan, bare side first. */
export async function writeRows(
  scenario: string,
  plan: BenchPlan,
  host: (connections: number) => Promise<LoopResult>,
  bare: (clients: number) => Promise<LoopResult>,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const clients of plan.concurrencies) {
    const limit = await bare(clients);
    const served = await host(clients);
    console.log(`  ${scenario} x${String(clients)}: host ${served.perSecond.toFixed(1)}/s (${String(served.operations)} ok, ${String(served.failures)} failed), bare ${limit.perSecond.toFixed(1)}/s (${String(limit.failures)} failed)`);
    rows.push(rateRow(`${scenario} x${String(clients)}`, served.perSecond, limit.perSecond, 'ops/s', 0.8));
  }
  return rows;
}
