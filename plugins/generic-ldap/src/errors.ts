import type { EntryError } from '@ecmahost/sdk';
import { ConnectorError } from '@ecmahost/sdk';

/** LDAP result codes (RFC 4511 §4.1.9) by the names admins see in server logs and docs. */
export const RESULT_NAMES: Readonly<Record<number, string>> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  4: 'sizeLimitExceeded',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  11: 'adminLimitExceeded',
  12: 'unavailableCriticalExtension',
  13: 'confidentialityRequired',
  16: 'noSuchAttribute',
  17: 'undefinedAttributeType',
  18: 'inappropriateMatching',
  19: 'constraintViolation',
  20: 'attributeOrValueExists',
  21: 'invalidAttributeSyntax',
  32: 'noSuchObject',
  34: 'invalidDNSyntax',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  54: 'loopDetect',
  64: 'namingViolation',
  65: 'objectClassViolation',
  66: 'notAllowedOnNonLeaf',
  67: 'notAllowedOnRDN',
  68: 'entryAlreadyExists',
  69: 'objectClassModsProhibited',
  80: 'other',
};

const ERROR_BRAND = Symbol.for('ecmahost.generic-ldap.operation-error');

/**
 * A failed LDAP operation as the connector's pure code sees it: the result code and the server's
 * diagnostic message, or a transport failure (connection refused or lost, TLS, timeout) without a
 * result code. `client.ts` turns every ldapts error into one.
 */
export class LdapOperationError extends Error {
  readonly [ERROR_BRAND] = true;
  /** The LDAP result code; absent for a transport failure. */
  readonly resultCode: number | undefined;
  /** The server's diagnostic message, or the transport error's message. */
  readonly diagnostic: string;
  /** Whether the failure is of the connection rather than of the operation. */
  readonly transport: boolean;

  constructor(options: { resultCode?: number; diagnostic: string; transport?: boolean; operation: string; cause?: unknown }) {
    const name = options.resultCode === undefined ? 'connection failure' : `${RESULT_NAMES[options.resultCode] ?? 'result'} (${String(options.resultCode)})`;
    super(`${options.operation}: ${name}${options.diagnostic ? `: ${options.diagnostic}` : ''}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LdapOperationError';
    this.resultCode = options.resultCode;
    this.diagnostic = options.diagnostic;
    this.transport = options.transport ?? options.resultCode === undefined;
  }
}

/** Whether `error` is an {@link LdapOperationError}. */
export function isLdapOperationError(error: unknown): error is LdapOperationError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/**
 * A value the connector cannot use (a bad DN, a DN outside the containers, an unknown type, a value
 * of the wrong type), found before anything is sent to the server.
 */
export class ProvisioningError extends Error {
  /** The attribute at fault, when one is. */
  readonly attribute: string | undefined;

  constructor(message: string, options: { attribute?: string } = {}) {
    super(message);
    this.name = 'ProvisioningError';
    this.attribute = options.attribute;
  }
}

const SYNTAX = new Set([16, 17, 19, 20, 21, 34, 64, 65, 67, 69]);
const RETRYABLE = new Set([3, 51, 52]);

/**
 * The per-entry export error for a failed operation (ECMA2 `MAExportError`): entryAlreadyExists →
 * `existing-object`, noSuchObject → `missing-object`, schema and value problems →
 * `syntax-violation` with the server's message, insufficientAccessRights → `permission-issue`,
 * busy, unavailable, timeouts and lost connections → retryable `connected-directory-error`; a
 * {@link ProvisioningError} → `invalid-provisioning-value`.
 */
export function entryErrorOf(error: unknown): EntryError {
  if (error instanceof ProvisioningError) {
    return error.attribute === undefined ? { code: 'invalid-provisioning-value', message: error.message } : { code: 'invalid-provisioning-value', message: error.message, attribute: error.attribute };
  }
  if (!isLdapOperationError(error)) {
    return { code: 'connected-directory-error', message: error instanceof Error ? error.message : String(error) };
  }
  const message = error.message;
  const code = error.resultCode;
  if (code === undefined || error.transport) return { code: 'connected-directory-error', message, retryable: true };
  if (code === 68) return { code: 'existing-object', message };
  if (code === 32) return { code: 'missing-object', message };
  if (SYNTAX.has(code)) return { code: 'syntax-violation', message };
  if (code === 50 || code === 8 || code === 13) return { code: 'permission-issue', message };
  if (RETRYABLE.has(code)) return { code: 'connected-directory-error', message, retryable: true };
  return { code: 'connected-directory-error', message };
}

/**
 * The whole-operation error for a failure outside an export entry (test connection, discovery,
 * import), in words an admin can act on.
 */
export function connectorErrorOf(error: unknown, what: string): ConnectorError {
  if (!isLdapOperationError(error)) {
    return new ConnectorError('internal', `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const code = error.resultCode;
  if (code === 49 || code === 48) {
    return new ConnectorError('authentication-failed', `${what}: the server refused the credentials (${error.diagnostic || 'invalidCredentials'}). Check the bind DN and password, or the client certificate.`, { cause: error });
  }
  if (code === 7) return new ConnectorError('authentication-failed', `${what}: the server does not support this bind method (${error.diagnostic}).`, { cause: error });
  if (code === 8 || code === 13) {
    return new ConnectorError('connection-failed', `${what}: the server requires an encrypted connection (${error.diagnostic}). Use ldaps:// or StartTLS.`, { cause: error });
  }
  if (code === undefined || error.transport) return new ConnectorError('server-down', `${what}: ${error.diagnostic}`, { cause: error });
  if (code === 51 || code === 52 || code === 3) return new ConnectorError('server-down', `${what}: ${error.message}`, { cause: error });
  return new ConnectorError('internal', `${what}: ${error.message}`, { cause: error });
}
