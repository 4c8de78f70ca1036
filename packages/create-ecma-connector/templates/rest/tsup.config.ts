import { defineConfig } from 'tsup';

export default defineConfig((options) => ({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  // Declarations take seconds to build; `npm run dev` (tsup --watch) restarts the host without them.
  dts: !options.watch,
  sourcemap: true,
  clean: true,
}));
