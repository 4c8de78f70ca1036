import type { Context } from 'hono';
import type { Logger } from 'pino';
import { ScimError, isScimError } from '../scim/errors.js';
import { scimBody } from './scim-response.js';

/**
 * The app's one `onError`: every error becomes a SCIM error body. A `ScimError` is rendered as
 * is (with `Retry-After` when it carries one); anything else is a 500 whose detail names the
 * request id only, so no stack trace, driver message or secret reaches the client. The log line
 * carries the message, never the stack.
 */
export function handleError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const requestId = (c.get('requestId') as string | undefined) ?? '-';
    if (isScimError(error)) {
      const headers: Record<string, string> = {};
      if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
      if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="ecmahost"';
      return scimBody(c, error.toJSON(), error.status, headers);
    }
    logger.error({ requestId, err: { type: error.name, message: error.message } }, 'request failed');
    const internal = new ScimError(500, undefined, `Internal error in the host; see its log for request ${requestId}.`);
    return scimBody(c, internal.toJSON(), 500);
  };
}
