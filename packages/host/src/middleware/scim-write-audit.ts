import type { MiddlewareHandler } from 'hono';
import type { AuditSink } from '../audit/audit-event.js';
import { auditScimWrite, scimWriteOperation } from '../audit/scim-write-audit.js';
import type { HostEnv } from '../routes/host-env.js';

// Every resource endpoint (Users, Groups, custom types), not the read-only discovery documents.
const RESOURCE_PATH = /^\/ecma2host_[^/]+\/scim\/(?!(?:schemas|resourcetypes|serviceproviderconfig)(?:\/|$))[^/]+(?:\/([^/]+))?\/?$/i;

/**
 * Records one audit line per SCIM write (POST, PUT, PATCH, DELETE on `Users`, `Groups` or a custom
 * resource type's endpoint) of an authenticated
 * caller. Refused tokens (401) and the token backoff (429) are not writes of anyone and are left
 * to the request log, so a token-guessing client cannot flood the audit file.
 */
export function scimWriteAudit(audit: AuditSink): MiddlewareHandler<HostEnv> {
  return async (c, next) => {
    const operation = scimWriteOperation(c.req.method);
    const match = operation === undefined ? null : RESOURCE_PATH.exec(c.req.path);
    if (operation === undefined || match === null) return next();
    const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    let connector: string | undefined;
    await auditScimWrite(
      audit,
      () => connector,
      { operation, requestId: c.get('requestId'), ...(id === undefined ? {} : { id }) },
      async (notes) => {
        c.set('writeNotes', notes);
        await next();
        connector = c.get('connector');
      },
      async () => {
        const status = c.res.status;
        if (status === 401 || status === 429) return undefined;
        // Only an error answer is read back, for its scimType; the error detail may quote values and is not recorded.
        const scimType = status >= 400 ? await c.res.clone().json().then((b: unknown) => scimTypeOf(b), () => undefined) : undefined;
        // Only a create's id comes from its answer (the `Location`): reading a response's headers
        // turns them into an undici `Headers`, which the others need not pay for.
        const location = id === undefined ? c.res.headers.get('location') : undefined;
        return { status, ...(location === undefined ? {} : { location }), ...(scimType === undefined ? {} : { scimType }) };
      },
    );
  };
}

function scimTypeOf(body: unknown): string | undefined {
  const scimType = (body as { scimType?: unknown } | null)?.scimType;
  return typeof scimType === 'string' ? scimType : undefined;
}
