// The dependency rules of .dependency-cruiser.cjs, enforced in `npm test` (CI) as `npm run lint:deps`
// enforces them in `npm run lint`: the repository has no violation, and each rule reports one on a
// fixture tree built to break it.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
/** What `npm run lint:deps` cruises. */
const SOURCES = ['packages/sdk/src', 'packages/host/src', 'packages/create-ecma-connector/src', 'plugins/generic-sql/src', 'plugins/generic-ldap/src'];

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** Runs dependency-cruiser with the repository's rules on `sources` (relative to `cwd`); one line per violation. */
function cruise(cwd: string, sources: string[]): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [DEPCRUISE, ...sources, '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      // depcruise exits non-zero when it finds violations; the JSON on stdout is still complete.
      if (stdout.trim() === '') return reject(new Error(`dependency-cruiser failed: ${error?.message ?? ''}\n${stderr}`));
      const violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
      resolve(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.cycle === undefined ? v.to : v.cycle.map((c) => c.name).join(' -> ')}`).sort());
    }),
  );
}

describe('dependency rules', () => {
  it('hold in the repository (no cycle, cli/ and console/ are leaves, the SDK and the plugins stand apart)', async () => {
    expect(await cruise(ROOT, SOURCES)).toEqual([]);
  }, 120_000);

  describe('on a fixture tree that breaks each rule', () => {
    let dir: string;
    const files: Record<string, string> = {
      'packages/host/src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'packages/host/src/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'packages/host/src/routes/x.ts': "import { y } from '../cli/y.js';\nexport const x = y;\n",
      'packages/host/src/cli/y.ts': "import { z } from '../console/z.js';\nimport { w } from './w.js';\nexport const y = z + w;\n",
      'packages/host/src/cli/w.ts': 'export const w = 1;\n',
      'packages/host/src/console/z.ts': "import type { Y } from '../connectors/types.js';\nexport const z: Y = 1;\n",
      'packages/host/src/connectors/types.ts': 'export type Y = number;\n',
      'packages/host/src/connectors/uses-console.ts': "import type { z } from '../console/z.js';\nexport type Z = typeof z;\n",
      // The entries may use the front-ends.
      'packages/host/src/server/run-host.ts': "import { y } from '../cli/y.js';\nimport { z } from '../console/z.js';\nexport const run = y + z;\n",
      'packages/host/src/cli.ts': "import { y } from './cli/y.js';\nexport default y;\n",
      'packages/host/src/demo/main.ts': "import { z } from '../console/z.js';\nexport default z;\n",
      'packages/sdk/src/index.ts': "import { x } from '../../host/src/routes/x.js';\nimport { run } from '@ecmahost/host';\nexport const sdk = [x, run];\n",
      'plugins/p/src/index.ts': "import { run } from '@ecmahost/host';\nimport { x } from '../../../packages/host/src/routes/x.js';\nimport { sdk } from '../../../packages/sdk/src/index.js';\nexport default [run, x, sdk];\n",
    };

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-depcruise-'));
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('reports every violation and nothing else', async () => {
      expect(await cruise(dir, ['packages/host/src', 'packages/sdk/src', 'plugins/p/src'])).toEqual([
        'cli-is-a-leaf: packages/host/src/routes/x.ts -> packages/host/src/cli/y.ts',
        'console-is-a-leaf: packages/host/src/cli/y.ts -> packages/host/src/console/z.ts',
        'console-is-a-leaf: packages/host/src/connectors/uses-console.ts -> packages/host/src/console/z.ts',
        'no-cycles: packages/host/src/a.ts -> packages/host/src/b.ts -> packages/host/src/a.ts',
        'plugins-use-only-the-sdk: plugins/p/src/index.ts -> @ecmahost/host',
        'plugins-use-only-the-sdk: plugins/p/src/index.ts -> packages/host/src/routes/x.ts',
        'sdk-stands-alone: packages/sdk/src/index.ts -> @ecmahost/host',
        'sdk-stands-alone: packages/sdk/src/index.ts -> packages/host/src/routes/x.ts',
      ]);
    }, 120_000);
  });
});
