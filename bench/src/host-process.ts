import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostChildConfig, HostReply, HostRequest } from './ipc.js';

const here = path.dirname(fileURLToPath(import.meta.url));

let profileDir: string | undefined;

/** Makes host phases write V8 CPU profiles (`<phase>.cpuprofile`) into `dir`. */
export function profileServersInto(dir: string): void {
  profileDir = dir;
}

/**
 * Runs `work` while the host process records a CPU profile into `<profile dir>/<name>.cpuprofile`
 * (when `--profile` is on; otherwise just runs it).
 */
export async function profiled<T>(server: ServerProcess, name: string, work: () => Promise<T>): Promise<T> {
  if (profileDir === undefined) return work();
  await server.ask({ cmd: 'profile-start' }, 'profiled');
  try {
    return await work();
  } finally {
    await server.ask({ cmd: 'profile-stop', file: path.join(profileDir, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`) }, 'profiled');
  }
}

/** CPU time a server process spent, summed over the load phases {@link withCpu} wrapped. */
export interface CpuTally {
  micros: number;
}

/**
 * `work` with the CPU time `server` spends during it added to `tally`: on a shared machine, the
 * CPU a side spends per request is steadier than its rate, and says which side does more work.
 */
export async function withCpu<T>(server: ServerProcess, tally: CpuTally, work: () => Promise<T>): Promise<T> {
  const before = (await server.ask({ cmd: 'cpu' }, 'cpu')).micros;
  const result = await work();
  tally.micros += (await server.ask({ cmd: 'cpu' }, 'cpu')).micros - before;
  return result;
}

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A forked server process (the host, or the bare Hono limit) and a request/answer channel to it. */
export class ServerProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: HostReply) => void>();
  #next = 1;
  #exited: Promise<void>;
  port = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (reply: HostReply) => {
      const resolve = this.#pending.get(reply.id);
      if (resolve) {
        this.#pending.delete(reply.id);
        resolve(reply);
      }
    });
  }

  /**
   * Forks `entry` (a file of this package's `dist/`) with `--expose-gc`, its stdout (the request
   * log) written to `logFile`, and resolves once it listens. `startedAt` is taken just before the
   * fork: the restart scenario measures from there.
   */
  static async start(entry: string, env: Record<string, string>, logFile: string): Promise<{ server: ServerProcess; startedAt: number; listening: Promise<number> }> {
    const log = openSync(logFile, 'w');
    const startedAt = performance.now();
    const child = fork(path.join(here, entry), [], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, ...env },
      stdio: ['ignore', log, 'inherit', 'ipc'],
    });
    closeSync(log);
    const server = new ServerProcess(child);
    const listening = new Promise<number>((resolve, reject) => {
      server.#pending.set(0, (reply) => {
        if (reply.kind === 'listening') {
          server.port = reply.port;
          resolve(reply.port);
        }
      });
      child.once('exit', (code) => reject(new Error(`${entry} exited with code ${String(code)} before listening (see ${logFile})`)));
    });
    return { server, startedAt, listening };
  }

  /** Forks the real host with these connectors. */
  static host(config: HostChildConfig, logFile: string): ReturnType<typeof ServerProcess.start> {
    // The environment `ecmahost service install` gives the host (systemd-unit.ts, decision 023).
    return ServerProcess.start('host-child.js', { BENCH_HOST: JSON.stringify(config), GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, logFile);
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Sends a request and waits for its answer; an `error` answer rejects. */
  async ask<K extends HostReply['kind']>(request: Distribute<HostRequest>, kind: K): Promise<Extract<HostReply, { kind: K }>> {
    const id = this.#next++;
    const reply = await new Promise<HostReply>((resolve, reject) => {
      this.#pending.set(id, resolve);
      this.#child.send({ ...request, id } as HostRequest, (error) => {
        if (error) reject(error);
      });
      this.#exited.then(() => reject(new Error(`the server process exited while answering ${request.cmd}`)), () => undefined);
    });
    if (reply.kind === 'error') throw new Error(`${request.cmd}: ${reply.message}`);
    if (reply.kind !== kind) throw new Error(`${request.cmd}: expected ${kind}, got ${reply.kind}`);
    return reply as Extract<HostReply, { kind: K }>;
  }

  /** Asks the process to stop; kills it by PID when it does not exit within 10 seconds. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    try {
      await this.ask({ cmd: 'stop' }, 'stopped');
    } catch {
      this.#child.kill('SIGKILL');
    }
    await this.#exited;
    clearTimeout(timer);
  }
}
