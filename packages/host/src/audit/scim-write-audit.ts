import type { CSEntryChange } from '@ecmahost/sdk';
import type { AuditEvent, AuditSink, ScimWriteOperation } from './audit-event.js';

/**
 * What the export path learns about a SCIM write while it runs. The audit middleware makes one per
 * write and the route hands it down to the export gateway: passed by hand, not through an
 * `AsyncLocalStorage`, which on Node 20 puts async hooks on every promise of the process once used
 * (~4 % of every lookup's CPU after the first audited write, docs/performance.md).
 */
export interface WriteNotes {
  anchor?: Record<string, string | number | boolean>;
  attributes: Set<string>;
}

const OPERATIONS: Record<string, ScimWriteOperation> = { POST: 'create', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };

/** The SCIM operation of an HTTP method, or `undefined` for a read. */
export function scimWriteOperation(method: string): ScimWriteOperation | undefined {
  return OPERATIONS[method.toUpperCase()];
}

/**
 * Called by the export gateway with each change it sends: the anchor and the names of the changed
 * attributes (never their values) join the audit line of the SCIM write running it.
 */
export function noteAuditedChange(notes: WriteNotes, change: CSEntryChange): void {
  // A binary anchor (objectGUID, objectSid) as base64, the form the cache view shows.
  notes.anchor = Object.fromEntries(Object.entries(change.anchor).map(([name, value]) => [name, value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value]));
  for (const attributeChange of change.attributeChanges) notes.attributes.add(attributeChange.name);
}

/** Called by the export gateway when a write sets a password: its name, never its value, is recorded. */
export function noteAuditedPassword(notes: WriteNotes): void {
  notes.attributes.add('password');
}

/** The request a SCIM write came in: what the route knows before it runs. */
export interface ScimWriteRequest {
  operation: ScimWriteOperation;
  requestId?: string;
  /** The id in the URL (PUT, PATCH, DELETE). */
  id?: string;
}

/** The answer, read after the handler (or the error renderer) made it. */
export interface ScimWriteAnswer {
  status: number;
  /** The `Location` of a created object, whose last segment is its id. */
  location?: string | null;
  /** The `scimType` of an error answer. */
  scimType?: string;
}

/**
 * Runs one SCIM write with a place for the export path's notes (`run` hands them down), then
 * records its audit line: for the connector the request authenticated to (`connector()` once
 * `run` is done), unless `answer` says the request is no one's write (`undefined`). The record is
 * queued, never awaited: the audit file cannot slow or fail the request.
 */
export async function auditScimWrite(
  audit: AuditSink,
  connector: () => string | undefined,
  request: ScimWriteRequest,
  run: (notes: WriteNotes) => Promise<void>,
  answer: () => Promise<ScimWriteAnswer | undefined>,
): Promise<void> {
  const notes: WriteNotes = { attributes: new Set() };
  await run(notes);
  const name = connector();
  if (name === undefined) return;
  const answered = await answer();
  if (answered === undefined) return;
  const { status, location, scimType } = answered;
  const id = request.id ?? (location ? decodeURIComponent(location.slice(location.lastIndexOf('/') + 1)) : undefined);
  const event: AuditEvent = {
    actor: `scim-token:${name}`,
    action: `scim.${request.operation}`,
    connector: name,
    ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
    ...(id === undefined ? {} : { id }),
    ...(notes.anchor === undefined ? {} : { anchor: notes.anchor }),
    attributes: [...notes.attributes].sort(),
    status,
    result: status < 400 ? 'ok' : 'failed',
    ...(status >= 400 ? { error: scimType ?? String(status) } : {}),
  };
  audit.record(event);
}
