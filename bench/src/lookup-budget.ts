/**
 * `node bench/dist/lookup-budget.js [--users N] [--seconds N] [--rounds N] [--spin 10,20,40,60,90] [--host NAME=value,...] ...`:
 * what a microsecond of work per lookup costs the lookup ratio on this machine, and where the host
 * lies on that scale. The bare Hono app answers the lookups of `npm run bench` as it is, then again
 * with `--spin` microseconds of busy work added to each lookup (`BENCH_SPIN_MICROS`); the host (one
 * process per `--host`, each with those environment variables, `ENTRY=<file>` naming another build
 * of `host-child.js` copied into `dist/`; `--host ''` for the default) answers
 * them too. Every side runs in rounds, alternating, at the bench's 32 connections, and the table
 * gives each side's CPU time per lookup, its rate and its ratio to the bare app's rate. The host's
 * ratio read against the spun bare app's is how much work beyond the bare app it does, in the units
 * that decide the ratio (docs/performance.md, "What a microsecond of a lookup costs").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sqlConnector, sqlExtension } from './connectors.js';
import { TOKEN, TOKEN_HASH, hostBaseUrl, hostLookupPrefix, lookups } from './host-scenarios.js';
import type { ServedTarget } from './host-scenarios.js';
import type { LoopResult } from './bare-loop.js';
import { ServerProcess } from './host-process.js';
import { FULL } from './plan.js';
import { createSeededTable, dropTable, postgresProblem } from './postgres.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    spin: { type: 'string', default: '10,20,40,60,90' },
    host: { type: 'string', multiple: true, default: [''] },
  },
});
const users = Number(values.users);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
for (const [name, n] of Object.entries({ users, seconds, rounds })) if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
const spins = values.spin === '' ? [] : values.spin.split(',').map(Number);
if (spins.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error('--spin takes positive microseconds, comma-separated');
const hostEnvs = values.host.map((variant) =>
  Object.fromEntries(
    variant
      .split(',')
      .filter((pair) => pair !== '')
      .map((pair): [string, string] => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--host takes NAME=value pairs, comma-separated, not ${pair}`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  ),
);
const problem = await postgresProblem();
if (problem !== undefined) throw new Error(problem);

const plan = { ...FULL, users };
interface Side {
  name: string;
  server: ServerProcess;
  run: (seconds: number) => Promise<LoopResult>;
  micros: number;
  operations: number;
  rates: number[];
}
const work = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-lookup-budget-'));
const table = `bench_users_${String(process.pid)}`;
const sides: Side[] = [];
console.log(`PostgreSQL: seeding ${String(users)} rows into ${table}`);
await createSeededTable(table, users);
try {
  for (const spin of [0, ...spins]) {
    const env = { BENCH_USERS: String(users), ...(spin === 0 ? {} : { BENCH_SPIN_MICROS: String(spin) }) };
    const { server, listening } = await ServerProcess.start('bare-hono-child.js', env, path.join(work, `bare-${String(spin)}.log`));
    const base = `http://127.0.0.1:${String(await listening)}`;
    sides.push({ name: spin === 0 ? 'bare Hono app' : `bare Hono app + ${String(spin)} µs`, server, run: (s) => lookups(base, '', plan, s, false), micros: 0, operations: 0, rates: [] });
  }
  for (const [i, env] of hostEnvs.entries()) {
    const config = { connectors: [sqlConnector('BenchSQL', table)], token: TOKEN, tokenHash: TOKEN_HASH, stateDir: path.join(work, `state-${String(i)}`), auditDir: path.join(work, `audit-${String(i)}`) };
    // The environment `ecmahost service install` gives the host (as ServerProcess.host does), then the variant's.
    // `ENTRY` names another build of the host copied into dist/ (an A/B of two versions), not a variable.
    const { ENTRY: entry = 'host-child.js', ...variables } = env;
    if (!/^[\w.-]+\.js$/.test(entry)) throw new Error(`ENTRY names a file of bench/dist, not ${entry}`);
    const { server, listening } = await ServerProcess.start(entry, { BENCH_HOST: JSON.stringify(config), GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...variables }, path.join(work, `host-${String(i)}.log`));
    await listening;
    await server.ask({ cmd: 'wait-ready', name: 'BenchSQL' }, 'ready');
    const target: ServedTarget = { host: server, connector: 'BenchSQL', extension: sqlExtension };
    const label = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
    sides.push({ name: label === '' ? 'host' : `host ${label}`, server, run: (s) => lookups(hostBaseUrl(target), hostLookupPrefix(target), plan, s, true), micros: 0, operations: 0, rates: [] });
  }
  // Warm-up: V8 compiles each side's lookup path over its first thousands of requests.
  for (const side of sides) await side.run(plan.warmupSeconds);
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const before = (await side.server.ask({ cmd: 'cpu' }, 'cpu')).micros;
      const result = await side.run(seconds);
      side.micros += (await side.server.ask({ cmd: 'cpu' }, 'cpu')).micros - before;
      side.operations += result.operations;
      side.rates.push(result.perSecond);
    }
  }
  const mean = (rates: number[]): number => rates.reduce((a, b) => a + b, 0) / rates.length;
  const bareRate = mean(sides[0]!.rates);
  console.log(`\n${String(users)} users, ${String(rounds)} rounds of ${String(seconds)} s per side, ${String(plan.lookupConnections)} connections\n`);
  console.log('| side | µs CPU per lookup | lookups/s | ratio |\n| --- | ---: | ---: | ---: |');
  for (const side of sides) {
    const rate = mean(side.rates);
    console.log(`| ${side.name} | ${(side.micros / side.operations).toFixed(1)} | ${rate.toFixed(0)} | ${(rate / bareRate).toFixed(2)} |`);
  }
} finally {
  for (const side of sides) await side.server.stop();
  await dropTable(table);
  await rm(work, { recursive: true, force: true });
}
