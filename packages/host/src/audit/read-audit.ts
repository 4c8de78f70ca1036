import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AuditLine } from './audit-event.js';
import { AUDIT_FILE } from './audit-log.js';

/** The audit folder of a data directory. */
export function auditDir(dataDir: string): string {
  return path.join(dataDir, 'audit');
}

/** What {@link readAuditLines} keeps. */
export interface AuditQuery {
  /** The last `limit` matching lines. */
  limit: number;
  connector?: string;
}

/**
 * The last lines of the audit trail, oldest first, across the rotated files (`audit.jsonl.N` ...
 * `audit.jsonl`). A line that is not JSON (a torn write after a crash) is skipped; a missing
 * folder is an empty trail.
 */
export async function readAuditLines(dir: string, query: AuditQuery): Promise<AuditLine[]> {
  const found: AuditLine[] = [];
  // Newest file first, so that a short tail reads one file.
  for (let n = 0; found.length < query.limit; n++) {
    const file = path.join(dir, n === 0 ? AUDIT_FILE : `${AUDIT_FILE}.${n}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
      throw error;
    }
    const lines = parseLines(text).filter((l) => query.connector === undefined || l.connector === query.connector);
    found.unshift(...lines.slice(Math.max(0, lines.length - (query.limit - found.length))));
  }
  return found;
}

/** The audit lines of a text (complete lines only; others skipped). */
export function parseLines(text: string): AuditLine[] {
  const out: AuditLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as AuditLine).action === 'string') out.push(parsed as AuditLine);
    } catch {
      // A torn last line: the next read sees it whole.
    }
  }
  return out;
}

/** The current audit file's size and inode (0 and 0 when missing): where a follower reads from, and whether the file was rotated. */
export async function auditFileState(dir: string): Promise<{ size: number; ino: number }> {
  try {
    const { size, ino } = await stat(path.join(dir, AUDIT_FILE));
    return { size, ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, ino: 0 };
    throw error;
  }
}

/** One line as `audit tail` prints it: time, actor, action, connector, id, attributes, result. */
export function formatAuditLine(line: AuditLine): string {
  const parts = [line.time, line.actor, line.action];
  if (line.connector !== undefined) parts.push(line.connector);
  if (line.id !== undefined) parts.push(`id=${line.id}`);
  if (line.attributes !== undefined && line.attributes.length > 0) parts.push(`attributes=${line.attributes.join(',')}`);
  if (line.detail !== undefined) parts.push(Object.entries(line.detail).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' '));
  parts.push(line.result === 'failed' ? `FAILED ${line.status ?? ''} ${line.error ?? ''}`.trim() : line.status === undefined ? 'ok' : `ok ${line.status}`);
  return parts.join('  ');
}
