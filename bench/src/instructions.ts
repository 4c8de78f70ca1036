/**
 * `node bench/dist/instructions.js [--kind lookup|patch|import] [--target sql|ldap] [--users N] [--warm N] [--requests N] [--connections N] [--host-env K=V ...] [--host-only] [--host-entry file] [--keep] [--functions] [--gc]`:
 * the instructions the host's process executes per request, against its bare counterpart's (the
 * bare Hono app for lookups, the HTTP floor for PATCHes), with the generic SQL connector on
 * PostgreSQL or the generic LDAP connector on slapd (`--target`), counted by valgrind's callgrind over a
 * window of requests after a warm-up. On a shared VM the rates move by ±0.15 between runs; these
 * counts repeat within about 1 % for lookups and 5 % for PATCHes, so a change of a few per cent in
 * the host's own work shows (docs/performance.md, "Instructions per request"). System calls (the
 * kernel's share) are not counted: both sides make about the same ones per request.
 *
 * `--gc` runs the same load without valgrind and reports what V8's collector did over the window
 * instead (from `--trace-gc-nvp`): bytes promoted to the old generation and copied within the young
 * one per request, and the main thread's collection pauses. Promotion is the sign of objects kept
 * alive longer than a request (docs/performance.md, "Requests kept alive by the server's own sets").
 */
import { execFileSync, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { POOL_SIZE, ldapConnector, ldapExtension, sqlConnector, sqlExtension } from './connectors.js';
import { TOKEN, TOKEN_HASH, hostLookupPrefix, hostUpdateRange, hostUpdates, lookups, scimUpdates } from './host-scenarios.js';
import type { ServedTarget } from './host-scenarios.js';
import type { FloorTarget, HostChildConfig, HostReply, HostRequest } from './ipc.js';
import type { Slapd } from './ldap.js';
import { peopleDn, startSlapd, writeSeedLdif } from './ldap.js';
import type { BenchPlan } from './plan.js';
import { PG_URL, createSeededTable, dropTable, postgresProblem } from './postgres.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    kind: { type: 'string', multiple: true },
    target: { type: 'string', default: 'sql' },
    users: { type: 'string', default: '5000' },
    warm: { type: 'string', default: '6000' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '8' },
    'host-env': { type: 'string', multiple: true, default: [] },
    // Only the host: for comparing two host builds or environments, run after run.
    'host-only': { type: 'boolean', default: false },
    // Keeps the work folder (the callgrind files, the servers' logs) for callgrind_annotate.
    keep: { type: 'boolean', default: false },
    // V8 writes a perf map of its JIT code, for callgrind-functions.js to name JavaScript functions (implies --keep).
    functions: { type: 'boolean', default: false },
    // No valgrind: the collector's work per request over the same window, read from --trace-gc-nvp.
    gc: { type: 'boolean', default: false },
    // Another build of the host process, copied into dist/ under a new name (tsup empties dist/ when it builds).
    'host-entry': { type: 'string', default: 'host-child.js' },
  },
});

type Kind = 'lookup' | 'patch' | 'import';
const kinds = (values.kind ?? ['lookup', 'patch']).map((kind): Kind => {
  if (kind !== 'lookup' && kind !== 'patch' && kind !== 'import') throw new Error(`--kind is lookup, patch or import, not ${kind}`);
  return kind;
});
if (values.target !== 'sql' && values.target !== 'ldap') throw new Error(`--target is sql or ldap, not ${values.target}`);
const targetKind: 'sql' | 'ldap' = values.target;
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

const gcMode = values.gc;
if (gcMode && values.functions) throw new Error('--gc runs without valgrind: it has no --functions');
if (!gcMode) {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind is not installed (Debian: apt-get install valgrind)');
  }
}
// The LDAP target needs slapd, which startSlapd finds or explains.
const problem = targetKind === 'sql' ? await postgresProblem() : undefined;
if (problem !== undefined) throw new Error(problem);

/**
 * A server process run under callgrind with counting off until `callgrind_control -i on` opens the
 * window; with `--gc`, run by Node alone with the collector's trace in its log.
 */
async function underCallgrind(entry: string, env: Record<string, string>, out: string, log: string): Promise<{ port: number; pid: number; ask: (request: HostRequestBody) => Promise<HostReply>; exited: Promise<void>; kill: () => void }> {
  const logFd = openSync(log, 'w');
  const child = fork(path.join(here, entry), [], {
    execPath: gcMode ? process.execPath : 'valgrind',
    // JIT code is rewritten in place: callgrind must look for that everywhere but in mapped files.
    // One file per thread (`<out>-01` is the main thread): the compiler's and the GC's helper
    // threads work beside the requests, on another core when there is one.
    execArgv: gcMode
      ? ['--expose-gc', '--trace-gc-nvp']
      : ['-q', '--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${out}`, process.execPath, '--expose-gc', ...(values.functions ? ['--perf-basic-prof'] : [])],
    env: { ...process.env, ...env },
    // In the work folder: what V8 writes beside the perf map (an isolate log) is kept or removed with it.
    cwd: path.dirname(out),
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

/** What the host's connector writes to: the seeded table, or the seeded directory. */
type Store = { kind: 'sql'; table: string } | { kind: 'ldap'; slapd: Slapd };

/** Instructions per request: of every thread, and of the main thread (the one that runs the requests). */
interface Counted {
  all: number;
  main: number;
}

/** The collector's work per request over the window (`--gc`). */
interface Collected {
  /** KiB moved to the old generation. */
  promoted: number;
  /** KiB copied within the young generation. */
  copied: number;
  /** Microseconds of collection pauses on the main thread (young and full collections). */
  pause: number;
  scavenges: number;
  markCompacts: number;
}

/**
 * Sums V8's `--trace-gc-nvp` lines (one per collection, in the server's log after `from`) over
 * `requests`: `gc=s` is a young-generation collection (a scavenge), `gc=mc` a full one.
 */
function collected(log: string, from: number, requests: number): Collected {
  const text = readFileSync(log, 'utf8').slice(from);
  const sum = { promoted: 0, copied: 0, pause: 0, scavenges: 0, markCompacts: 0 };
  for (const line of text.split('\n')) {
    const field = (name: string): number => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
    const kind = /\bgc=(\w+)/.exec(line)?.[1];
    if (kind === undefined) continue;
    sum.pause += field('pause');
    if (kind === 's') {
      sum.scavenges += 1;
      sum.promoted += field('promoted');
      sum.copied += field('new_space_survived');
    } else sum.markCompacts += 1;
  }
  return { promoted: sum.promoted / 1024 / requests, copied: sum.copied / 1024 / requests, pause: (sum.pause * 1000) / requests, scavenges: sum.scavenges, markCompacts: sum.markCompacts };
}

/** Instructions (or, with `--gc`, the collector's work) per request of one side: warm-up, then `counted` requests with counting on. */
async function measure(kind: Kind, side: 'host' | 'bare', store: Store, work: string): Promise<Counted | Collected> {
  const entry = side === 'host' ? values['host-entry'] : kind === 'lookup' ? 'bare-hono-child.js' : 'http-floor-child.js';
  const out = path.join(work, `${kind}-${side}.callgrind`);
  const connector = store.kind === 'sql' ? 'BenchSQL' : 'BenchLDAP';
  const config: HostChildConfig = {
    connectors: [store.kind === 'sql' ? sqlConnector(connector, store.table) : ldapConnector(connector, store.slapd)],
    token: TOKEN,
    tokenHash: TOKEN_HASH,
    auditDir: path.join(work, `audit-${kind}`),
  };
  const floor: FloorTarget =
    store.kind === 'sql'
      ? { kind: 'sql', pgUrl: PG_URL, table: store.table, poolSize: POOL_SIZE }
      : { kind: 'ldap', server: { url: store.slapd.url, caPem: store.slapd.caPem, bindDn: store.slapd.bindDn, bindPassword: store.slapd.bindPassword }, peopleDn: peopleDn(store.slapd), poolSize: POOL_SIZE };
  const env = side === 'host' ? { BENCH_HOST: JSON.stringify(config), GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...hostEnv } : { BENCH_USERS: String(users), BENCH_FLOOR: JSON.stringify(floor) };
  const log = path.join(work, `${kind}-${side}.log`);
  const server = await underCallgrind(entry, env, out, log);
  /** Opens the counted window; the function returned closes it. */
  const window = (): ((answered: number) => Promise<Counted | Collected>) => {
    if (gcMode) {
      const from = readFileSync(log, 'utf8').length;
      return async (answered) => {
        const result = collected(log, from, answered);
        await server.ask({ cmd: 'stop' });
        await server.exited;
        return result;
      };
    }
    execFileSync('callgrind_control', ['-i', 'on', String(server.pid)], { stdio: 'ignore' });
    return async (answered) => {
      execFileSync('callgrind_control', ['-i', 'off', String(server.pid)], { stdio: 'ignore' });
      return finish(answered);
    };
  };
  try {
    if (side === 'host') await server.ask({ cmd: 'wait-ready', name: connector });
    const target: ServedTarget = { host: { port: server.port } as ServedTarget['host'], connector, extension: store.kind === 'sql' ? sqlExtension : ldapExtension };
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
    if (kind === 'import') {
      // The host imported at start; a second full import (replacing a live space, as autosync
      // does) warms the code, and the third is counted.
      await server.ask({ cmd: 'import', name: connector });
      const close = window();
      const reply = await server.ask({ cmd: 'import', name: connector });
      if (reply.kind !== 'imported') throw new Error(`import: ${reply.kind}`);
      return await close(reply.objects);
    }
    await load(warm, 'warm-up');
    // Timers and the log's batches settle. Then a shorter warm-up again: once the first run's
    // connections are gone, a major GC can collect the maps of their objects, and the optimized
    // code that checked them deoptimizes at the next request (seen with --trace-deopt: some thirty
    // functions at once, recompiled over the next thousand requests). Counted from there, the
    // window would measure that recompilation, which a server under steady load does not pay.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await load(Math.ceil(warm / 2), 'warm-up again');
    const close = window();
    return await close(await load(counted, 'counted'));
  } finally {
    server.kill();
  }

  /** Stops the server and reads its counts: per request (per object for an import). */
  async function finish(answered: number): Promise<Counted> {
    await server.ask({ cmd: 'stop' });
    await server.exited;
    // `totals:` (at the end) sums the window; the header's `summary:` can be 0 when counting was switched on late.
    const totalOf = (file: string): number => Number(/^totals:\s+(\d+)/m.exec(readFileSync(path.join(work, file), 'utf8'))?.[1] ?? 0);
    const files = readdirSync(work).filter((file) => file.startsWith(`${path.basename(out)}-`));
    const main = files.find((file) => file.endsWith('-01'));
    const all = files.reduce((sum, file) => sum + totalOf(file), 0);
    if (main === undefined || all === 0) throw new Error(`no instruction count in ${out}-*`);
    return { all: all / answered, main: totalOf(main) / answered };
  }
}

const k = (n: number): string => `${(n / 1000).toFixed(1)} k`;
const gcLine = (c: Collected): string =>
  `promoted ${c.promoted.toFixed(2)} KiB, copied ${c.copied.toFixed(2)} KiB, pauses ${c.pause.toFixed(1)} µs (${String(c.scavenges)} scavenges, ${String(c.markCompacts)} full collections)`;
const table = `bench_instructions_${String(process.pid)}`;
const work = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-instructions-'));
let store: Store;
if (targetKind === 'sql') {
  await createSeededTable(table, users);
  store = { kind: 'sql', table };
} else {
  const seed = path.join(work, 'seed.ldif');
  await writeSeedLdif(seed, 'dc=example,dc=com', users);
  store = { kind: 'ldap', slapd: await startSlapd({ baseDn: 'dc=example,dc=com', seedLdifFile: seed }) };
}
try {
  console.log(`${targetKind}, ${String(users)} users, ${String(connections)} connections, ${String(warm)} requests to warm up, ${String(counted)} counted${Object.keys(hostEnv).length > 0 ? `, host environment ${JSON.stringify(hostEnv)}` : ''}`);
  for (const kind of kinds) {
    const host = await measure(kind, 'host', store, work);
    const unit = kind === 'import' ? 'object' : 'request';
    const counterpart = kind === 'lookup' ? 'bare Hono app' : 'HTTP floor';
    // An import has no bare counterpart here: the bench compares it with the bare read's rate.
    const bare = values['host-only'] || kind === 'import' ? undefined : await measure(kind, 'bare', store, work);
    if ('promoted' in host) {
      console.log(`${kind}: host per ${unit}: ${gcLine(host)}`);
      if (bare !== undefined && 'promoted' in bare) console.log(`${kind}: ${counterpart} per ${unit}: ${gcLine(bare)}`);
      continue;
    }
    if (bare === undefined || 'promoted' in bare) {
      console.log(`${kind}: host ${k(host.all)} instructions per ${unit} (main thread ${k(host.main)})`);
      continue;
    }
    console.log(`${kind}: host ${k(host.all)} instructions per request, ${counterpart} ${k(bare.all)}, ratio ${(bare.all / host.all).toFixed(2)}`);
    console.log(`${kind}, main thread: host ${k(host.main)}, ${counterpart} ${k(bare.main)}, ratio ${(bare.main / host.main).toFixed(2)}`);
  }
} finally {
  if (store.kind === 'sql') await dropTable(table);
  else await store.slapd.stop();
  if (values.keep || values.functions) console.log(gcMode ? `kept ${work}` : `kept ${work}: node dist/callgrind-functions.js <file>-01 --per ${String(counted)}`);
  else await rm(work, { recursive: true, force: true });
}
