import { isConnectorError } from '@ecmahost/sdk';

/** A one-line description of an error, safe for logs and responses (no stack). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The `ConnectorError` code of an error, for logs; undefined for any other error. */
export function errorCode(error: unknown): string | undefined {
  return isConnectorError(error) ? error.code : undefined;
}
