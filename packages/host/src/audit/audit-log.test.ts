// The audit file writer on a real folder: lines appended as JSON, rotation at a tiny size keeping
// only `keepFiles` rotated files, a full queue dropping with a count, a broken folder counted and
// reported once without throwing at the caller.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log.js';
import { readAuditLines } from './read-audit.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost audit '));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const event = (n: number) => ({ actor: 'admin' as const, action: 'reload', detail: { n } });

describe('AuditLog', () => {
  it('appends one JSON line per event, with its time, in order', async () => {
    const log = new AuditLog({ dir: path.join(dir, 'audit') });
    for (let n = 0; n < 3; n++) log.record(event(n));
    await log.close();
    const lines = (await readFile(path.join(dir, 'audit', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => (l.detail as { n: number }).n)).toEqual([0, 1, 2]);
    expect(lines[0]).toMatchObject({ actor: 'admin', action: 'reload' });
    expect(Date.parse(String(lines[0]?.time))).not.toBeNaN();
  });

  it('rotates past the size limit and keeps only keepFiles rotated files; the tail reads across them', async () => {
    const audit = path.join(dir, 'audit');
    const log = new AuditLog({ dir: audit, maxFileBytes: 200, keepFiles: 2 });
    // One line is about 80 bytes: two fit a file; awaiting each keeps one line per append.
    for (let n = 0; n < 12; n++) {
      log.record(event(n));
      await log.flush();
    }
    await log.close();
    expect((await readdir(audit)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2']);
    for (const file of await readdir(audit)) expect((await readFile(path.join(audit, file))).length).toBeLessThanOrEqual(200);
    const kept = await readAuditLines(audit, { limit: 100 });
    // The newest lines survive, oldest first, without gaps.
    const numbers = kept.map((l) => (l.detail as { n: number }).n);
    expect(numbers.at(-1)).toBe(11);
    expect(numbers).toEqual(numbers.map((_, i) => 12 - numbers.length + i));
    expect((await readAuditLines(audit, { limit: 3 })).map((l) => (l.detail as { n: number }).n)).toEqual([9, 10, 11]);
  });

  it('drops what does not fit the queue and counts it, instead of growing', async () => {
    const log = new AuditLog({ dir: path.join(dir, 'audit'), queueLimit: 5 });
    // The first record starts the writer with it; the next 5 fill the queue; the rest are dropped.
    for (let n = 0; n < 20; n++) log.record(event(n));
    await log.close();
    expect(log.dropped).toBe(14);
    expect((await readAuditLines(path.join(dir, 'audit'), { limit: 100 })).length).toBe(6);
  });

  it('counts lines it cannot write (a file where its folder should be) and reports the error once', async () => {
    await writeFile(path.join(dir, 'audit'), 'not a folder');
    const errors: Error[] = [];
    const log = new AuditLog({ dir: path.join(dir, 'audit'), onError: (error) => errors.push(error) });
    for (let n = 0; n < 3; n++) {
      expect(() => log.record(event(n))).not.toThrow();
      await log.flush();
    }
    await log.close();
    expect(log.failed).toBe(3);
    expect(errors).toHaveLength(1);
    expect(await readFile(path.join(dir, 'audit'), 'utf8')).toBe('not a folder');
  });
});
