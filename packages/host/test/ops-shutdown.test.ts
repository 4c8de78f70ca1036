import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuilt, eventually, httpsRequest, tempDir } from './cli-harness.js';
import type { GatedHost } from './ops-shutdown-harness.js';
import { createUser, releaseWrites, startGatedHost, writesStarted } from './ops-shutdown-harness.js';

const LOGINS = Array.from({ length: 8 }, (_, i) => `user${i + 1}`);

/** Resolves with the exit code, or `undefined` when the process has not exited `withinMs` after the call. */
function exitWithin(host: GatedHost, withinMs: number): Promise<number | null | undefined> {
  const { child } = host.serve;
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), withinMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('ecmahost serve stops within its deadline and loses nothing (built binary)', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  const cleanups: (() => Promise<void>)[] = [];
  let host: GatedHost | undefined;
  afterEach(async () => {
    if (host?.serve.child.exitCode === null) host.serve.child.kill('SIGKILL');
    host = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('SIGTERM with 8 creates in flight: all 8 are answered 201, stored in the target, and the host exits 0', async () => {
    const { dir, cleanup } = await tempDir('ecmahost-shutdown-');
    cleanups.push(cleanup);
    host = await startGatedHost(dir, { shutdownTimeoutSeconds: 60 });
    const answers = LOGINS.map((login) => createUser(host!, login));
    const started = await eventually(async () => ((await writesStarted(host!.targetDir)).length === 8 ? true : undefined), '8 writes at the connector');
    expect(started).toBe(true);
    host.serve.child.kill('SIGTERM');
    // The host stops accepting at once: a new connection is refused while the 8 wait.
    await eventually(async () => (await httpsRequest(`https://127.0.0.1:${host!.serve.port}/healthz`, { ca: host!.ca }).then(() => undefined, (error: Error) => error.message)), 'new connections refused');
    await releaseWrites(host.targetDir);
    const results = await Promise.all(answers);
    expect(results.map((r) => r.status)).toEqual(LOGINS.map(() => 201));
    expect(results.map((r) => (r.json() as { userName: string }).userName)).toEqual(LOGINS);
    for (const login of LOGINS) {
      expect(JSON.parse(await readFile(path.join(host.targetDir, 'people', `${login}.json`), 'utf8'))).toMatchObject({ login, firstName: login.toUpperCase() });
    }
    // Well before the 60 s deadline: nothing was left to wait for.
    expect(await exitWithin(host, 30_000)).toBe(0);
    expect(existsSync(path.join(host.dataDir, 'run', 'host.json'))).toBe(false);
    // The stop wrote the audit trail's queue before the exit: one line per create, each answered 201.
    const audit = (await readFile(path.join(host.dataDir, 'audit', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; anchor?: Record<string, unknown>; status?: number });
    const creates = audit.filter((l) => l.action === 'scim.create');
    expect(creates.map((l) => [String(Object.values(l.anchor ?? {})[0]), l.status]).sort()).toEqual(LOGINS.map((login) => [login, 201]).sort());
  }, 120_000);

  it('a write that never returns is answered 503 with Retry-After at the deadline, and the host exits 0', async () => {
    const { dir, cleanup } = await tempDir('ecmahost-shutdown-');
    cleanups.push(cleanup);
    host = await startGatedHost(dir, { shutdownTimeoutSeconds: 3 });
    const hung = new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
      const req = request(`${host!.scim}/Users`, { method: 'POST', ca: host!.ca, agent: false, headers: { authorization: `Bearer ${host!.token}`, 'content-type': 'application/scim+json' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'stuck' }));
    });
    await eventually(async () => ((await writesStarted(host!.targetDir)).includes('stuck') ? true : undefined), 'the write at the connector');
    host.serve.child.kill('SIGTERM');
    const answer = await hung;
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('30');
    expect(JSON.parse(answer.body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: 'The host is shutting down; retry shortly.' });
    expect(await exitWithin(host, 30_000)).toBe(0);
    expect(host.serve.output()).toContain('the shutdown deadline passed: requests still running were answered 503');
  }, 120_000);

  it('an idle keep-alive connection does not hold the stop until the deadline', async () => {
    const { dir, cleanup } = await tempDir('ecmahost-shutdown-');
    cleanups.push(cleanup);
    // A deadline far beyond the test's wait: exiting at all shows the idle connection was closed.
    host = await startGatedHost(dir, { shutdownTimeoutSeconds: 600 });
    const { Agent } = await import('node:https');
    const agent = new Agent({ keepAlive: true, ca: host.ca });
    const closed = new Promise<void>((resolve) => {
      const req = request(`${host!.scim}/Users`, { agent, headers: { authorization: `Bearer ${host!.token}` } }, (res) => res.resume());
      req.once('socket', (socket) => socket.once('close', () => resolve()));
      req.end();
    });
    await eventually(async () => (Object.keys(agent.freeSockets).length === 1 ? true : undefined), 'an idle keep-alive connection');
    host.serve.child.kill('SIGTERM');
    expect(await exitWithin(host, 60_000)).toBe(0);
    await closed;
    agent.destroy();
  }, 120_000);
});
