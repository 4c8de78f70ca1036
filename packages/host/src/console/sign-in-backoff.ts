/** Wrong console sign-ins one client address may make before it must wait. */
export const SIGN_IN_FREE_FAILURES = 5;

/** The longest wait after wrong sign-ins, in seconds (15 minutes); the wait doubles up to it. */
export const SIGN_IN_MAX_BACKOFF_SECONDS = 900;

/** Client addresses whose wrong sign-ins are remembered, at most; the one that failed longest ago is forgotten. */
export const SIGN_IN_BACKOFF_MAX_ADDRESSES = 10_000;

interface Failures {
  count: number;
  /** Until when (ms since the epoch) this address is answered 429 without a check. */
  blockedUntil: number;
  last: number;
}

/**
 * Exponential backoff per client address on wrong console sign-ins (issue 15, finding 11): after
 * {@link SIGN_IN_FREE_FAILURES} wrong credentials, each further one makes the address wait
 * 1, 2, 4 … up to {@link SIGN_IN_MAX_BACKOFF_SECONDS} seconds, during which its sign-ins are
 * answered 429 without being checked. A right credential clears the address; an address is
 * forgotten {@link SIGN_IN_MAX_BACKOFF_SECONDS} after its last failure, and at most
 * {@link SIGN_IN_BACKOFF_MAX_ADDRESSES} are kept, so a flood from many addresses is bounded too.
 */
export class SignInBackoff {
  // Insertion order is the order of last failure: fail() re-inserts.
  readonly #addresses = new Map<string, Failures>();

  /** Seconds `address` must still wait before its next sign-in is checked; 0 when it may try now. */
  waitSeconds(address: string): number {
    const entry = this.#current(address);
    if (entry === undefined) return 0;
    return Math.max(0, Math.ceil((entry.blockedUntil - Date.now()) / 1000));
  }

  /** Records a wrong credential from `address`. */
  fail(address: string): void {
    const now = Date.now();
    const count = (this.#current(address)?.count ?? 0) + 1;
    const over = count - SIGN_IN_FREE_FAILURES;
    const waitSeconds = over <= 0 ? 0 : Math.min(SIGN_IN_MAX_BACKOFF_SECONDS, 2 ** (over - 1));
    this.#addresses.delete(address);
    this.#addresses.set(address, { count, blockedUntil: now + waitSeconds * 1000, last: now });
    for (const [oldest, entry] of this.#addresses) {
      if (this.#addresses.size <= SIGN_IN_BACKOFF_MAX_ADDRESSES && !this.#expired(entry, now)) break;
      this.#addresses.delete(oldest);
    }
  }

  /** Forgets the failures of `address` (it signed in). */
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
    return now - entry.last >= SIGN_IN_MAX_BACKOFF_SECONDS * 1000;
  }
}
