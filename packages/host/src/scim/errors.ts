const SCIM_ERROR_BRAND = Symbol.for('ecmahost.scim-error');

/** The SCIM error message schema (RFC 7644 §3.12). */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** `scimType` values RFC 7644 §3.12 defines, for the statuses that carry one. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** The JSON body of a SCIM error response. `status` is a string, as RFC 7644 §3.12 requires. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

/**
 * The host's one HTTP error: thrown anywhere while a request is handled and rendered as a SCIM
 * error body by the app's single `onError`. `detail` is shown to the client, so it never holds a
 * stack trace or a secret.
 */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly detail: string;
  /** Seconds for a `Retry-After` header (503 while importing, retryable directory errors). */
  readonly retryAfter: number | undefined;
  readonly [SCIM_ERROR_BRAND] = true;

  constructor(status: number, scimType: ScimType | undefined, detail: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.retryAfter = options.retryAfter;
  }

  /** The response body. */
  toJSON(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType !== undefined) body.scimType = this.scimType;
    body.detail = this.detail;
    return body;
  }
}

/** Whether `error` is a {@link ScimError}, also from another copy of this module. */
export function isScimError(error: unknown): error is ScimError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[SCIM_ERROR_BRAND] === true;
}
