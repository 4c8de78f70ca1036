/**
 * One-at-a-time per key, at most `limit` at a time in all: the writes of one connector. Work on the
 * same object (the same key) runs in arrival order, so a duplicate check and the export it guards
 * cannot interleave with another request for that object; work on different objects runs side by
 * side, up to the limit, so a burst cannot put every request of it in flight against the target at
 * once (see docs/decisions/009-concurrent-exports.md).
 */
export class KeyedLock {
  /** Per key, the promise the next arrival for that key waits for (resolved when the last one ends). */
  readonly #tails = new Map<string, Promise<void>>();
  /** Slot waiters, first come first served. */
  readonly #waiting: (() => void)[] = [];
  readonly #limit: number;
  #active = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the limit of a KeyedLock must be a positive integer (got ${String(limit)})`);
    this.#limit = limit;
  }

  /** Runs `work` once every earlier holder of `key` has finished and a slot is free. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#tails.set(key, mine);
    try {
      // A waiter for the key holds no slot, so holders of slots never wait on one another.
      if (previous !== undefined) await previous;
      const slot = this.#acquire();
      if (slot !== undefined) await slot;
      try {
        return await work();
      } finally {
        this.#releaseSlot();
      }
    } finally {
      release();
      if (this.#tails.get(key) === mine) this.#tails.delete(key);
    }
  }

  /** Keys with work running or waiting (for tests and status). */
  get size(): number {
    return this.#tails.size;
  }

  #acquire(): Promise<void> | undefined {
    if (this.#active < this.#limit) {
      this.#active++;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #releaseSlot(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter, so the count stays as it is.
    if (next !== undefined) next();
    else this.#active--;
  }
}
