import type { Writable } from 'node:stream';
import type { Prompter } from './prompter.js';

/** What a running `serve` hands back to the bin, which stops it on SIGINT/SIGTERM and reloads it on SIGHUP. */
export interface ServingHandle {
  stop(): Promise<void>;
  reload(): Promise<{ reloaded: string[]; failed: { name: string; error: string }[]; certificate?: { fingerprint256: string }; certificateError?: string }>;
}

/** Everything a CLI command touches outside itself, so tests and the bin can supply it. */
export interface CliContext {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Present when stdin and stdout are a TTY: commands may ask for what flags left out. */
  prompter?: Prompter;
  /**
   * Called by `serve` and `dev` as soon as the host listens, before the command returns: the bin
   * installs its signal handlers here, so a signal during the rest of the start stops gracefully.
   */
  onServing?: (handle: ServingHandle) => void;
}

/** Writes one line to stdout. */
export function say(ctx: CliContext, line = ''): void {
  ctx.stdout.write(`${line}\n`);
}

/** Writes one line to stderr (warnings, progress). */
export function warn(ctx: CliContext, line: string): void {
  ctx.stderr.write(`${line}\n`);
}
