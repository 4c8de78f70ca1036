import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_BATCH_CHARS, batchedStdout, createDefaultLogger, requestLineWriter } from './default-logger.js';
import type { RequestLine } from './default-logger.js';

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
    const count = Math.ceil((60 * LOG_BATCH_CHARS) / 40);
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

  it('calls back from a flush only once a batch still being written is on disk', async () => {
    const logger = pino({ base: null, timestamp: false }, batchedStdout(fd, 60_000));
    // A warning goes to the stream at once: 32 MB take the thread pool a while to write.
    const detail = 'x'.repeat(32 * 1024 * 1024);
    logger.warn({ detail }, 'large');
    logger.info('after');
    await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));
    const written = lines();
    expect(written).toHaveLength(2);
    expect(JSON.parse(written[0]!)).toEqual({ level: 40, detail, msg: 'large' });
    expect(JSON.parse(written[1]!)).toEqual({ level: 30, msg: 'after' });
  });
});

describe('requestLineWriter', () => {
  const capture = (): { lines: string[]; write(line: string): void } => {
    const lines: string[] = [];
    return { lines, write: (line: string) => void lines.push(line) };
  };
  // The time is the only field that differs between two lines written one after the other.
  const timeless = (line: string): string => line.replace(/"time":\d+,/, '"time":0,');

  const fields: RequestLine[] = [
    { requestId: '3f2a9c1e-7b4d-4e8f-9a2b-0123456789ab', connector: 'People', method: 'GET', path: '/ecma2host_People/scim/Users', status: 200, latencyMs: 1.3 },
    { requestId: 'req-123', connector: null, method: 'PATCH', path: '/nowhere', status: 404, latencyMs: 0 },
    // Hostile paths: quotes, backslashes, control characters, non-ASCII, a lone surrogate, a long one.
    { requestId: 'r', connector: 'People', method: 'DELETE', path: '/a"b\\c\u0001\n\t/ü/😀', status: 204, latencyMs: 12345.6 },
    { requestId: 'r', connector: 'People', method: 'GET', path: `/x${'\ud800'}y`, status: 200, latencyMs: 0.1 },
    { requestId: 'r'.repeat(100), connector: 'People', method: 'GET', path: `/${'"'.repeat(50)}${'é'.repeat(300)}`, status: 401, latencyMs: 2 },
  ];

  it('writes the line pino writes for the same fields, byte for byte but the time', () => {
    const fast = capture();
    const slow = capture();
    const write = requestLineWriter(createDefaultLogger(fast));
    const logger = createDefaultLogger(slow);
    expect(write).toBeDefined();
    for (const line of fields) {
      write!(line);
      logger.info(line, 'request');
    }
    expect(fast.lines.map(timeless)).toEqual(slow.lines.map(timeless));
    expect(fast.lines.map((l) => JSON.parse(l) as unknown)).toEqual(slow.lines.map((l) => ({ ...(JSON.parse(l) as object), time: expect.any(Number) as unknown })));
    const first = JSON.parse(fast.lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 30, name: 'ecmahost', pid: process.pid, ...fields[0], msg: 'request' });
    expect(Math.abs((first.time as number) - Date.now())).toBeLessThan(60_000);
  });

  it('writes nothing while info is off, and again once it is on', () => {
    const out = capture();
    const logger = createDefaultLogger(out);
    const write = requestLineWriter(logger)!;
    logger.level = 'warn';
    write(fields[0]!);
    expect(out.lines).toEqual([]);
    logger.level = 'info';
    write(fields[0]!);
    expect(out.lines).toHaveLength(1);
  });

  it('leaves other loggers to pino: their layout is their own', () => {
    const out = capture();
    expect(requestLineWriter(pino({ timestamp: false }, out))).toBeUndefined();
    expect(requestLineWriter(createDefaultLogger(out).child({ connector: 'People' }))).toBeUndefined();
  });
});
