#!/usr/bin/env node
// The `ecmahost` bin. npm links a workspace's bin at install time only when the file exists, and in a
// fresh clone dist/ does not exist until the first build: pointing the bin at dist/cli.js left
// `npx ecmahost` unlinked after the first `npm install` (issue 14). This file is tracked, so the link
// is made at once; it only loads the built CLI, or says how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('ecmahost is not built yet: run `npm run build` at the root of the clone first.\n');
  process.exit(1);
}
await import(cli.href);
