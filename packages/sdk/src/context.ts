/**
 * A structured logger (pino's call shapes). Connectors log through it so their lines carry the
 * host's connector and request fields; {@link Secret} values print as `[secret]`.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** What a host hands to every connector call. */
export interface ConnectorContext {
  log: Logger;
  /**
   * Aborted when the host stops the operation (shutdown, admin cancel, request timeout). Long
   * operations pass it to their driver or check it between pages and end with `close('terminated')`.
   */
  signal: AbortSignal;
}

/** A logger that drops everything, for tests and tools that want no output. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Why a session is closed (ECMA2 `CloseReason`). */
export type CloseReason = 'normal' | 'terminatedByUser' | 'terminatedShuttingDown' | 'unknown';
