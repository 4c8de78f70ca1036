/**
 * Who did something: a connector's SCIM token (Entra), the admin credential or a console user
 * (`admin`), the `ecmahost` CLI on the data directory (`cli`), the host's own schedule, or a
 * SIGHUP (`signal`, e.g. `systemctl reload`).
 */
export type AuditActor = `scim-token:${string}` | 'admin' | 'cli' | 'scheduler' | 'signal';

/** The SCIM write operations, by HTTP method: POST, PUT, PATCH, DELETE. */
export type ScimWriteOperation = 'create' | 'replace' | 'patch' | 'delete';

/**
 * One line of the audit file. Only names, ids, anchors, statuses and codes: never an attribute's
 * value, a password, a token or a parameter's value (docs/decisions/016-audit-trail.md).
 */
export interface AuditEvent {
  actor: AuditActor;
  /** `scim.create` ... `scim.delete`, `connector.add`, `connector.edit`, `connector.remove`, `token.rotate`, `certificate.change`, `reload`, `import`, `plugin.install`, `plugin.remove`. */
  action: string;
  connector?: string;
  /** The `X-Request-Id` of the HTTP request, when the action came through one. */
  requestId?: string;
  /** SCIM id of the object written. */
  id?: string;
  /** Anchor of the object written (identifiers such as a uid or a key column). */
  anchor?: Record<string, string | number | boolean>;
  /** Names of the attributes a write changed, `password` included when one was set; never values. */
  attributes?: string[];
  /** HTTP status of a SCIM write or an admin request. */
  status?: number;
  /** `ok`, or `failed` with `error`. */
  result?: 'ok' | 'failed';
  /** The SCIM `scimType` or the error code (an ECMA2 export error, an ops error). */
  error?: string;
  /** Small, value-free details: the import type and counts, a plugin package name, a certificate fingerprint. */
  detail?: Record<string, string | number | boolean | string[]>;
}

/** An {@link AuditEvent} with the time it was recorded (ISO 8601). */
export type AuditLine = { time: string } & AuditEvent;

/** Where audit events go. {@link AuditLog} writes them to the data directory; `NO_AUDIT` drops them. */
export interface AuditSink {
  /** Queues one event; never throws and never waits for the disk. */
  record(event: AuditEvent): void;
  /** Resolves once what was recorded so far is on disk (or counted lost): a page reading the file back sees it. */
  flush?(): Promise<void>;
}

/** The sink of hosts and tests that keep no audit file. */
export const NO_AUDIT: AuditSink = Object.freeze({ record: () => undefined });
