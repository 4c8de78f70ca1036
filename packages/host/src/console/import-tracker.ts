import type { AuditSink } from '../audit/audit-event.js';
import { auditImport } from '../audit/import-audit.js';
import type { Host } from '../host.js';
import type { ImportProgress, ImportSummary } from '../connectors/runtime.js';

/** The import a console user started, as its page shows it. */
export interface TrackedImport {
  type: 'full' | 'delta';
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  progress?: ImportProgress;
  summary?: ImportSummary;
  error?: string;
}

/**
 * Imports started from the console, one per connector, with their progress: the connector page
 * polls it while the import runs in the background.
 */
export class ImportTracker {
  readonly #imports = new Map<string, TrackedImport>();

  /** The last import started from the console for a connector, running or done. */
  get(name: string): TrackedImport | undefined {
    return this.#imports.get(name);
  }

  /** Starts an import (or reports the running one) without waiting for it. */
  start(host: Host, name: string, delta: boolean, audit: AuditSink): TrackedImport {
    const running = this.#imports.get(name);
    if (running?.state === 'running') return running;
    const tracked: TrackedImport = { type: delta ? 'delta' : 'full', state: 'running', startedAt: new Date().toISOString() };
    this.#imports.set(name, tracked);
    auditImport(audit, 'admin', name, delta ? 'delta' : 'full', host.runImport(name, { delta, onProgress: (progress) => (tracked.progress = progress) }))
      .then((summary) => {
        tracked.summary = summary;
        tracked.type = summary.type;
        tracked.state = 'completed';
      })
      .catch((error: unknown) => {
        tracked.error = (error as Error).message;
        tracked.state = 'failed';
      });
    return tracked;
  }
}
