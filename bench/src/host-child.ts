/**
 * The real host in its own process, composed as `ecmahost serve --insecure-http` composes it
 * (server/run-host.ts): `createHost` with the connector packages loaded by name and an audit trail
 * on disk, its fetch wrapped by the console's activity log, served by `startServer` on a free
 * loopback port. The admin and console routes are left out: no benchmarked request reaches them. The
 * bench drives it over HTTP and asks it, over IPC, for what only the process itself can measure
 * (import timing, heap, peak RSS).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import genericLdap from '@ecmahost/connector-generic-ldap';
import genericSql from '@ecmahost/connector-generic-sql';
import { ActivityLog, AuditLog, createHost, startServer } from '@ecmahost/host';
import type { ConnectorInstanceConfig } from '@ecmahost/host';
import type { ConnectorDefinition, ParameterValue } from '@ecmahost/sdk';
import { secret } from '@ecmahost/sdk';
import type { HostChildConfig, HostReply, HostRequest } from './ipc.js';

const config = JSON.parse(process.env.BENCH_HOST ?? '{}') as HostChildConfig;

const connectors: ConnectorInstanceConfig[] = config.connectors.map((plan) => ({
  ...plan,
  tokenHash: config.tokenHash,
  parameters: Object.fromEntries(
    Object.entries(plan.parameters).map(([name, value]): [string, ParameterValue] => [name, typeof value === 'object' ? secret(value.$secret) : value]),
  ),
}));

// The connectors are bundled into this file (see tsup.config.ts) and handed to the host by
// package name, instead of the host resolving them in node_modules at start.
const bundled = new Map<string, ConnectorDefinition>([
  ['@ecmahost/connector-generic-sql', genericSql],
  ['@ecmahost/connector-generic-ldap', genericLdap],
]);
const loadConnector = (spec: string): Promise<ConnectorDefinition> => {
  const definition = bundled.get(spec);
  return definition === undefined ? Promise.reject(new Error(`the bench host has no connector ${spec}`)) : Promise.resolve(definition);
};

// The default logger: one JSON line per request on stdout (the bench points stdout at a file),
// the cost a production host pays.
// The audit trail and the activity log cost every SCIM write a line and every request a record in
// production, so the benchmark pays them too.
const audit = new AuditLog({ dir: config.auditDir });
const host = createHost({ connectors, loadConnector, audit, ...(config.stateDir === undefined ? {} : { stateDir: config.stateDir }) });
const activity = new ActivityLog({ isServed: (name) => host.connectorNames().includes(name) });
await host.start();
const server = await startServer({ fetch: activity.wrapFetch(host.app.fetch), port: 0, hostname: '127.0.0.1' });

const send = (reply: HostReply): void => {
  process.send?.(reply);
};

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the host process needs --expose-gc');
  // Twice: the first pass can leave objects that only the second finds unreachable (weak refs, finalizers).
  gc();
  gc();
}

let profiler: Session | undefined;
let stopping = false;

const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

async function waitReady(name: string): Promise<{ cacheSize: number; importMs: number | undefined }> {
  const deadline = Date.now() + 30 * 60_000;
  while (Date.now() < deadline) {
    const status = host.connectorStatus(name);
    if (status?.state === 'ready') return { cacheSize: status.cacheSize, importMs: status.lastImport?.durationMs };
    if (status?.state === 'failing') throw new Error(`connector ${name} failed: ${status.lastError ?? 'unknown'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`connector ${name} was not ready within 30 minutes`);
}

/**
 * With a state directory, an import is followed by a snapshot write in the background; the bench
 * waits for it (outside the timed import) so that it never runs under the next measured phase.
 */
async function waitSnapshot(name: string, before: string | undefined): Promise<void> {
  if (config.stateDir === undefined) return;
  const deadline = Date.now() + 10 * 60_000;
  while (host.connectorStatus(name)?.snapshot?.writtenAt === before) {
    if (Date.now() > deadline) throw new Error(`connector ${name} wrote no snapshot within 10 minutes`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function handle(request: HostRequest): Promise<HostReply> {
  switch (request.cmd) {
    case 'wait-ready': {
      const ready = await waitReady(request.name);
      await waitSnapshot(request.name, undefined);
      return { id: request.id, kind: 'ready', ...ready };
    }
    case 'import': {
      const before = host.connectorStatus(request.name)?.snapshot?.writtenAt;
      const started = performance.now();
      const summary = await host.runImport(request.name);
      const ms = performance.now() - started;
      await waitSnapshot(request.name, before);
      return { id: request.id, kind: 'imported', ms, objects: summary.objects, cacheSize: summary.cacheSize, peakRssBytes: peakRss() };
    }
    case 'memory': {
      // The memory a full cache takes, heap and buffers (since decision 022 most of a connector
      // space is packed in Buffers outside the heap): a second instance of the connector is added and imports
      // everything; the heap (after GC) grows by its cache plus a connector instance's small
      // fixed state. Then that instance is removed, and what GC gets back is reported too: a
      // removed connector should give its cache back.
      const instance = connectors.find((c) => c.name === request.name);
      if (instance === undefined) throw new Error(`no connector ${request.name}`);
      const name = `${request.name}Memory`;
      collect();
      const heapBefore = cacheMemory();
      await host.addConnector({ ...instance, name });
      const { cacheSize } = await waitReady(name);
      // The snapshot write holds its view of the space (a copy of the gone marks, the overlay list) until it ends.
      await waitSnapshot(name, undefined);
      // One lookup by userName, as Entra's first matching query does: the cache builds its index
      // on first use, and a cache in service carries that index.
      const lookup = await host.app.fetch(
        new Request(`http://127.0.0.1/ecma2host_${name}/scim/Users?filter=${encodeURIComponent('userName eq "user1"')}`, { headers: { authorization: `Bearer ${config.token}` } }),
      );
      if (lookup.status !== 200) throw new Error(`the lookup on ${name} answered ${String(lookup.status)}: ${await lookup.text()}`);
      collect();
      const heapWithCache = cacheMemory();
      await host.removeConnector(name);
      collect();
      const heapAfterRemove = cacheMemory();
      return { id: request.id, kind: 'memory', objects: cacheSize, heapBefore, heapWithCache, heapAfterRemove, peakRssBytes: peakRss() };
    }
    case 'status': {
      const status = host.connectorStatus(request.name);
      if (status === undefined) throw new Error(`no connector ${request.name}`);
      return { id: request.id, kind: 'status', status };
    }
    case 'cpu':
      return { id: request.id, kind: 'cpu', micros: cpuMicros() };
    case 'profile-start':
      // One profile per load phase (not per process): the host idles while the bare side runs.
      profiler ??= new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      return { id: request.id, kind: 'profiled' };
    case 'profile-stop': {
      if (profiler === undefined) throw new Error('no profile is running');
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(request.file, JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
      return { id: request.id, kind: 'profiled' };
    }
    case 'stop':
      stopping = true;
      await server.close();
      await host.stop();
      await audit.close();
      return { id: request.id, kind: 'stopped' };
  }
}

process.on('message', (request: HostRequest) => {
  handle(request).then(
    (reply) => {
      send(reply);
      if (reply.kind === 'stopped') process.disconnect();
    },
    (error: unknown) => send({ id: request.id, kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});

// The bench died without asking for a stop: do not outlive it.
process.once('disconnect', () => {
  if (stopping) return;
  setTimeout(() => process.exit(1), 10_000).unref();
  void server.close().then(() => host.stop());
});

send({ id: 0, kind: 'listening', port: server.port });

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** The heap plus the ArrayBuffers (Buffers, typed arrays) outside it: where a connector space lives. */
function cacheMemory(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
