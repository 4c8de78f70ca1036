/**
 * The real host in its own process, as `ecmahost serve --insecure-http` runs it: `createHost` with
 * the connector packages loaded by name, served by `startServer` on a free loopback port. The
 * bench drives it over HTTP and asks it, over IPC, for what only the process itself can measure
 * (import timing, heap, peak RSS).
 */
import { createHost, hashToken, startServer } from '@ecmahost/host';
import type { ConnectorInstanceConfig } from '@ecmahost/host';
import type { ParameterValue } from '@ecmahost/sdk';
import { secret } from '@ecmahost/sdk';
import type { HostChildConfig, HostReply, HostRequest } from './ipc.js';

const config = JSON.parse(process.env.BENCH_HOST ?? '{}') as HostChildConfig;
const tokenHash = hashToken(config.token);

const connectors: ConnectorInstanceConfig[] = config.connectors.map((plan) => ({
  ...plan,
  tokenHash,
  parameters: Object.fromEntries(
    Object.entries(plan.parameters).map(([name, value]): [string, ParameterValue] => [name, typeof value === 'object' ? secret(value.$secret) : value]),
  ),
}));

// The default logger: one JSON line per request on stdout (the bench points stdout at a file),
// the cost a production host pays.
const host = createHost({ connectors, resolveFrom: config.resolveFrom });
await host.start();
const server = await startServer({ fetch: host.app.fetch, port: 0, hostname: '127.0.0.1' });

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

async function handle(request: HostRequest): Promise<HostReply> {
  switch (request.cmd) {
    case 'wait-ready':
      return { id: request.id, kind: 'ready', ...(await waitReady(request.name)) };
    case 'import': {
      const started = performance.now();
      const summary = await host.runImport(request.name);
      const ms = performance.now() - started;
      return { id: request.id, kind: 'imported', ms, objects: summary.objects, cacheSize: summary.cacheSize, peakRssBytes: peakRss() };
    }
    case 'memory': {
      // The cache's share of the heap: the heap with the connector's cache, minus the heap once
      // the connector (and with it the cache) is gone.
      collect();
      const objects = host.connectorStatus(request.name)?.cacheSize ?? 0;
      const heapWithCache = process.memoryUsage().heapUsed;
      await host.removeConnector(request.name);
      collect();
      const heapWithout = process.memoryUsage().heapUsed;
      return { id: request.id, kind: 'memory', objects, heapWithCache, heapWithout, peakRssBytes: peakRss() };
    }
    case 'stop':
      await server.close();
      await host.stop();
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

send({ id: 0, kind: 'listening', port: server.port });
