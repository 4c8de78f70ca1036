import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent, AuditSink } from './audit-event.js';

/** The audit file's name in its folder; rotated files add `.1` (newest) to `.<keepFiles>`. */
export const AUDIT_FILE = 'audit.jsonl';
/** Default size at which the audit file is rotated. */
export const DEFAULT_AUDIT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Default number of rotated files kept besides the current one. */
export const DEFAULT_AUDIT_KEEP_FILES = 5;
/**
 * Lines waiting for the disk before new ones are dropped: far above what a burst of SCIM writes
 * queues while one append runs, small enough (a few MB) that a stuck disk cannot grow the host.
 */
export const DEFAULT_AUDIT_QUEUE_LIMIT = 10_000;

/** Options of {@link AuditLog}. */
export interface AuditLogOptions {
  /** The folder of the audit file (`<data dir>/audit`), created owner-only when missing. */
  dir: string;
  maxFileBytes?: number;
  keepFiles?: number;
  queueLimit?: number;
  /** Hears the first write error (and the first after writes worked again), to log it once, not per line. */
  onError?: (error: Error) => void;
}

/**
 * The append-only audit file: JSON lines, size-rotated, bounded. {@link record} only queues;
 * one writer appends the queue in batches, so a slow or broken disk never holds up or fails the
 * request being audited. What cannot be written is counted ({@link failed}); what does not fit
 * the queue is dropped and counted ({@link dropped}).
 */
export class AuditLog implements AuditSink {
  readonly file: string;
  readonly #options: Required<Omit<AuditLogOptions, 'onError'>> & { onError: ((error: Error) => void) | undefined };
  #queue: string[] = [];
  #writing: Promise<void> | undefined;
  #handle: FileHandle | undefined;
  #dropped = 0;
  #failed = 0;
  #failing = false;
  #closed = false;

  constructor(options: AuditLogOptions) {
    this.#options = {
      dir: options.dir,
      maxFileBytes: options.maxFileBytes ?? DEFAULT_AUDIT_MAX_FILE_BYTES,
      keepFiles: options.keepFiles ?? DEFAULT_AUDIT_KEEP_FILES,
      queueLimit: options.queueLimit ?? DEFAULT_AUDIT_QUEUE_LIMIT,
      onError: options.onError,
    };
    this.file = path.join(options.dir, AUDIT_FILE);
  }

  /** Lines dropped because the queue was full (the disk too slow or stuck). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Lines lost to write errors (a read-only or missing folder, a full disk). */
  get failed(): number {
    return this.#failed;
  }

  record(event: AuditEvent): void {
    if (this.#closed) return;
    if (this.#queue.length >= this.#options.queueLimit) {
      this.#dropped++;
      return;
    }
    this.#queue.push(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
    this.#writing ??= this.#drain();
  }

  /** Resolves once every line queued so far was written (or counted as failed). */
  async flush(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
  }

  /** Writes what is queued and closes the file; later records are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const lines = this.#queue;
      this.#queue = [];
      const text = lines.join('');
      try {
        const handle = await this.#open();
        const size = (await handle.stat()).size;
        if (size > 0 && size + Buffer.byteLength(text) > this.#options.maxFileBytes) await this.#rotate();
        await (await this.#open()).appendFile(text);
        this.#failing = false;
      } catch (error) {
        this.#failed += lines.length;
        await this.#handle?.close().catch(() => undefined);
        this.#handle = undefined;
        if (!this.#failing) this.#options.onError?.(error as Error);
        this.#failing = true;
      }
    }
    this.#writing = undefined;
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle === undefined) {
      await mkdir(this.#options.dir, { recursive: true, mode: 0o700 });
      this.#handle = await open(this.file, 'a', 0o600);
    }
    return this.#handle;
  }

  /** `audit.jsonl` becomes `audit.jsonl.1`, `.1` becomes `.2` ..., the oldest beyond `keepFiles` is removed. */
  async #rotate(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    const keep = this.#options.keepFiles;
    await rm(`${this.file}.${keep}`, { force: true });
    for (let n = keep - 1; n >= 1; n--) await rename(`${this.file}.${n}`, `${this.file}.${n + 1}`).catch(ignoreMissing);
    if (keep > 0) await rename(this.file, `${this.file}.1`);
    else await rm(this.file, { force: true });
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
