import type { AuditActor, AuditSink } from './audit-event.js';

/** What an audited import returns: only its counts are recorded. */
interface ImportOutcome {
  type: 'full' | 'delta';
  objects: number;
  durationMs: number;
}

/**
 * Records one audit line when an import someone (or the schedule) started ends: who, when it
 * started, the type it ran as, its object count, or its error code. Returns `run` unchanged, so a
 * caller keeps its own handling of the outcome.
 */
export function auditImport<T extends ImportOutcome>(audit: AuditSink, actor: AuditActor, connector: string, asked: 'full' | 'delta' | 'any', run: Promise<T>, requestId?: string): Promise<T> {
  const startedAt = new Date().toISOString();
  const base = { actor, action: 'import', connector, ...(requestId === undefined ? {} : { requestId }) };
  run.then(
    (summary) => audit.record({ ...base, result: 'ok', detail: { asked, type: summary.type, startedAt, objects: summary.objects, durationMs: Math.round(summary.durationMs) } }),
    (error: unknown) => audit.record({ ...base, result: 'failed', error: auditErrorCode(error), detail: { asked, startedAt } }),
  );
  return run;
}

/** An error's `code` when it has a string one (a ConnectorError, an ops error), else `error`: messages may quote configuration. */
export function auditErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}
