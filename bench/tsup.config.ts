import { fileURLToPath } from 'node:url';
import { defineBase } from '@ecmahost/tooling/tsup';

const source = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

// Programs, not a library: the orchestrator, the servers it forks (the real host, the bare Hono
// limit, the HTTP floor) and the profile reader. No declarations: nothing imports this package.
// The workspace packages (host, connectors, SDK) are bundled in from their sources: a run
// measures the code of the checkout as it is, needs no other package built first, and keeps
// working while `dist/` folders elsewhere in the checkout are rebuilt.
export default defineBase({
  entry: ['src/main.ts', 'src/groups.ts', 'src/host-child.ts', 'src/bare-hono-child.ts', 'src/http-floor-child.ts', 'src/profile-summary.ts', 'src/instructions.ts', 'src/callgrind-functions.ts', 'src/lookup-budget.ts'],
  dts: false,
  noExternal: [/^@ecmahost\//],
  // Everything else (drivers, Hono, pino...) stays a package import resolved in node_modules.
  external: [/^[^./@]/, /^@(?!ecmahost\/)/],
  esbuildOptions(options) {
    options.alias = {
      '@ecmahost/host': source('../packages/host/src/index.ts'),
      '@ecmahost/sdk': source('../packages/sdk/src/index.ts'),
      '@ecmahost/connector-generic-sql': source('../plugins/generic-sql/src/index.ts'),
      '@ecmahost/connector-generic-ldap': source('../plugins/generic-ldap/src/index.ts'),
    };
  },
});
