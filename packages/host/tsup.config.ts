import { defineBase } from '@ecmahost/tooling/tsup';

export default defineBase({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', demo: 'src/demo/main.ts', 'testing/index': 'src/testing/index.ts' },
  // A devDependency used only by the demo: tsup would bundle it (it bundles what is not a
  // dependency), but a native module has to be loaded from node_modules.
  external: ['better-sqlite3'],
});
