#!/usr/bin/env node
// The `ecmahost` bin: the only place that exits the process or listens for signals.
import process from 'node:process';
import { createClackPrompter } from './cli/clack-prompter.js';
import type { CliContext, ServingHandle } from './cli/context.js';
import { runCli } from './cli/program.js';

let serving: ServingHandle | undefined;
let stopping = false;

function shutdown(signal: NodeJS.Signals): void {
  if (stopping || serving === undefined) return;
  stopping = true;
  process.stderr.write(`${signal}: stopping (finishing open requests)...\n`);
  serving.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}

function reload(): void {
  if (stopping || serving === undefined) return;
  serving.reload().then(
    (result) => {
      process.stderr.write(`SIGHUP: reloaded connectors: ${result.reloaded.join(', ') || 'none changed'}${result.certificate ? `; serving certificate ${result.certificate.fingerprint256}` : ''}\n`);
      for (const failure of result.failed) process.stderr.write(`SIGHUP: kept ${failure.name} as it was: ${failure.error}\n`);
      if (result.certificateError !== undefined) process.stderr.write(`SIGHUP: kept the certificate as it was: ${result.certificateError}\n`);
    },
    (error: unknown) => process.stderr.write(`SIGHUP: reload failed: ${(error as Error).message}\n`),
  );
}

const ctx: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // Handlers go in as soon as the host listens, not when the command returns: a SIGTERM while the
  // rest of the start is awaited must stop it gracefully too. Other commands keep Node's defaults
  // (Ctrl+C ends a prompt).
  onServing: (handle) => {
    serving = handle;
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    // SIGHUP does not exist on Windows; there `ecmahost reload` asks the host over /admin.
    process.on('SIGHUP', reload);
  },
};
if (process.stdin.isTTY && process.stdout.isTTY) ctx.prompter = createClackPrompter();

const code = await runCli(process.argv.slice(2), ctx);
if (code !== 0 || serving === undefined) {
  // A serve that failed after it listened has already stopped (runHost stops before it throws).
  process.exit(code);
}
