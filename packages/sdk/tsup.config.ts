import { defineBase } from '@ecmahost/tooling/tsup';

export default defineBase({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['vitest'],
});
