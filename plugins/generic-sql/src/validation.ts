import type { ParameterIssue, ParameterRequest } from '@ecmahost/sdk';
import { isConnectorError } from '@ecmahost/sdk';
import { readConfig } from './config.js';
import { P } from './parameters.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Whether a connection URL carries a password: `user:password@` before the host, or a `password` /
 * `pwd` query parameter. Read from the text rather than through `URL`, so a URL too malformed to
 * parse is still caught; the authority ends at the first `/`, `?` or `#`, and its user part at the
 * last `@`, as WHATWG URL parsing reads it.
 */
export function urlHasPassword(url: string): boolean {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (scheme === null) return false;
  const rest = url.slice(scheme[0].length);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const at = authority.lastIndexOf('@');
  if (at >= 0 && /:[^:]/.test(authority.slice(0, at))) return true;
  const query = /\?([^#]*)/.exec(rest)?.[1] ?? '';
  return query.split('&').some((pair) => /^(password|pwd)=./i.test(pair));
}

/** Said when a URL carries a password; the URL itself is not repeated, since it holds the secret. */
const PASSWORD_IN_URL_MESSAGE =
  'The connection URL contains a password, which would be stored and shown in clear. Remove it from the URL and put it in the Password field, which is stored encrypted.';

/** The Connectivity page on its own: a way to reach the database, in a form the driver reads. */
function connectivityIssues(values: ParameterRequest['values']): ParameterIssue[] {
  const dialect = text(values[P.dialect]) ?? 'sqlite';
  const url = text(values[P.connectionUrl]);
  // Only secret-typed parameters are encrypted: a password in the URL would sit in clear in the
  // connector's file, in exports and in `connector show`.
  if (url !== undefined && urlHasPassword(url)) return [{ parameter: P.connectionUrl, message: PASSWORD_IN_URL_MESSAGE }];
  if (dialect === 'sqlite') {
    return url === undefined && text(values[P.database]) === undefined ? [{ parameter: P.connectionUrl, message: 'Give the path of the SQLite database file.' }] : [];
  }
  if (url === undefined) return text(values[P.host]) === undefined ? [{ parameter: P.connectionUrl, message: 'Give a connection URL, or at least the server name.' }] : [];
  const scheme = dialect === 'postgresql' ? /^postgres(ql)?:\/\//i : dialect === 'mssql' ? /^(mssql|sqlserver):\/\//i : /^(mysql|mariadb):\/\//i;
  if (!scheme.test(url)) {
    const example =
      dialect === 'postgresql' ? 'postgres://user@host:5432/database' : dialect === 'mssql' ? 'mssql://user@host:1433/database' : 'mysql://user@host:3306/database';
    return [{ parameter: P.connectionUrl, message: `A ${dialect === 'mssql' ? 'SQL Server' : dialect} connection URL looks like ${example}.` }];
  }
  try {
    new URL(url);
    return [];
  } catch {
    return [{ parameter: P.connectionUrl, message: 'The connection URL is not a valid URL (percent-encode special characters).' }];
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
