import { ConnectorError } from '@ecmahost/sdk';
import { sql } from 'drizzle-orm';
import type { SqlConfig } from './config.js';
import type { Dialect } from './dialects/dialect.js';
import { tableLabel } from './identifiers.js';
import { P } from './parameters.js';

function where(config: SqlConfig): string {
  const c = config.connection;
  if (config.dialect === 'sqlite') return `the SQLite file ${c.url ?? c.database ?? ''}`;
  if (c.host !== undefined) return `${c.host}${c.port === undefined ? '' : `:${c.port}`}`;
  try {
    const url = new URL(c.url ?? '');
    return url.host;
  } catch {
    return 'the database server';
  }
}

/**
 * A driver failure while connecting, as a `ConnectorError` an admin can act on: the server's own
 * message, prefixed with what it means and what to check.
 */
export function connectionError(dialect: Dialect, config: SqlConfig, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = dialect.describeError(error);
  const server = where(config);
  switch (e.kind) {
    case 'authentication':
      return new ConnectorError('authentication-failed', `The database refused the user name or password: ${e.message}`, { cause: error, parameter: P.password });
    case 'unknown-database':
      return new ConnectorError('invalid-configuration', `The database does not exist or cannot be opened: ${e.message}`, { cause: error, parameter: P.database });
    case 'tls':
      return new ConnectorError('connection-failed', `The TLS connection to ${server} failed: ${e.message}. Check the tls setting and the CA certificate.`, { cause: error, parameter: P.tls });
    case 'unreachable':
      return new ConnectorError('connection-failed', `Cannot reach ${server}: ${e.message}. Check the server name and port, and that the database is running.`, { cause: error });
    case 'timeout':
      return new ConnectorError('connection-failed', `${server} did not answer in time: ${e.message}`, { cause: error });
    case 'permission':
      return new ConnectorError('authentication-failed', `The database user lacks a permission: ${e.message}`, { cause: error, parameter: P.user });
    default:
      return new ConnectorError('connection-failed', `Connecting to ${server} failed: ${e.message}`, { cause: error });
  }
}

/** Connects, runs `SELECT 1`, and checks the configured table exists. */
export async function testConnection(dialect: Dialect, config: SqlConfig): Promise<void> {
  try {
    await dialect.all(sql`SELECT 1 AS ok`);
  } catch (error) {
    throw connectionError(dialect, config, error);
  }
  if (config.table !== undefined) {
    const columns = await dialect.columns(config.table).catch((error: unknown) => {
      throw connectionError(dialect, config, error);
    });
    if (columns.length === 0) {
      throw new ConnectorError('invalid-configuration', `Connected, but the table or view ${tableLabel(config.table)} was not found.`, { parameter: P.table });
    }
  }
}
