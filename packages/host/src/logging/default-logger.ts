import { pino } from 'pino';
import type { Logger } from 'pino';

/**
 * The host's default logger: JSON lines on stdout, level from `ECMAHOST_LOG_LEVEL` (default
 * `info`), with pino's own redaction as a second line of defence for headers.
 */
export function createDefaultLogger(): Logger {
  return pino(
    {
      name: 'ecmahost',
      level: process.env.ECMAHOST_LOG_LEVEL ?? 'info',
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.secret'], censor: '[redacted]' },
    },
    // Written asynchronously: a synchronous write per request line was a visible share of a
    // request's CPU in the benchmarks. pino flushes what is pending when the process exits.
    pino.destination({ dest: 1, sync: false }),
  );
}
