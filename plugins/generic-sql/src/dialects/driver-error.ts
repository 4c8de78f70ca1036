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
