import { writeSync } from 'node:fs';
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** Lines are written once this many characters are waiting... */
export const LOG_BATCH_CHARS = 64 * 1024;
/** ...or this long after the oldest waiting line was logged, whichever comes first. */
export const LOG_FLUSH_MS = 100;

/**
 * Hand over the lines each {@link batchedStdout} holds; run at exit, before pino's own handler
 * writes the streams. Weak: a destination dropped unended (tests make many) is not kept.
 */
const holding = new Set<WeakRef<(atExit: boolean) => void>>();
let exitHooked = false;

/**
 * Standard output written in batches: at one request at a time, a write per request line cost the
 * host a thread-pool round trip and a wake-up per request, about a tenth of a PATCH's time on the
 * wire (docs/performance.md). A line waits at most {@link LOG_FLUSH_MS}, a warning or an error not
 * at all; what is waiting is written when the process exits, so only a `kill -9` can lose lines
 * (the last 100 ms of `info` lines at most).
 *
 * The batch is large (64 KiB, about 250 request lines) because what a line costs the host is
 * mostly its share of a write: each goes through the thread pool and wakes a thread, and at 4 KiB
 * a batch the writes cost a lookup 10 µs of CPU (8 %) more than at 64 KiB (docs/performance.md).
 * The lines wait here, in an array, and go to pino's stream one joined batch at a time: left to
 * wait in the stream itself (its `minLength`), every line is appended to a growing string whose
 * UTF-8 length the stream measures at each write, a copy of the whole batch per line, which would
 * make a large batch dear (2.5 µs a line at 4 KiB against 0.6 µs this way).
 */
export function batchedStdout(fd = 1, flushMs = LOG_FLUSH_MS): DestinationStream & { flush(cb?: (error?: Error) => void): void } {
  const stream = pino.destination({ dest: fd, sync: false });
  let lines: string[] = [];
  let waiting = 0;
  // Ended at exit (pino's own handler): nothing may be written to it afterwards.
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  // A batch handed to the stream is written through the thread pool; the stream says `drain` once
  // everything it was given is written. Its own `flush` does not wait for that when it batches
  // nothing itself (sonic-boom calls back at once with `minLength` 0), so `flush` below does.
  let writing = false;
  stream.on('drain', () => {
    writing = false;
  });
  const handOver = (atExit = false): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (lines.length === 0 || closed) return;
    const batch = lines.length === 1 ? lines[0]! : lines.join('');
    lines = [];
    waiting = 0;
    // At exit the stream's own writes go through the thread pool, and the process may end before
    // one is done (the last lines were lost so, one exit in five on a loaded machine). With nothing
    // of the stream's in flight, the batch is written here, in order; behind a batch in flight it
    // waits in the stream, whose exit handler (pino's) writes what it holds synchronously.
    if (atExit && !writing) {
      writeAllSync(fd, batch);
      return;
    }
    writing = true;
    stream.write(batch);
  };
  const held = new WeakRef(handOver);
  holding.add(held);
  if (!exitHooked) {
    exitHooked = true;
    // First among the exit listeners: pino's (registered when its stream was made) then writes
    // synchronously what the stream holds, these lines included.
    process.prependListener('exit', () => {
      for (const hand of holding) hand.deref()?.(true);
    });
  }
  stream.on('close', () => {
    closed = true;
    holding.delete(held);
  });
  return {
    write(line: string) {
      // After pino ended the stream at exit: nothing more can be written.
      if (closed) return;
      lines.push(line);
      waiting += line.length;
      // Warnings and errors go out at once, behind the lines before them: pino's lines start
      // with `{"level":NN`, and 40 is warn.
      if (waiting >= LOG_BATCH_CHARS || Number(line.slice(9, 11)) >= 40) handOver();
      else if (timer === undefined) {
        timer = setTimeout(handOver, flushMs);
        // The timer alone never keeps the process alive; what waits is written at exit.
        timer.unref();
      }
    },
    // Calls back once every line logged so far is written (the host flushes before it exits).
    flush: (cb) => {
      handOver();
      if (!writing) {
        stream.flush(cb);
        return;
      }
      const written = (): void => {
        stream.off('error', failed);
        stream.flush(cb);
      };
      const failed = (error: Error): void => {
        writing = false;
        stream.off('drain', written);
        cb?.(error);
      };
      stream.once('drain', written);
      stream.once('error', failed);
    },
  };
}

/** A short wait without the event loop (which is gone at exit). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to `fd` now, waiting out a full pipe (`EAGAIN`, standard output being a
 * non-blocking pipe) for up to about a second. At exit there is nobody to tell of a failure: what
 * cannot be written is dropped.
 */
function writeAllSync(fd: number, text: string): void {
  let bytes = Buffer.from(text, 'utf8');
  for (let waits = 0; bytes.length > 0; ) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || ++waits > 1000) return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** Loggers made by {@link createDefaultLogger}: pino's own line layout, which {@link requestLineWriter} writes. */
const defaultLayout = new WeakSet<Logger>();

/**
 * The host's default logger: JSON lines on stdout, written in batches ({@link batchedStdout}), level
 * from `ECMAHOST_LOG_LEVEL` (default `info`), with pino's own redaction as a second line of defence
 * for headers. `destination` is for tests; the host always writes to its standard output.
 */
export function createDefaultLogger(destination: DestinationStream = batchedStdout()): Logger {
  const logger = pino(
    {
      name: 'ecmahost',
      level: process.env.ECMAHOST_LOG_LEVEL ?? 'info',
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.secret'], censor: '[redacted]' },
    },
    destination,
  );
  defaultLayout.add(logger);
  return logger;
}

/** The fields of the request log's `info` line (middleware/request-log.ts). */
export interface RequestLine {
  requestId: string;
  connector: string | null;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
}

/**
 * Writes the request log's `info` line of a logger from {@link createDefaultLogger} as pino would
 * (same fields, same order, same JSON), without pino's generic walk over the fields: every request
 * pays for this line, and pino's way cost about 5 % of a lookup's instructions (docs/performance.md).
 * For any other logger (one an embedder passed, with its own formatters, timestamps or streams)
 * `undefined`: the caller logs through pino.
 */
export function requestLineWriter(logger: Logger): ((line: RequestLine) => void) | undefined {
  if (!defaultLayout.has(logger)) return undefined;
  const stream = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]!;
  // `,"pid":…,"hostname":"…","name":"ecmahost"`: fixed when the logger was made.
  const bindings = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym]!;
  const info = pino.levels.values.info!;
  return (line) => {
    // The level can be changed at run time (`logger.level`), so it is read for every line.
    if (!logger.isLevelEnabled('info')) return;
    stream.write(
      `{"level":${String(info)},"time":${String(Date.now())}${bindings},"requestId":${JSON.stringify(line.requestId)},"connector":${JSON.stringify(line.connector)},"method":${JSON.stringify(line.method)},"path":${JSON.stringify(line.path)},"status":${String(line.status)},"latencyMs":${String(line.latencyMs)},"msg":"request"}\n`,
    );
  };
}
