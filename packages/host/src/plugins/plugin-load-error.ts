/**
 * Why a connector package cannot be used by this host. Each code is listed with its meaning and fix
 * in `docs/reference/errors.md` ("Connector packages").
 *
 * - `not-installed`: no package of that name is found, or the path does not exist.
 * - `not-a-connector`: the package has no valid `ecmahost` manifest, or its module does not default-export
 *   a connector made by `defineConnector`.
 * - `incompatible-sdk`: the package's `@ecmahost/sdk` peer dependency range excludes the SDK this host runs.
 * - `incompatible-api-version`: the package (manifest or connector object) was built for a connector API
 *   version this host does not support.
 * - `load-failed`: importing the connector module threw (a missing driver, a syntax error, ...).
 */
export type PluginLoadErrorCode = 'not-installed' | 'not-a-connector' | 'incompatible-sdk' | 'incompatible-api-version' | 'load-failed';

const PLUGIN_LOAD_ERROR = Symbol.for('ecmahost.plugin-load-error');

/** A connector package that cannot be loaded, with a stable `code` and a message written for the admin. */
export class PluginLoadError extends Error {
  /** What went wrong, for code that decides what to do next (try the next folder, roll back, ...). */
  readonly code: PluginLoadErrorCode;
  readonly [PLUGIN_LOAD_ERROR] = true;

  constructor(code: PluginLoadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginLoadError';
    this.code = code;
  }
}

/** Whether `value` is a {@link PluginLoadError} (duck-typed: several copies of the host may be loaded). */
export function isPluginLoadError(value: unknown): value is PluginLoadError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_LOAD_ERROR] === true;
}
