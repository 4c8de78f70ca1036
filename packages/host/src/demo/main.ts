// The `npm start` entry: starts the demo and stops it on SIGINT/SIGTERM. Like the CLI bin, the
// only place here that exits the process.
import path from 'node:path';
import process from 'node:process';
import { isOpsError } from '../store/errors.js';
import { startDemo } from './start-demo.js';

// npm runs workspace scripts in the workspace folder; INIT_CWD is where `npm start` was typed,
// so the demo's data lands in the repository root's .ecmahost (git-ignored).
const dataDir = path.resolve(process.env.ECMAHOST_DATA_DIR ?? path.join(process.env.INIT_CWD ?? process.cwd(), '.ecmahost'));

// Installed as soon as the host listens, before the rest of the start is awaited, so a signal then
// still stops it gracefully (final snapshot, exit 0).
function stopOnSignals(running: { stop(): Promise<void> }): void {
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

try {
  const demo = await startDemo({ dataDir, env: process.env, onListening: stopOnSignals });
  process.stdout.write(`${demo.instructions.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`error: ${isOpsError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
}
