import { spawn } from 'node:child_process';
import { defineConfig } from 'tsup';
import { startFakeApi } from './test/fake-api.js';

/** `ecmahost dev` on this working copy, until the returned function stops it (before the next build's). */
function devHost(baseUrl: string): () => Promise<void> {
  // Spawned here rather than as an onSuccess command line: tsup normalises that line like a path,
  // turning the URL's `http://` into `http:/`. A shell only on Windows, where the bin is a .cmd.
  const host = spawn('ecmahost', ['dev', '--param', `BaseUrl=${baseUrl}`], { stdio: 'inherit', shell: process.platform === 'win32' });
  return () =>
    new Promise((resolve) => {
      if (host.exitCode !== null || host.signalCode !== null) return resolve();
      host.once('exit', () => resolve());
      host.kill();
    });
}

export default defineConfig(async (options) => {
  // `npm run dev` (tsup --watch) restarts a dev host after every build, and the host tests the
  // connection to the API first. With API_URL set, that is your API (a test instance); without it,
  // the tests' fake API, started here once and kept for the session, so the loop works offline.
  const baseUrl = options.watch ? (process.env.API_URL ?? (await startFakeApi()).url) : undefined;
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    // Declarations take seconds to build; `npm run dev` restarts the host without them.
    dts: !options.watch,
    sourcemap: true,
    clean: true,
    ...(baseUrl === undefined ? {} : { onSuccess: () => Promise.resolve(devHost(baseUrl)) }),
  };
});
