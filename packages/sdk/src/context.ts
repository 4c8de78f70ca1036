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
   * Aborted when the host stops using the instance. Long operations pass it to their driver or
   * check it between pages and end the session.
   *
   * @remarks `@ecmahost/host` hands one signal to an instance and aborts it when the instance stops
   * (host shutdown, connector changed or removed), not per request; it then closes a running import
   * with `terminatedShuttingDown`.
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

/**
 * Why a session is closed (ECMA2 `CloseReason`).
 *
 * @remarks `@ecmahost/host` closes with `normal`, `terminatedShuttingDown` (an import stopped by
 * shutdown) or `unknown` (an import that failed); it never sends `terminatedByUser`.
 */
export type CloseReason = 'normal' | 'terminatedByUser' | 'terminatedShuttingDown' | 'unknown';
