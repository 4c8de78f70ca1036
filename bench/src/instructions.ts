/**
 * `node bench/dist/instructions.js [--kind lookup|patch] [--users N] [--warm N] [--requests N] [--connections N] [--host-env K=V ...] [--host-only] [--host-entry file]`:
 * the instructions the host's process executes per request, against its bare counterpart's (the
 * bare Hono app for lookups, the HTTP floor for PATCHes), counted by valgrind's callgrind over a
 * window of requests after a warm-up. On a shared VM the rates move by ±0.15 between runs; these
 * counts repeat within about 1 % for lookups and 5 % for PATCHes, so a change of a few per cent in
 * the host's own work shows (docs/performance.md, "Instructions per request"). System calls (the
 * kernel's share) are not counted: both sides make about the same ones per request.
 */
import { execFileSync, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { POOL_SIZE, sqlConnector, sqlExtension } from './connectors.js';
import { TOKEN, TOKEN_HASH, hostLookupPrefix, hostUpdateRange, hostUpdates, lookups, scimUpdates } from './host-scenarios.js';
import type { ServedTarget } from './host-scenarios.js';
import type { FloorTarget, HostChildConfig, HostReply, HostRequest } from './ipc.js';
import type { BenchPlan } from './plan.js';
import { PG_URL, createSeededTable, dropTable, postgresProblem } from './postgres.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    kind: { type: 'string', multiple: true },
    users: { type: 'string', default: '5000' },
    warm: { type: 'string', default: '6000' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '8' },
    'host-env': { type: 'string', multiple: true, default: [] },
    // Only the host: for comparing two host builds or environments, run after run.
    'host-only': { type: 'boolean', default: false },
    // Another build of the host process, copied into dist/ under a new name (tsup empties dist/ when it builds).
    'host-entry': { type: 'string', default: 'host-child.js' },
  },
});

type Kind = 'lookup' | 'patch';
const kinds = (values.kind ?? ['lookup', 'patch']).map((kind): Kind => {
  if (kind !== 'lookup' && kind !== 'patch') throw new Error(`--kind is lookup or patch, not ${kind}`);
  return kind;
});
const hostEnv = Object.fromEntries(
  values['host-env'].map((pair): [string, string] => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--host-env takes NAME=value, not ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const users = Number(values.users);
const connections = Number(values.connections);
// V8 compiles a request's functions over its first few thousand calls; counted before that, a
// window measures the compiler. 6,000 requests and 3,000 counted repeat within about 1 % (lookups).
const warm = Number(values.warm);
const counted = Number(values.requests);
for (const [name, n] of Object.entries({ users, connections, warm, requests: counted })) if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  throw new Error('valgrind is not installed (Debian: apt-get install valgrind)');
}
const problem = await postgresProblem();
if (problem !== undefined) throw new Error(problem);

/** A server process run under callgrind with counting off until `callgrind_control -i on` opens the window. */
async function underCallgrind(entry: string, env: Record<string, string>, out: string, log: string): Promise<{ port: number; pid: number; ask: (request: HostRequestBody) => Promise<HostReply>; exited: Promise<void>; kill: () => void }> {
  const logFd = openSync(log, 'w');
  const child = fork(path.join(here, entry), [], {
    execPath: 'valgrind',
    // JIT code is rewritten in place: callgrind must look for that everywhere but in mapped files.
    execArgv: ['-q', '--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, '--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', logFd, 'inherit', 'ipc'],
  });
  closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, (reply: HostReply) => void>();
  child.on('message', (reply: HostReply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  let next = 1;
  const ask = (request: HostRequestBody): Promise<HostReply> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, (reply) => (reply.kind === 'error' ? reject(new Error(`${request.cmd}: ${reply.message}`)) : resolve(reply)));
      child.send({ ...request, id } as HostRequest);
      void exited.then(() => reject(new Error(`${entry} exited while answering ${request.cmd} (see ${log})`)));
    });
  const port = await new Promise<number>((resolve, reject) => {
    pending.set(0, (reply) => (reply.kind === 'listening' ? resolve(reply.port) : reject(new Error(`${entry}: ${reply.kind}`))));
    void exited.then(() => reject(new Error(`${entry} exited before listening (see ${log})`)));
  });
  // Only a process still running is killed: its PID may belong to another one once it has exited.
  const kill = (): void => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  return { port, pid: child.pid!, ask, exited, kill };
}

type HostRequestBody = HostRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** Instructions per request of one side: warm-up, then `counted` requests with counting on. */
async function measure(kind: Kind, side: 'host' | 'bare', table: string, work: string): Promise<number> {
  const entry = side === 'host' ? values['host-entry'] : kind === 'lookup' ? 'bare-hono-child.js' : 'http-floor-child.js';
  const out = path.join(work, `${kind}-${side}.callgrind`);
  const config: HostChildConfig = { connectors: [sqlConnector('BenchSQL', table)], token: TOKEN, tokenHash: TOKEN_HASH, auditDir: path.join(work, `audit-${kind}`) };
  const floor: FloorTarget = { kind: 'sql', pgUrl: PG_URL, table, poolSize: POOL_SIZE };
  const env = side === 'host' ? { BENCH_HOST: JSON.stringify(config), GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...hostEnv } : { BENCH_USERS: String(users), BENCH_FLOOR: JSON.stringify(floor) };
  const server = await underCallgrind(entry, env, out, path.join(work, `${kind}-${side}.log`));
  try {
    if (side === 'host') await server.ask({ cmd: 'wait-ready', name: 'BenchSQL' });
    const target: ServedTarget = { host: { port: server.port } as ServedTarget['host'], connector: 'BenchSQL', extension: sqlExtension };
    const base = `http://127.0.0.1:${String(server.port)}`;
    const load = async (requests: number, tag: string): Promise<number> => {
      const plan: BenchPlan = { users, seconds: 600, rounds: 1, maxOperations: requests, warmupSeconds: 0, concurrencies: [connections], lookupConnections: connections };
      const result =
        kind === 'lookup'
          ? await lookups(base, side === 'host' ? hostLookupPrefix(target) : '', plan, 600, side === 'host')
          : side === 'host'
            ? await hostUpdates(target, plan, connections, 600, tag)
            : await scimUpdates({ baseUrl: base, prefix: '' }, hostUpdateRange(plan), plan, connections, 600, tag);
      if (result.failures > 0) throw new Error(`${side} ${kind}: ${String(result.failures)} requests failed`);
      return result.operations;
    };
    await load(warm, 'warm-up');
    // Timers and the log's batches settle before the window opens.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    execFileSync('callgrind_control', ['-i', 'on', String(server.pid)], { stdio: 'ignore' });
    const answered = await load(counted, 'counted');
    execFileSync('callgrind_control', ['-i', 'off', String(server.pid)], { stdio: 'ignore' });
    await server.ask({ cmd: 'stop' });
    await server.exited;
    // `totals:` (at the end) sums the window; the header's `summary:` can be 0 when counting was switched on late.
    const total = Number(/^totals:\s+(\d+)/m.exec(readFileSync(out, 'utf8'))?.[1]);
    if (!Number.isFinite(total) || total === 0) throw new Error(`no instruction count in ${out}`);
    return total / answered;
  } finally {
    server.kill();
  }
}

const table = `bench_instructions_${String(process.pid)}`;
const work = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-instructions-'));
await createSeededTable(table, users);
try {
  console.log(`${String(users)} users, ${String(connections)} connections, ${String(warm)} requests to warm up, ${String(counted)} counted${Object.keys(hostEnv).length > 0 ? `, host environment ${JSON.stringify(hostEnv)}` : ''}`);
  for (const kind of kinds) {
    const host = await measure(kind, 'host', table, work);
    if (values['host-only']) {
      console.log(`${kind}: host ${(host / 1000).toFixed(1)} k instructions per request`);
      continue;
    }
    const bare = await measure(kind, 'bare', table, work);
    const counterpart = kind === 'lookup' ? 'bare Hono app' : 'HTTP floor';
    console.log(`${kind}: host ${(host / 1000).toFixed(1)} k instructions per request, ${counterpart} ${(bare / 1000).toFixed(1)} k, ratio ${(bare / host).toFixed(2)}`);
  }
} finally {
  await dropTable(table);
  await rm(work, { recursive: true, force: true });
}
