import { defineBase } from '@ecmahost/tooling/tsup';

// Three programs: the orchestrator and the two servers it forks (the real host, the bare Hono
// limit). No declarations: nothing imports this package.
export default defineBase({ entry: ['src/main.ts', 'src/host-child.ts', 'src/bare-hono-child.ts'], dts: false });
