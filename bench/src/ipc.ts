import type { ConnectorStatus } from '@ecmahost/host';
import type { ConnectorPlan } from './connectors.js';

/** What the host process is started with (environment variable `BENCH_HOST`, JSON). */
export interface HostChildConfig {
  connectors: ConnectorPlan[];
  /** The SCIM bearer token of every connector. */
  token: string;
  /**
   * Its hash (`hashToken`), made by the bench: `ecmahost serve` reads it from the data directory
   * and never hashes at start (a scrypt, about 0.1 s, that a restart's time must not include).
   */
  tokenHash: string;
  /** Where the host keeps watermarks and connector space snapshots; none kept when absent. */
  stateDir?: string;
  /** Where the host appends its audit trail (one line per SCIM write), as `serve` does in its data directory. */
  auditDir: string;
}

/** What the HTTP floor writes to (environment variable `BENCH_FLOOR`, JSON). */
export type FloorTarget =
  | { kind: 'sql'; pgUrl: string; table: string; poolSize: number }
  | { kind: 'ldap'; server: { url: string; caPem: string; bindDn: string; bindPassword: string }; peopleDn: string; poolSize: number };

/** Requests the bench sends to the host process. */
export type HostRequest =
  | { id: number; cmd: 'wait-ready'; name: string }
  | { id: number; cmd: 'import'; name: string }
  | { id: number; cmd: 'memory'; name: string }
  | { id: number; cmd: 'status'; name: string }
  | { id: number; cmd: 'cpu' }
  | { id: number; cmd: 'profile-start' }
  | { id: number; cmd: 'profile-stop'; file: string }
  | { id: number; cmd: 'stop' };

/** What the host process answers (or announces, with id 0). */
export type HostReply =
  | { id: 0; kind: 'listening'; port: number }
  | { id: number; kind: 'ready'; cacheSize: number; importMs: number | undefined }
  | { id: number; kind: 'imported'; ms: number; objects: number; cacheSize: number; peakRssBytes: number }
  | { id: number; kind: 'memory'; objects: number; heapBefore: number; heapWithCache: number; heapAfterRemove: number; peakRssBytes: number }
  | { id: number; kind: 'status'; status: ConnectorStatus }
  | { id: number; kind: 'stopped' }
  | { id: number; kind: 'profiled' }
  /** The CPU time (user and system, all threads) the process has used since it started. */
  | { id: number; kind: 'cpu'; micros: number }
  | { id: number; kind: 'error'; message: string };
