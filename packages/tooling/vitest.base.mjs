// One test recipe for every workspace. When ECMAHOST_TEST_REPORT_DIR is set (by .ci/run) each
// package also writes vitest's JSON report there, so CI can add up passed/failed/skipped.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

// Tests inside the monorepo import the SDK from source, so a change to the contract is seen by
// every package's tests without a rebuild in between. Code loaded at run time from node_modules
// (connectors loaded by the host) still gets the built SDK: the contract's duck-typed brands make
// the two copies interoperate, which these tests thereby exercise too.
const sdkSrc = fileURLToPath(new URL('../sdk/src/', import.meta.url));

/** @param {string} name the package name, used to name the JSON report
 *  @param {import('vitest/config').ViteUserConfig} [overrides] */
export function defineTestConfig(name, overrides = {}) {
  const reportDir = process.env.ECMAHOST_TEST_REPORT_DIR;
  const reporters = reportDir
    ? ['default', ['json', { outputFile: path.join(reportDir, `${name.replace(/[@/]/g, '_')}.json`) }]]
    : ['default'];
  return mergeConfig(
    defineConfig({
      resolve: {
        alias: [
          { find: /^@ecmahost\/sdk\/testing$/, replacement: path.join(sdkSrc, 'testing/index.ts') },
          { find: /^@ecmahost\/sdk$/, replacement: path.join(sdkSrc, 'index.ts') },
        ],
      },
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        reporters,
        testTimeout: 30_000,
        hookTimeout: 120_000,
        passWithNoTests: false,
      },
    }),
    overrides,
  );
}
