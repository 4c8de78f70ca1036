import type { EntryError } from '@ecmahost/sdk';
import { ScimError } from '../scim/errors.js';
import type { GatewayFailure } from './export-gateway.js';

/** Seconds Entra is asked to wait before retrying after a retryable directory error. */
export const RETRY_AFTER_SECONDS = 30;

/**
 * Maps a connector's per-entry export error to the SCIM error Entra sees. The connector's message
 * is the target's own explanation (the database's or directory's), so it is passed on: it is what
 * an admin needs in Entra's provisioning logs.
 *
 * | export error | HTTP | scimType |
 * | --- | --- | --- |
 * | missing-object | 404 | — |
 * | existing-object | 409 | uniqueness |
 * | syntax-violation, invalid-provisioning-value | 400 | invalidValue |
 * | permission-issue | 403 | — |
 * | connected-directory-error (retryable or not), custom-stop-run | 503 + Retry-After | — |
 * | custom-continue-run | 400 | — |
 */
export function scimErrorOf(error: EntryError, connector: string): ScimError {
  const detail = `${connector}: ${error.message}`;
  switch (error.code) {
    case 'missing-object':
      return new ScimError(404, undefined, detail);
    case 'existing-object':
      return new ScimError(409, 'uniqueness', detail);
    case 'syntax-violation':
    case 'invalid-provisioning-value':
      return new ScimError(400, 'invalidValue', detail);
    case 'permission-issue':
      return new ScimError(403, undefined, detail);
    case 'connected-directory-error':
    case 'custom-stop-run':
      return new ScimError(503, undefined, detail, { retryAfter: RETRY_AFTER_SECONDS });
    case 'custom-continue-run':
      return new ScimError(400, undefined, detail);
  }
}

/**
 * The SCIM error for a write the gateway could not do: a refused entry as {@link scimErrorOf}; a
 * call that threw or gave no result as 503 with Retry-After (the target's state is unknown, so
 * Entra retries later); a missing capability as 501 (export) or 400 (a password given to a
 * connector without passwords).
 */
export function scimErrorOfFailure(failure: GatewayFailure, connector: string): ScimError {
  switch (failure.kind) {
    case 'rejected':
      return scimErrorOf(failure.error, connector);
    case 'unavailable':
      return new ScimError(503, undefined, `Connector ${connector} could not ${failure.action}${failure.reason === undefined ? '; see the host log' : `: ${failure.reason}`}`, {
        retryAfter: RETRY_AFTER_SECONDS,
      });
    case 'no-result':
      return new ScimError(503, undefined, `Connector ${connector} returned no result for the export.`, { retryAfter: RETRY_AFTER_SECONDS });
    case 'unsupported':
      return failure.operation === 'export' ? new ScimError(501, undefined, `Connector ${connector} does not support export.`) : noPasswordSupport(connector);
  }
}

/** The 400 for a password sent to a connector without password support (refused before anything is written). */
export function noPasswordSupport(connector: string): ScimError {
  return new ScimError(400, 'invalidValue', `Connector ${connector} does not support passwords; remove the export_password mapping.`);
}
