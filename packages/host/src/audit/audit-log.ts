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
/**
 * Most milliseconds a recorded line waits before it is appended. An append costs ~40 µs of CPU
 * and a thread-pool trip whatever it carries; one per line was ~10 % of a SCIM write's CPU at 8
 * clients (docs/performance.md), so lines recorded within this window share one append.
 */
export const AUDIT_BATCH_MS = 25;

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
  #timer: NodeJS.Timeout | undefined;
  #handle: FileHandle | undefined;
  /**
   * The open file's size: read once when it is opened, then counted, so that a batch costs one
   * append rather than a `stat` and an append. The host owns the file; one changed behind its back
   * is measured again after the next reopen (a failed write, a rotation, a restart).
   */
  #size = 0;
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
    this.#schedule();
  }

  /** Resolves once every line queued so far was written (or counted as failed). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#writing ??= this.#drain();
      }
      if (this.#writing === undefined) return;
      await this.#writing;
    }
  }

  /** Appends the queue {@link AUDIT_BATCH_MS} from now, unless an append is running or due (it takes what is queued). */
  #schedule(): void {
    if (this.#writing !== undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#writing ??= this.#drain();
    }, AUDIT_BATCH_MS);
  }

  /** Writes what is queued and closes the file; later records are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
  }

  /** Appends what is queued in one batch; lines queued meanwhile wait for the next window. */
  async #drain(): Promise<void> {
    if (this.#queue.length > 0) {
      const lines = this.#queue;
      this.#queue = [];
      const text = lines.join('');
      try {
        const bytes = Buffer.byteLength(text);
        let handle = await this.#open();
        if (this.#size > 0 && this.#size + bytes > this.#options.maxFileBytes) {
          await this.#rotate();
          handle = await this.#open();
        }
        await handle.appendFile(text);
        this.#size += bytes;
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
    if (this.#queue.length > 0) this.#schedule();
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle === undefined) {
      await mkdir(this.#options.dir, { recursive: true, mode: 0o700 });
      const handle = await open(this.file, 'a', 0o600);
      try {
        this.#size = (await handle.stat()).size;
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
      this.#handle = handle;
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
