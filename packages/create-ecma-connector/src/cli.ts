#!/usr/bin/env node
import { isScaffoldError } from './scaffold-error.js';
import { run } from './run.js';

// The one place that turns a failure into an exit code: expected failures print their message,
// anything else its stack, since that is a bug worth reporting.
run(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${isScaffoldError(error) ? `create-ecma-connector: ${error.message}` : String((error as Error).stack ?? error)}\n`);
  process.exitCode = 1;
});
