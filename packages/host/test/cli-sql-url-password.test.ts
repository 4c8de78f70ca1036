import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliWorkspace } from './cli-harness.js';

// Hardening review, finding 2: only secret-typed parameters are encrypted, so a password inside
// connectionUrl would be written in clear to connectors/<name>.yaml.
describe('ecmahost connector add with a password inside the connection URL (built binary)', () => {
  const workspace = useCliWorkspace();
  const { run } = workspace;

  beforeAll(async () => {
    expect((await run('init')).code).toBe(0);
  });

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
    expect(existsSync(path.join(workspace.dataDir, 'connectors', 'Hr.yaml'))).toBe(false);
    const files = existsSync(path.join(workspace.dataDir, 'connectors')) ? await readdir(path.join(workspace.dataDir, 'connectors')) : [];
    expect(files).toEqual([]);
  });
});
