import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_BATCH_BYTES, batchedStdout } from './default-logger.js';

describe('batchedStdout', () => {
  let dir: string;
  let file: string;
  let fd: number;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-log-'));
    file = path.join(dir, 'out.log');
    fd = openSync(file, 'a');
  });
  afterEach(async () => {
    closeSync(fd);
    await rm(dir, { recursive: true, force: true });
  });

  const lines = (): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  async function until(check: () => boolean, ms: number): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > ms) throw new Error(`not within ${String(ms)} ms: ${readFileSync(file, 'utf8').slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('writes a lone line within the flush interval, though it is far below the batch size', async () => {
    const logger = pino({ base: null, timestamp: false }, batchedStdout(fd, 50));
    logger.info({ connector: 'People', status: 200 }, 'request');
    await until(() => lines().length === 1, 2000);
    expect(JSON.parse(lines()[0]!)).toEqual({ level: 30, connector: 'People', status: 200, msg: 'request' });
  });

  it('keeps every line of a burst, in order, across batches and later quiet', async () => {
    const logger = pino({ base: null, timestamp: false }, batchedStdout(fd, 50));
    // Logged over several turns of the event loop, as requests finish, about 60 batches' worth.
    const count = Math.ceil((60 * LOG_BATCH_BYTES) / 40);
    for (let n = 0; n < count; n++) {
      logger.info({ n }, 'line');
      if (n % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    // The last few lines are below the batch size: only the timer writes them.
    await until(() => lines().length === count, 5000);
    expect(lines().map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(Array.from({ length: count }, (_, n) => n));
  });

  it('writes a warning at once, after the info lines logged before it', async () => {
    // A long interval: the info line goes out only because the warning behind it does.
    const logger = pino({ base: null, timestamp: false }, batchedStdout(fd, 60_000));
    logger.info('request');
    logger.warn({ connector: 'People' }, 'export entry rejected');
    await until(() => lines().length === 2, 2000);
    expect(lines().map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 30, msg: 'request' },
      { level: 40, connector: 'People', msg: 'export entry rejected' },
    ]);
  });

  it('writes what is waiting when the logger is flushed (the host flushes before it exits)', async () => {
    // A long interval: only the flush can have written the line.
    const logger = pino({ base: null, timestamp: false }, batchedStdout(fd, 60_000));
    logger.warn('stopping');
    await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));
    expect(lines()).toEqual([JSON.stringify({ level: 40, msg: 'stopping' })]);
  });
});
