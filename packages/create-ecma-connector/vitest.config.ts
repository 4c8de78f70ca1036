import { defineTestConfig } from '@ecmahost/tooling/vitest';

export default defineTestConfig('create-ecma-connector');
