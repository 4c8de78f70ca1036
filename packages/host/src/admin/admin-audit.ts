import type { MiddlewareHandler } from 'hono';
import type { AuditActor, AuditEvent, AuditSink } from '../audit/audit-event.js';

/** The header the `ecmahost` CLI sends with its `/admin` requests, so the audit file tells its actions from other admin clients'. */
export const CLIENT_HEADER = 'x-ecmahost-client';

/** Who an authenticated `/admin` request acts for: the CLI when it says so, else the admin credential. */
export function adminActor(clientHeader: string | undefined): AuditActor {
  return clientHeader === 'cli' ? 'cli' : 'admin';
}

/**
 * Records one audit line per changing `/admin` request once it is answered: a connector added
 * (201) or edited (`PUT`), removed (`DELETE`), a reload with the names it changed. Imports are
 * recorded by the import route when they end. Runs after the credential check: refused requests
 * are no one's action.
 */
export function adminAudit(audit: AuditSink): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const method = c.req.method.toUpperCase();
    const connector = /^\/admin\/connectors\/([^/]+)$/.exec(c.req.path)?.[1];
    let action: string | undefined;
    if (connector !== undefined && method === 'PUT') action = c.res.status === 201 ? 'connector.add' : 'connector.edit';
    else if (connector !== undefined && method === 'DELETE') action = 'connector.remove';
    else if (c.req.path === '/admin/reload' && method === 'POST') action = 'reload';
    if (action === undefined) return;
    const status = c.res.status;
    const event: AuditEvent = { actor: adminActor(c.req.header(CLIENT_HEADER)), action, status, result: status < 400 ? 'ok' : 'failed' };
    if (connector !== undefined) event.connector = decodeURIComponent(connector);
    const requestId = requestIdOf(c.var);
    if (requestId !== undefined) event.requestId = requestId;
    if (action === 'reload' && status < 400) {
      const answer = (await c.res.clone().json().catch(() => ({}))) as { reloaded?: unknown; failed?: { name?: unknown }[]; certificate?: { fingerprint256?: unknown } };
      event.detail = {
        reloaded: Array.isArray(answer.reloaded) ? answer.reloaded.map(String) : [],
        failed: Array.isArray(answer.failed) ? answer.failed.map((f) => String(f.name)) : [],
        ...(typeof answer.certificate?.fingerprint256 === 'string' ? { certificate: answer.certificate.fingerprint256 } : {}),
      };
    }
    audit.record(event);
  };
}

/** The request id the host's request log gave the request (the admin routes are mounted on the host app). */
export function requestIdOf(variables: object): string | undefined {
  const id = (variables as { requestId?: unknown }).requestId;
  return typeof id === 'string' ? id : undefined;
}
