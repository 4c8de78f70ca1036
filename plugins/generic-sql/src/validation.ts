import type { ParameterIssue, ParameterRequest } from '@ecmahost/sdk';
import { isConnectorError } from '@ecmahost/sdk';
import { readConfig } from './config.js';
import { P } from './parameters.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The Connectivity page on its own: a way to reach the database, in a form the driver reads. */
function connectivityIssues(values: ParameterRequest['values']): ParameterIssue[] {
  const dialect = text(values[P.dialect]) ?? 'sqlite';
  const url = text(values[P.connectionUrl]);
  if (dialect === 'sqlite') {
    return url === undefined && text(values[P.database]) === undefined ? [{ parameter: P.connectionUrl, message: 'Give the path of the SQLite database file.' }] : [];
  }
  if (url === undefined) return text(values[P.host]) === undefined ? [{ parameter: P.connectionUrl, message: 'Give a connection URL, or at least the server name.' }] : [];
  const scheme = dialect === 'postgresql' ? /^postgres(ql)?:\/\//i : /^(mysql|mariadb):\/\//i;
  if (!scheme.test(url)) {
    const example = dialect === 'postgresql' ? 'postgres://user@host:5432/database' : 'mysql://user@host:3306/database';
    return [{ parameter: P.connectionUrl, message: `A ${dialect} connection URL looks like ${example}.` }];
  }
  try {
    new URL(url);
    return [];
  } catch {
    return [{ parameter: P.connectionUrl, message: 'The connection URL is not a valid URL (percent-encode special characters, or put the password in the password field).' }];
  }
}

/**
 * The connector's own checks of a page, after the host's declarative ones (ECMA2
 * `ValidateConfigParametersEx`): the Connectivity page alone, and the whole configuration once the
 * last page (Run step) is filled in.
 */
export function validatePage(request: ParameterRequest): ParameterIssue[] {
  if (request.page === 'connectivity') return connectivityIssues(request.values);
  if (request.page !== 'runStep') return [];
  try {
    readConfig(request.values);
    return [];
  } catch (error) {
    if (isConnectorError(error)) return [error.parameter === undefined ? { message: error.message } : { parameter: error.parameter, message: error.message }];
    throw error;
  }
}
