/**
 * Codes of the errors raised by the data directory, certificates and the CLI. Each is listed with
 * its meaning and fix in `docs/reference/errors.md` ("CLI / store").
 */
export type OpsErrorCode =
  | 'not-initialized'
  | 'already-initialized'
  | 'host-key-missing'
  | 'host-key-invalid'
  | 'wrong-host-key'
  | 'invalid-config'
  | 'invalid-name'
  | 'connector-exists'
  | 'connector-not-found'
  | 'import-target-not-empty'
  | 'invalid-export'
  | 'tls-load-failed'
  | 'host-not-running'
  | 'admin-request-failed'
  | 'invalid-argument'
  | 'connector-load-failed'
  | 'connector-failed'
  | 'file-acl-failed';

const OPS_ERROR = Symbol.for('ecmahost.ops-error');

/** An operational error with a stable `code` and a message written for the admin. */
export class OpsError extends Error {
  readonly code: OpsErrorCode;
  readonly [OPS_ERROR] = true;

  constructor(code: OpsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpsError';
    this.code = code;
  }
}

/** Whether `value` is an {@link OpsError} (duck-typed: several copies of the host may be loaded). */
export function isOpsError(value: unknown): value is OpsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OPS_ERROR] === true;
}
