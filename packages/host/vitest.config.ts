import { defineTestConfig } from '@ecmahost/tooling/vitest';

export default defineTestConfig('@ecmahost/host');
