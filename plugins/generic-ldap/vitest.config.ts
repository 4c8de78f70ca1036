import { defineTestConfig } from '@ecmahost/tooling/vitest';

// --expose-gc lets the large-import test measure live heap rather than uncollected garbage.
export default defineTestConfig('@ecmahost/connector-generic-ldap', { test: { execArgv: ['--expose-gc'] } });
