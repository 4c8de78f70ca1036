import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The media type of every SCIM response (RFC 7644 §3.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * A SCIM JSON response built without a context. Headers set on the context (the request id) are
 * not carried by it, so routes use {@link scimBody}; this one is for callers that have no context
 * headers to keep.
 */
export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } });
}

/**
 * A SCIM JSON response built through the Hono context, so the headers middleware set before the
 * handler ran (`x-request-id`) are part of it. Setting a header after the response exists would
 * make Hono copy it into a streamed response, which costs @hono/node-server its fast path.
 */
export function scimBody(c: Context, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return scimText(c, JSON.stringify(body), status, headers);
}

/** {@link scimBody} for a body already written as JSON text. */
export function scimText(c: Context, text: string, status = 200, headers: Record<string, string> = {}): Response {
  return c.body(text, status as ContentfulStatusCode, { 'content-type': SCIM_CONTENT_TYPE, ...headers });
}
