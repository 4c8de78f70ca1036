import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** Lines are written once this many bytes are waiting... */
export const LOG_BATCH_BYTES = 4096;
/** ...or this long after the oldest waiting line was logged, whichever comes first. */
export const LOG_FLUSH_MS = 100;

/**
 * Standard output written in batches: at one request at a time, a write per request line cost the
 * host a thread-pool round trip and a wake-up per request, about a tenth of a PATCH's time on the
 * wire (docs/performance.md). A line waits at most {@link LOG_FLUSH_MS}, a warning or an error not
 * at all; pino writes what is waiting when the process exits, so only a `kill -9` can lose lines
 * (the last 100 ms of `info` lines at most).
 */
export function batchedStdout(fd = 1, flushMs = LOG_FLUSH_MS): DestinationStream & { flush(cb?: (error?: Error) => void): void } {
  const stream = pino.destination({ dest: fd, sync: false, minLength: LOG_BATCH_BYTES });
  // Bytes handed to the stream and bytes it reported written ('write' events): what is waiting.
  let handed = 0;
  let written = 0;
  // Ended at exit (pino's own handler): a late timer must not write to it.
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      // Does nothing while a write is in flight: that write's 'write' event arms the timer again.
      if (!closed && handed !== written) stream.flush();
    }, flushMs);
    // The timer alone never keeps the process alive; pino writes what is left at exit.
    timer.unref();
  };
  stream.on('write', (n: number) => {
    written += n;
    // Lines logged while the write was in flight wait below the batch size. Only a write that
    // moved bytes arms it: on a broken pipe nothing is written and nothing is retried.
    if (n > 0 && handed !== written) arm();
  });
  stream.on('close', () => {
    closed = true;
  });
  return {
    write(line: string) {
      handed += Buffer.byteLength(line);
      stream.write(line);
      // Warnings and errors go out at once, behind the lines before them: pino's lines start
      // with `{"level":NN`, and 40 is warn. A flush during a write in flight waits for its event.
      if (Number(line.slice(9, 11)) >= 40) stream.flush();
      arm();
    },
    flush: (cb) => stream.flush(cb),
  };
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
