#!/usr/bin/env node
// The `ecmahost` bin: the only place that exits the process or listens for signals.
import process from 'node:process';
import { createClackPrompter } from './cli/clack-prompter.js';
import type { CliContext, ServingHandle } from './cli/context.js';
import { runCli } from './cli/program.js';

let serving: ServingHandle | undefined;
const ctx: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  onServing: (handle) => {
    serving = handle;
  },
};
if (process.stdin.isTTY && process.stdout.isTTY) ctx.prompter = createClackPrompter();

const code = await runCli(process.argv.slice(2), ctx);
const running = serving;
if (code !== 0 || running === undefined) process.exit(code);
else {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping (finishing open requests)...\n`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // SIGHUP does not exist on Windows; there `ecmahost reload` asks the host over /admin.
  process.on('SIGHUP', () => {
    if (stopping) return;
    running.reload().then(
      (result) => {
        process.stderr.write(`SIGHUP: reloaded connectors: ${result.reloaded.join(', ') || 'none changed'}${result.certificate ? `; serving certificate ${result.certificate.fingerprint256}` : ''}\n`);
        for (const failure of result.failed) process.stderr.write(`SIGHUP: kept ${failure.name} as it was: ${failure.error}\n`);
        if (result.certificateError !== undefined) process.stderr.write(`SIGHUP: kept the certificate as it was: ${result.certificateError}\n`);
      },
      (error: unknown) => process.stderr.write(`SIGHUP: reload failed: ${(error as Error).message}\n`),
    );
  });
}
