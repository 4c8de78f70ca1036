/**
 * drizzle wraps every driver error in a `DrizzleQueryError` whose message repeats the SQL and its
 * parameters — passwords included. Dialects rethrow the driver's own error instead, so neither a
 * log line nor an admin ever sees bound values, and error classification reads the driver's codes.
 */
export async function unwrapDriverError<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw driverErrorOf(error);
  }
}

/** The driver's error inside a drizzle wrapper, or the error itself. */
export function driverErrorOf(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && 'params' in error && 'query' in error && 'cause' in error) {
    const cause = (error as { cause: unknown }).cause;
    if (cause !== undefined) return cause;
  }
  return error;
}

/** The `code` property of a driver error, when it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The message of an error, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Node's socket-level error codes, shared by every network driver. */
export function networkErrorKind(code: string | undefined): 'unreachable' | 'connection-lost' | 'timeout' | undefined {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
      return 'unreachable';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection-lost';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return undefined;
  }
}

/** Node's TLS certificate error codes. */
export function isTlsErrorCode(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code.startsWith('ERR_TLS'))
  );
}
