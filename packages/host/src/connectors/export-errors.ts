import type { EntryError } from '@ecmahost/sdk';
import { ScimError } from '../scim/errors.js';

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
