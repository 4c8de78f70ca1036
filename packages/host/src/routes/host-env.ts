import type { WriteNotes } from '../audit/scim-write-audit.js';
import type { ConnectorRuntime } from '../connectors/runtime.js';
import type { UserOperations } from '../connectors/user-operations.js';

/** The Hono environment of the host app: what middleware leaves for handlers. */
export interface HostEnv {
  Variables: {
    requestId: string;
    /** The connector a request addressed, once known (for logs and metrics). */
    connector: string;
    /** The audit notes of a SCIM write, set by the audit middleware for the route to hand to the export path. */
    writeNotes: WriteNotes;
  };
}

/** A served connector, as the routes see it. */
export interface ServedConnector {
  runtime: ConnectorRuntime;
  /** The operations of the configuration's top-level object type (its Users, in most configurations). */
  users: UserOperations;
  /** The operations of every served object type, the top-level one first. */
  resources: readonly UserOperations[];
}

/** Looks up served connectors by their case-sensitive name. */
export type ConnectorLookup = (name: string) => ServedConnector | undefined;
