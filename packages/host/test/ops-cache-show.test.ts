import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuilt, eventually, httpsRequest, startServe, tempDir } from './cli-harness.js';
import type { ServeProcess } from './cli-harness.js';
import type { GatedHost } from './ops-shutdown-harness.js';
import { startGatedHost } from './ops-shutdown-harness.js';

describe('cache show of a connector that cannot answer (built binary)', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  let host: GatedHost;
  let serve: ServeProcess;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('ecmahost-cache-show-'));
    host = await startGatedHost(dir);
    await host.serve.stop();
    // The target is gone (a file where its directory was): the connector cannot open at the next start.
    await rm(host.targetDir, { recursive: true });
    await writeFile(host.targetDir, 'not a directory');
    serve = await startServe(host.dataDir, host.env);
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
    await cleanup?.();
  });

  it('answers 503 as SCIM does, not 500', async () => {
    const scim = await eventually(async () => {
      const answer = await httpsRequest(`https://127.0.0.1:${serve.port}/ecma2host_People/scim/Users`, { ca: host.ca, token: host.token });
      return answer.status === 503 && answer.body.includes('(failing)') ? answer : undefined;
    }, 'the connector failing');
    expect(scim.json()).toMatchObject({ status: '503' });
    const shown = await host.run('cache', 'show', 'People');
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('503');
    expect(shown.stderr).toContain('Connector People is not available (failing)');
    expect(shown.stderr).not.toContain('500');
  });
});
