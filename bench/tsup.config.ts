import { defineBase } from '@ecmahost/tooling/tsup';

// Programs, not a library: the orchestrator, the two servers it forks (the real host, the bare
// Hono limit) and the profile reader. No declarations: nothing imports this package.
// The workspace packages (host, connectors, SDK) are bundled in: a run measures the code as it
// was built, and keeps working while `dist/` folders elsewhere in the checkout are rebuilt.
export default defineBase({
  entry: ['src/main.ts', 'src/host-child.ts', 'src/bare-hono-child.ts', 'src/profile-summary.ts'],
  dts: false,
  noExternal: [/^@ecmahost\//],
  // Everything else (drivers, Hono, pino...) stays a package import resolved in node_modules.
  external: [/^[^./@]/, /^@(?!ecmahost\/)/],
});
