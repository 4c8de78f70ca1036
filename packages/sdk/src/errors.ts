const ERROR_BRAND = Symbol.for('ecmahost.connector-error');

/**
 * Codes of {@link ConnectorError}: failures of a whole operation, as opposed to the per-entry
 * results an export returns.
 *
 * - `invalid-configuration`: parameter values are missing or wrong; the message names the parameter.
 * - `connection-failed`: the target system could not be reached (DNS, refused, TLS, timeout).
 * - `authentication-failed`: the target refused the credentials.
 * - `not-supported`: the operation is not offered by this connector or configuration.
 * - `unsupported-api-version`: a host and a connector do not share a contract version.
 * - `invalid-watermark`: a delta import was given a watermark the connector cannot use; run a full import.
 * - `server-down`: the target stopped answering during the operation; retrying later may work.
 * - `stop-run`: the connector asks the host to stop the current run (ECMA2 `ExportErrorCustomStopRun`).
 * - `internal`: anything else; the cause holds the original error.
 */
export type ConnectorErrorCode =
  | 'invalid-configuration'
  | 'connection-failed'
  | 'authentication-failed'
  | 'not-supported'
  | 'unsupported-api-version'
  | 'invalid-watermark'
  | 'server-down'
  | 'stop-run'
  | 'internal';

/** Every {@link ConnectorErrorCode}, for hosts and tools that list or map them. */
export const CONNECTOR_ERROR_CODES: readonly ConnectorErrorCode[] = [
  'invalid-configuration',
  'connection-failed',
  'authentication-failed',
  'not-supported',
  'unsupported-api-version',
  'invalid-watermark',
  'server-down',
  'stop-run',
  'internal',
];

/** Options of {@link ConnectorError}. */
export interface ConnectorErrorOptions {
  /** The error that caused this one (a driver error). Never rendered to SCIM clients. */
  cause?: unknown;
  /**
   * The parameter the error is about, for `invalid-configuration`.
   *
   * @remarks `@ecmahost/host` shows the message only: name the parameter in it too.
   */
  parameter?: string;
}

/**
 * The one error class of the contract. Connectors throw it for failures of a whole operation
 * (test connection, opening a session, a lost connection); expected failures of a single entry are
 * returned as results instead. Hosts recognise it with {@link isConnectorError}, not `instanceof`.
 */
export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly parameter: string | undefined;
  readonly [ERROR_BRAND] = true;

  constructor(code: ConnectorErrorCode, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.parameter = options.parameter;
  }
}

/** Whether `error` is a {@link ConnectorError} from any copy of the SDK. */
export function isConnectorError(error: unknown): error is ConnectorError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[ERROR_BRAND] === true;
}
