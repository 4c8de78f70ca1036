import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * One line of `bench/results/latest.json`. `limit` is the same work done by the bare stack in the
 * same run (or, for restart and memory, the issue's fixed budget); `ratio` is oriented so that
 * higher is better (host / limit for rates, limit / host for times and sizes); `target` is the
 * smallest acceptable ratio. `ratio` and `target` are null for figures reported for information.
 */
export interface ResultRow {
  scenario: string;
  value: number;
  unit: string;
  limit: number | null;
  ratio: number | null;
  target: number | null;
}

/** A rate compared with the bare stack's rate. */
export function rateRow(scenario: string, value: number, limit: number, unit: string, target: number): ResultRow {
  return { scenario, value: round(value), unit, limit: round(limit), ratio: round(value / limit, 3), target };
}

/**
 * A diagnostic rate compared with the bare stack's rate, without a target: the HTTP floor of a
 * write scenario, which shows how much of the limit any HTTP host could reach.
 */
export function floorRow(scenario: string, value: number, limit: number, unit: string): ResultRow {
  return { ...rateRow(scenario, value, limit, unit, 0), target: null };
}

/** A time or size that must stay under a budget: ratio = budget / value. */
export function budgetRow(scenario: string, value: number, budget: number, unit: string): ResultRow {
  return { scenario, value: round(value, 3), unit, limit: budget, ratio: round(budget / value, 3), target: 1 };
}

/**
 * The CPU time per operation of the host's process against the bare server's, for information:
 * ratio = bare / host (higher is better), no target. Only for phases that keep both processes
 * busy (the lookups at 32 connections): where a process sleeps between requests, a kernel that
 * charges CPU by ticks bills it for its wake-ups (the HTTP floor read 1,145 µs per create at one
 * client, 452 µs at eight). With `--profile` the host's figure includes the profiler's own cost.
 */
export function cpuRow(scenario: string, hostMicros: number, bareMicros: number): ResultRow {
  return { scenario, value: round(hostMicros), unit: 'µs CPU/op', limit: round(bareMicros), ratio: round(bareMicros / hostMicros, 3), target: null };
}

/** A figure reported for information only. */
export function infoRow(scenario: string, value: number, unit: string): ResultRow {
  return { scenario, value: round(value), unit, limit: null, ratio: null, target: null };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The rows as a Markdown table (the form `docs/performance.md` quotes). */
export function markdownTable(rows: ResultRow[]): string {
  const lines = ['| scenario | host | unit | limit | ratio | target | met |', '| --- | ---: | --- | ---: | ---: | ---: | :---: |'];
  for (const r of rows) {
    const met = r.ratio === null || r.target === null ? '' : r.ratio >= r.target ? 'yes' : '**no**';
    lines.push(`| ${r.scenario} | ${String(r.value)} | ${r.unit} | ${r.limit === null ? '' : String(r.limit)} | ${r.ratio === null ? '' : r.ratio.toFixed(2)} | ${r.target === null ? '' : `≥ ${r.target.toFixed(1)}`} | ${met} |`);
  }
  return lines.join('\n');
}

/** Writes the rows to `<dir>/latest.json`. */
export async function writeResults(dir: string, rows: ResultRow[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  await writeFile(file, `${JSON.stringify(rows, null, 2)}\n`);
  return file;
}
