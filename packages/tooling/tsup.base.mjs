// One build recipe for every published package: ESM + .d.ts, Node 20.19 syntax.
// Packages call defineBase({ entry: [...] }) and add only what differs.
import { defineConfig } from 'tsup';

/** @param {import('tsup').Options} options */
export function defineBase(options) {
  return defineConfig({
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...options,
  });
}
