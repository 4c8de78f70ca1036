import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, PACKAGE_DIR, cleanEnv, ensureBuilt } from './cli-harness.js';

const INDEX = pathToFileURL(path.join(PACKAGE_DIR, 'dist', 'index.js')).href;

/**
 * Runs the built host's default logger in a process of its own: one request answered through
 * `createHost`'s app (its request line waits in the batch, far below the batch size), then `end`.
 */
function run(end: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    import { createHost } from ${JSON.stringify(INDEX)};
    const host = createHost({ connectors: [] });
    const answer = await host.app.fetch(new Request('http://127.0.0.1/nowhere-' + process.pid));
    if (answer.status !== 404) throw new Error('answered ' + answer.status);
    ${end}
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { env: cleanEnv({ ECMAHOST_LOG_LEVEL: 'info' }), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const requestLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((l) => l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('request lines waiting in the batch when the host process exits', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

  it('are written when the event loop empties, also with other processes exiting beside it', async () => {
    // Eight at once: written through the thread pool at exit, the line was lost in about one exit
    // in five on a loaded machine (the process ended before the write); it is written synchronously now.
    const runs = await Promise.all(Array.from({ length: 8 }, () => run('')));
    for (const { code, stdout, stderr } of runs) {
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(requestLines(stdout)).toEqual([expect.objectContaining({ level: 30, connector: null, method: 'GET', status: 404, msg: 'request' })]);
      expect(requestLines(stdout)[0]!.path).toMatch(/^\/nowhere-\d+$/);
    }
  });

  it('are written on process.exit, before the flush interval', async () => {
    const { code, stdout } = await run('process.exit(3);');
    expect(code).toBe(3);
    expect(requestLines(stdout)).toHaveLength(1);
  });
});
