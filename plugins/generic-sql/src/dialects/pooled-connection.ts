import type { DbError, Executor } from './dialect.js';

/** A connection checked out of a driver's pool, as the network dialects see it. */
export interface CheckedOutConnection {
  on(event: 'error', listener: () => void): unknown;
  off(event: 'error', listener: () => void): unknown;
}

/**
 * Runs `fn` on a pooled connection and gives it back: `release(true)` when the work failed because
 * the connection was lost or timed out, so the pool drops it instead of handing a dead socket to
 * the next caller. An `error` listener is held meanwhile because a socket error on a checked-out
 * connection would otherwise be an unhandled event that crashes the host.
 */
export async function withPooledConnection<C extends CheckedOutConnection, T>(
  connection: C,
  executorOf: (connection: C) => Executor,
  describe: (error: unknown) => DbError,
  release: (connection: C, broken: boolean) => void,
  fn: (db: Executor) => Promise<T>,
): Promise<T> {
  const onError = (): void => {};
  connection.on('error', onError);
  let broken = false;
  try {
    return await fn(executorOf(connection));
  } catch (error) {
    const kind = describe(error).kind;
    broken = kind === 'connection-lost' || kind === 'timeout';
    throw error;
  } finally {
    connection.off('error', onError);
    release(connection, broken);
  }
}
