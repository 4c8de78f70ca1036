// The audit file writer on a real folder: lines appended as JSON, rotation at a tiny size keeping
// only `keepFiles` rotated files, a full queue dropping with a count, a broken folder counted and
// reported once without throwing at the caller.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_BATCH_MS, AuditLog } from './audit-log.js';
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

  it(`appends lines recorded together in one batch within ${AUDIT_BATCH_MS} ms, without a flush`, async () => {
    const file = path.join(dir, 'audit', 'audit.jsonl');
    const log = new AuditLog({ dir: path.join(dir, 'audit') });
    const started = Date.now();
    for (let n = 0; n < 3; n++) log.record(event(n));
    // Nothing is written in the call: the lines wait for the batch.
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    let text = '';
    while (text.split('\n').length < 4 && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      text = await readFile(file, 'utf8').catch(() => '');
    }
    // All three arrive by the timer alone, no sooner than the batch window.
    expect(text.trim().split('\n').map((l) => (JSON.parse(l) as { detail: { n: number } }).detail.n)).toEqual([0, 1, 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(AUDIT_BATCH_MS - 1);
    // A line recorded after the append gets its own batch.
    log.record(event(3));
    await log.close();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(4);
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
    // Lines recorded together wait in the queue for one append: the first 5 fill it, the rest are dropped.
    for (let n = 0; n < 20; n++) log.record(event(n));
    await log.close();
    expect(log.dropped).toBe(15);
    expect((await readAuditLines(path.join(dir, 'audit'), { limit: 100 })).map((l) => (l.detail as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
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
