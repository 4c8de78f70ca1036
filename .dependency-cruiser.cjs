// Dependency rules of the monorepo (issue 13: the layering a newcomer can rely on). Run with
// `npm run lint:deps`; packages/host/test/dependency-rules.test.ts runs the same check in `npm test`,
// and proves each rule can fail on a fixture tree.

/** The entries that may use the front-ends: the binary, the package entry, the server entry and the demo. */
const ENTRIES = ['^packages/host/src/cli\\.ts$', '^packages/host/src/index\\.ts$', '^packages/host/src/server/run-host\\.ts$', '^packages/host/src/demo/'];

/**
 * `packages/host/src/<folder>/` is a front-end: only the entries and its own files import it; the
 * services it needs live in plugins/, connectors/, store/ ...
 */
function frontEndIsALeaf(folder) {
  return {
    name: `${folder}-is-a-leaf`,
    severity: 'error',
    comment: `${folder}/ is a front-end: only the binary (src/cli.ts), the package entry, the server entry, the demo and ${folder}/ itself import it.`,
    from: { path: '^packages/host/src/', pathNot: [`^packages/host/src/${folder}/`, ...ENTRIES] },
    to: { path: `^packages/host/src/${folder}/` },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle makes load order and layering depend on who is imported first; break it by moving the shared part down.',
      from: { path: '^(packages|plugins)/[^/]+/src/' },
      to: { circular: true },
    },
    frontEndIsALeaf('cli'),
    frontEndIsALeaf('console'),
    {
      name: 'sdk-stands-alone',
      severity: 'error',
      comment: 'The SDK is the contract below the host and the plugins; it must not know either.',
      from: { path: '^packages/sdk/src/' },
      to: { path: ['^packages/(host|create-ecma-connector)/', '^plugins/', '^@ecmahost/(host|connector-)', '^create-ecma-connector'] },
    },
    {
      name: 'plugins-use-only-the-sdk',
      severity: 'error',
      comment: 'A connector talks to the host only through @ecmahost/sdk, so it loads into any host version that supports its SDK range.',
      from: { path: '^plugins/[^/]+/src/' },
      to: { path: ['^packages/host/', '^@ecmahost/host'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that needs another's types depends on it.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      // Workspace packages resolve through their exports maps, as Node resolves them.
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
    },
  },
};
