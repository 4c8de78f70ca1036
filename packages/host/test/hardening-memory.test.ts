import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHost } from '../src/server/run-host.js';
import type { RunningHost } from '../src/server/run-host.js';
import { initStore } from '../src/store/store.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

// Finding 1 of the hostile review (issue 15): requests without a token to names that are not
// connectors must not grow the host's memory (the console's activity log kept a buffer for each).

const REQUESTS = 20_000;
const NAME_BYTES = 8 * 1024;
/** Growth of the heap after GC allowed over the whole run; the unfixed host grew by more than 20 times this. */
const BOUND_BYTES = 8 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let dir: string;
let running: RunningHost;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-memory-'));
  const { store } = await initStore(path.join(dir, 'data'), { settings: { hostName: 'localhost' }, env: {} });
  await store.writeConnector(fixtureConfig('HR', TOKEN_A, path.join(dir, 'hr.json')));
  running = await runHost({ dataDir: store.paths.root, env: {}, port: 0, bind: '127.0.0.1', insecureHttp: true, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await running.stop();
  await rm(dir, { recursive: true, force: true });
});

function post(agent: Agent, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.server.port, path: pathname, method: 'POST', agent, headers: { 'content-type': 'application/scim+json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{"userName":"x"}');
  });
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('token-less requests to distinct unknown connector names (finding 1)', () => {
  it(`leave the heap within ${BOUND_BYTES / 1024 / 1024} MB over ${REQUESTS} requests of ${NAME_BYTES / 1024} kB names`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const statuses = new Set<number>();
    const send = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        const name = `${String(i).padStart(8, '0')}${'n'.repeat(NAME_BYTES - 8)}`;
        statuses.add(await post(agent, `/ecma2host_${name}/scim/Users`));
      }
    };
    // A first round warms up the server, the router and the JIT, so what follows is growth alone.
    await Promise.all(Array.from({ length: 8 }, (_, w) => send(w * 100, (w + 1) * 100)));
    const before = heapAfterGc();
    const per = REQUESTS / 8;
    await Promise.all(Array.from({ length: 8 }, (_, w) => send(1_000_000 + w * per, 1_000_000 + (w + 1) * per)));
    // And the served connector, without its token: refused, and not recorded either.
    for (let i = 0; i < 100; i++) statuses.add(await post(agent, '/ecma2host_HR/scim/Users'));
    const growth = heapAfterGc() - before;
    agent.destroy();
    // 404 today; 401 once unknown names answer like a known connector without its token.
    expect([...statuses].every((s) => s === 401 || s === 404)).toBe(true);
    expect(growth).toBeLessThan(BOUND_BYTES);
  }, 120_000);
});
