// The `npm start` entry: starts the demo and stops it on SIGINT/SIGTERM. Like the CLI bin, the
// only place here that exits the process.
import path from 'node:path';
import process from 'node:process';
import { isOpsError } from '../store/errors.js';
import { startDemo } from './start-demo.js';

// npm runs workspace scripts in the workspace folder; INIT_CWD is where `npm start` was typed,
// so the demo's data lands in the repository root's .ecmahost (git-ignored).
const dataDir = path.resolve(process.env.ECMAHOST_DATA_DIR ?? path.join(process.env.INIT_CWD ?? process.cwd(), '.ecmahost'));

try {
  const demo = await startDemo({ dataDir, env: process.env });
  process.stdout.write(`${demo.instructions.join('\n')}\n`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    demo.running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  process.stderr.write(`error: ${isOpsError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
}
