/** Creates the host remembers as unfinished, at most; the oldest is forgotten past it. */
export const MAX_UNFINISHED_ADDS = 10_000;

/** How long an unfinished create is remembered: 24 hours, longer than Entra keeps retrying a failed POST. */
export const UNFINISHED_ADD_TTL_MS = 24 * 60 * 60 * 1000;

/** What is known of a create that did not finish: no id when its outcome is unknown, else the added object's id. */
export interface UnfinishedAdd {
  id?: string;
}

/**
 * The creates of one connector that did not finish, by lock key, so that Entra's retry of the POST
 * finishes them instead of answering 409. Each failed POST that is never retried would otherwise
 * stay for the life of the host (issue 15, finding 9), so the memory holds at most
 * {@link MAX_UNFINISHED_ADDS} entries, each for {@link UNFINISHED_ADD_TTL_MS}. A forgotten create
 * costs only its retry's convenience: the retry then gets the 409 of an object that exists.
 */
export class UnfinishedAdds {
  // Insertion order is age order: set() re-inserts, so the oldest entry is always the first.
  readonly #entries = new Map<string, { add: UnfinishedAdd; at: number }>();

  /** The unfinished create under `key`, unless it expired. */
  get(key: string): UnfinishedAdd | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() - entry.at < UNFINISHED_ADD_TTL_MS) return entry.add;
    this.#entries.delete(key);
    return undefined;
  }

  /** Remembers (or renews) the create under `key`, forgetting expired and, past the cap, the oldest ones. */
  set(key: string, add: UnfinishedAdd): void {
    const now = Date.now();
    this.#entries.delete(key);
    this.#entries.set(key, { add, at: now });
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= MAX_UNFINISHED_ADDS && now - entry.at < UNFINISHED_ADD_TTL_MS) break;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets the create under `key` (it finished, or failed for good). */
  delete(key: string): void {
    this.#entries.delete(key);
  }
}
