import { ConnectorError, isConnectorError } from '@ecmahost/sdk';
import type { SqlConfig } from './config.js';
import type { Dialect } from './dialects/dialect.js';
import { connectionError } from './test-connection.js';

/**
 * A database failure during a whole operation (discovery, an import page) as the contract's
 * `ConnectorError`: `server-down` when the server went away or timed out (the host retries later),
 * the connection errors of `testConnection` for credentials and TLS, otherwise `internal` with the
 * server's message, e.g. a syntax error in an admin's query.
 */
export function operationError(dialect: Dialect, config: SqlConfig, error: unknown, what: string): ConnectorError {
  if (isConnectorError(error)) return error;
  const described = dialect.describeError(error);
  switch (described.kind) {
    case 'connection-lost':
    case 'unreachable':
    case 'timeout':
    case 'busy':
      return new ConnectorError('server-down', `${what} failed: ${described.message}`, { cause: error });
    case 'authentication':
    case 'unknown-database':
    case 'tls':
      return connectionError(dialect, config, error);
    default:
      return new ConnectorError('internal', `${what} failed: ${described.message}`, { cause: error });
  }
}
