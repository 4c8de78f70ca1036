/**
 * `npm run bench [-- --quick | --scale] [-- --only sql|ldap] [-- --users N] [-- --seconds S] [-- --profile]`: the host against the bare pieces of its own
 * stack, side by side in one run. Prints a table and writes `bench/results/latest.json`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ldapSuite } from './ldap-suite.js';
import { slapdSkipReason } from './ldap.js';
import { profileServersInto } from './host-process.js';
import { FULL, QUICK, SCALE } from './plan.js';
import { postgresProblem } from './postgres.js';
import { markdownTable, writeResults } from './results.js';
import type { ResultRow } from './results.js';
import { sqlSuite } from './sql-suite.js';

// Ctrl-C or a kill: exit through 'exit' handlers, so the LDAP harness kills its slapd; the host
// processes follow when their IPC channel closes.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    users: { type: 'string' },
    seconds: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run bench [-- --quick | --scale] [-- --only sql|ldap] [-- --users N] [-- --seconds S] [-- --profile]');
} else {
  const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (values.quick && values.scale) throw new Error('--quick and --scale exclude each other');
  const plan = { ...(values.quick ? QUICK : values.scale ? SCALE : FULL) };
  if (values.users !== undefined) plan.users = positive('--users', values.users);
  if (values.seconds !== undefined) plan.seconds = positive('--seconds', values.seconds);
  const only = values.only;
  if (only !== undefined && only !== 'sql' && only !== 'ldap') throw new Error(`--only takes sql or ldap, not ${only}`);
  const problems = [only === 'ldap' ? undefined : await postgresProblem(), only === 'sql' ? undefined : slapdSkipReason()].filter((p) => p !== undefined);
  if (problems.length > 0) {
    console.error(`The benchmark needs its services: ${problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-bench-'));
    if (values.profile) profileServersInto(workDir);
    console.log(`ecmahost bench (${values.quick ? 'quick' : values.scale ? 'scale' : 'full'}): ${String(plan.users)} users, ${String(plan.seconds)} s phases; logs in ${workDir}`);
    console.log(`${machine()}; started ${new Date().toISOString()}`);
    const rows: ResultRow[] = [];
    try {
      if (only !== 'ldap') rows.push(...(await sqlSuite({ plan, workDir })));
      if (only !== 'sql') rows.push(...(await ldapSuite({ plan, workDir })));
    } finally {
      await rm(path.join(workDir, 'seed.ldif'), { force: true });
    }
    console.log(`\n${markdownTable(rows)}\n`);
    console.log(`${machine()}; finished ${new Date().toISOString()}`);
    const file = await writeResults(path.join(packageDir, 'results'), rows);
    console.log(`written ${path.relative(process.cwd(), file)}`);
  }
}

function positive(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${option} takes a positive integer, not ${text}`);
  return value;
}

/** What the numbers depend on: CPUs, memory, Node, and how busy the machine was (load average). */
function machine(): string {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  return `${String(os.availableParallelism())} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${load}`;
}
