import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { cleanEnv } from './commands.js';

/** A program running in a pseudo-terminal, driven like a person at the keyboard. */
export interface Terminal {
  /** Waits until the screen shows `text` (after the last answer), then types `keys` after a short pause. */
  answer(text: string, keys: string): Promise<void>;
  /** Waits until the screen shows `text` after the last answer. */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit code once the program ends. */
  exit(): Promise<number | null>;
  /** Everything written to the terminal so far, colours and cursor movements stripped. */
  screen(): string;
}

// ANSI escape sequences: colours, cursor moves, erasing.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const WAIT_MS = 20_000;

/**
 * Runs `command` in a pseudo-terminal with util-linux `script`. The terminal gets a real size
 * (`stty`), because a pty made from a pipe is 0 columns wide and the prompts would wrap at every character.
 */
export function openTerminal(command: string, cwd: string): Terminal {
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-q', '-e', '-c', `stty cols 100 rows 40; ${command}`, '/dev/null'], {
    cwd,
    env: cleanEnv({ TERM: 'xterm-256color' }),
  });
  let output = '';
  let mark = 0;
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const screen = () => output.replace(ANSI, '');
  const waitFor = async (text: string) => {
    const deadline = Date.now() + WAIT_MS;
    while (!output.slice(mark).replace(ANSI, '').includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the terminal never showed "${text}"; it shows:\n${screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    waitFor,
    async answer(text, keys) {
      await waitFor(text);
      mark = output.length;
      // A person reads the prompt before typing; the prompt also needs a moment to take raw input.
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.stdin.write(keys);
    },
    exit: () => exited,
    screen,
  };
}

/** Keys as a terminal sends them. */
export const KEYS = { enter: '\r', down: '\u001b[B', space: ' ', backspace: '\u007f' } as const;
