/**
 * Codes of {@link ScaffoldError}:
 * - `invalid-argument`: a flag or answer is malformed (a bad package name, an unknown capability);
 * - `target-not-empty`: the target folder has files and `--force` was not given;
 * - `cancelled`: the user cancelled a prompt (Ctrl+C);
 * - `template-error`: the template itself is broken (an unbalanced `#if` marker), a bug of this package.
 */
export type ScaffoldErrorCode = 'invalid-argument' | 'target-not-empty' | 'cancelled' | 'template-error';

/** The one error the scaffolder throws for expected failures; the CLI prints its message and exits 1. */
export class ScaffoldError extends Error {
  readonly code: ScaffoldErrorCode;

  constructor(code: ScaffoldErrorCode, message: string) {
    super(message);
    this.name = 'ScaffoldError';
    this.code = code;
  }
}

/** Whether `error` is a {@link ScaffoldError}; checked by `name` and `code` so any copy of this package is recognised. */
export function isScaffoldError(error: unknown): error is ScaffoldError {
  return error instanceof Error && error.name === 'ScaffoldError' && typeof (error as { code?: unknown }).code === 'string';
}
