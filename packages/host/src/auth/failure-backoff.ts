/** The limits of one {@link FailureBackoff}. */
export interface FailureBackoffLimits {
  /** Failures one address may have before it must wait. */
  freeFailures: number;
  /** The longest wait in seconds; the wait doubles from 1 second up to it, and an address is forgotten this long after its last failure. */
  maxBackoffSeconds: number;
  /** Addresses remembered at most; the one that failed longest ago is forgotten first. */
  maxAddresses: number;
}

interface Failures {
  count: number;
  /** Until when (ms since the epoch) this address is refused without a check. */
  blockedUntil: number;
  last: number;
}

/**
 * Exponential backoff per client address on failed credentials (issue 15, finding 11): after
 * `freeFailures` failures, each further one makes the address wait 1, 2, 4 … up to
 * `maxBackoffSeconds` seconds, during which the caller refuses it without a check. A success
 * clears the address; addresses expire and are capped, so a flood from many addresses stays
 * bounded too.
 */
export class FailureBackoff {
  // Insertion order is the order of last failure: fail() re-inserts.
  readonly #addresses = new Map<string, Failures>();

  constructor(readonly limits: FailureBackoffLimits) {}

  /** Seconds `address` must still wait before its next attempt is checked; 0 when it may try now. */
  waitSeconds(address: string): number {
    const entry = this.#current(address);
    if (entry === undefined) return 0;
    return Math.max(0, Math.ceil((entry.blockedUntil - Date.now()) / 1000));
  }

  /** Records a failed attempt from `address`. */
  fail(address: string): void {
    const now = Date.now();
    const count = (this.#current(address)?.count ?? 0) + 1;
    const over = count - this.limits.freeFailures;
    const waitSeconds = over <= 0 ? 0 : Math.min(this.limits.maxBackoffSeconds, 2 ** (over - 1));
    this.#addresses.delete(address);
    this.#addresses.set(address, { count, blockedUntil: now + waitSeconds * 1000, last: now });
    for (const [oldest, entry] of this.#addresses) {
      if (this.#addresses.size <= this.limits.maxAddresses && !this.#expired(entry, now)) break;
      this.#addresses.delete(oldest);
    }
  }

  /** Forgets the failures of `address` (it presented the right credential). */
  succeed(address: string): void {
    this.#addresses.delete(address);
  }

  #current(address: string): Failures | undefined {
    const entry = this.#addresses.get(address);
    if (entry === undefined || !this.#expired(entry, Date.now())) return entry;
    this.#addresses.delete(address);
    return undefined;
  }

  #expired(entry: Failures, now: number): boolean {
    return now - entry.last >= this.limits.maxBackoffSeconds * 1000;
  }
}
