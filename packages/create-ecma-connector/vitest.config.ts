import { defineTestConfig } from '@ecmahost/tooling/vitest';

// The integration tests share one install of the generated projects' dependencies and build this
// package when its sources changed; running test files one at a time keeps that simple and spares
// the machine's two cores.
export default defineTestConfig('create-ecma-connector', { test: { fileParallelism: false } });
