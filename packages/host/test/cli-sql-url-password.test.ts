import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, cleanEnv, cli, ensureBuilt, tempDir } from './cli-harness.js';

// Hardening review, finding 2: only secret-typed parameters are encrypted, so a password inside
// connectionUrl would be written in clear to connectors/<name>.yaml.
describe('ecmahost connector add with a password inside the connection URL (built binary)', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
  let dir: string;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  const env = cleanEnv();
  const run = (...args: string[]) => cli(['--data-dir', dataDir, ...args], { env, cwd: dir });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    dataDir = path.join(dir, 'data');
    expect((await run('init')).code).toBe(0);
  });
  afterAll(async () => cleanup());

  it('exits non-zero, says to use the encrypted password field, never echoes the password and writes no file', async () => {
    const result = await run(
      'connector', 'add', 'Hr',
      '--package', '@ecmahost/connector-generic-sql',
      '--param', 'dialect=postgresql',
      '--param', 'connectionUrl=postgres://ecmahost:s3cret-pw@127.0.0.1:5432/hr',
      '--param', 'table=Employees',
      '--param', 'anchorColumns=ContosoLogin',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Connection URL (connectionUrl): The connection URL contains a password, which would be stored and shown in clear. Remove it from the URL and put it in the Password field, which is stored encrypted.',
    );
    expect(result.stdout + result.stderr).not.toContain('s3cret-pw');
    expect(existsSync(path.join(dataDir, 'connectors', 'Hr.yaml'))).toBe(false);
    const files = existsSync(path.join(dataDir, 'connectors')) ? await readdir(path.join(dataDir, 'connectors')) : [];
    expect(files).toEqual([]);
  });
});
