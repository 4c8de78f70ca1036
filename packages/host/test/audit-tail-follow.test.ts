// `ecmahost audit tail --follow` from the built binary: it prints the last line, then each line the
// host appends as it is written, and keeps following when the file is rotated under it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { CLI, ensureBuilt, tempDir } from './cli-harness.js';

describe('ecmahost audit tail --follow (built binary)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    await ensureBuilt();
    ({ dir, cleanup } = await tempDir('ecmahost audit follow '));
  }, 300_000);
  afterAll(async () => cleanup());

  it('prints new lines as they are appended, across a rotation', async () => {
    const dataDir = path.join(dir, 'data dir');
    // About 75 bytes a line: a 200-byte file rotates every two lines.
    const log = new AuditLog({ dir: path.join(dataDir, 'audit'), maxFileBytes: 200, keepFiles: 3 });
    const write = async (n: number) => {
      log.record({ actor: 'admin', action: 'reload', detail: { n } });
      await log.flush();
    };
    await write(0);
    await write(1);
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'audit', 'tail', '--follow', '-n', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const shown = () => output.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { detail: { n: number } }).detail.n);
    const until = async (wanted: number[]) => {
      for (let tries = 0; JSON.stringify(shown()) !== JSON.stringify(wanted); tries++) {
        if (tries > 100 || child.exitCode !== null) throw new Error(`audit tail --follow printed ${JSON.stringify(shown())}, not ${JSON.stringify(wanted)}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await until([1]);
      await write(2);
      await until([1, 2]);
      // The third line rotates the file: the follower starts over on the new one.
      await write(3);
      await until([1, 2, 3]);
      await write(4);
      await until([1, 2, 3, 4]);
      expect(shown()).toEqual([1, 2, 3, 4]);
    } finally {
      child.kill();
      await log.close();
    }
  });
});
