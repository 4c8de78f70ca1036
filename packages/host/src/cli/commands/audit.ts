import { open } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent } from '../../audit/audit-event.js';
import { AUDIT_FILE, AuditLog } from '../../audit/audit-log.js';
import { auditDir, auditFileState, formatAuditLine, parseLines, readAuditLines } from '../../audit/read-audit.js';
import type { AuditLine } from '../../audit/audit-event.js';
import { OpsError } from '../../store/errors.js';
import type { CliContext } from '../context.js';
import { say, warn } from '../context.js';

/** How often `audit tail --follow` looks for new lines. */
const FOLLOW_INTERVAL_MS = 500;

/**
 * Records what a CLI command changed in the data directory, as actor `cli`. The command waits for
 * the line (it is not a SCIM request); a line that cannot be written is a warning, never a failure
 * of a change already made.
 */
export async function recordCliAction(ctx: CliContext, dataDir: string, event: Omit<AuditEvent, 'actor'>): Promise<void> {
  const log = new AuditLog({ dir: auditDir(dataDir), onError: (error) => warn(ctx, `warning: the change is made, but the audit file could not record it: ${error.message}`) });
  log.record({ actor: 'cli', ...event });
  await log.close();
}

/** `ecmahost audit tail [-n N] [--follow] [--connector X] [--json]`. */
export async function auditTailCommand(ctx: CliContext, dataDir: string, flags: { lines?: string; follow?: boolean; connector?: string; json?: boolean }): Promise<void> {
  const limit = flags.lines === undefined ? 20 : Number(flags.lines);
  if (!Number.isInteger(limit) || limit < 0) throw new OpsError('invalid-argument', `-n must be a whole number of lines, got "${flags.lines}".`);
  const dir = auditDir(dataDir);
  const show = (line: AuditLine) => say(ctx, flags.json === true ? JSON.stringify(line) : formatAuditLine(line));
  const wanted = (line: AuditLine) => flags.connector === undefined || line.connector === flags.connector;
  let { size: offset, ino } = await auditFileState(dir);
  for (const line of await readAuditLines(dir, { limit, ...(flags.connector === undefined ? {} : { connector: flags.connector }) })) show(line);
  if (flags.follow !== true) return;
  // Polling, not fs.watch: it behaves the same on every platform. A rotation shows as another file
  // (another inode, or a smaller file where inodes are not kept): read it from its start.
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_INTERVAL_MS));
    const now = await auditFileState(dir);
    if (now.ino !== ino || now.size < offset) offset = 0;
    ino = now.ino;
    const size = now.size;
    if (size === offset) continue;
    const handle = await open(path.join(dir, AUDIT_FILE), 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      // Only complete lines: a line being written is read whole on the next round.
      const end = buffer.lastIndexOf(0x0a) + 1;
      offset += end;
      for (const line of parseLines(buffer.subarray(0, end).toString('utf8'))) if (wanted(line)) show(line);
    } finally {
      await handle.close();
    }
  }
}
