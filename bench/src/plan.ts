/** How big a run is. */
export interface BenchPlan {
  /** Users in the table, the directory and the host's cache. */
  users: number;
  /** Measured time of each side of each comparison, split over `rounds`. */
  seconds: number;
  /**
   * Each comparison alternates bare and host this many times (seconds / rounds each), so a burst
   * of other work on a shared machine lands on both sides rather than on one.
   */
  rounds: number;
  /** Upper bound of operations in one load phase, whatever the duration. */
  maxOperations: number;
  /** Lookup warm-up before measuring either side (JIT, connection setup). */
  warmupSeconds: number;
  /** Write concurrencies compared. */
  concurrencies: number[];
  /** Connections of the lookup phase. */
  lookupConnections: number;
}

/** The full run of the issue: 100,000 users, 12 measured seconds per side. */
export const FULL: BenchPlan = { users: 100_000, seconds: 12, rounds: 3, maxOperations: 2_000_000, warmupSeconds: 2, concurrencies: [1, 8], lookupConnections: 32 };

/**
 * `--scale`: a million users, the figures that depend on the size of the space (restart, import,
 * peak RSS, bytes per object, lookup); the write comparisons, which do not, are left out.
 */
export const SCALE: BenchPlan = { users: 1_000_000, seconds: 6, rounds: 2, maxOperations: 2_000_000, warmupSeconds: 2, concurrencies: [], lookupConnections: 32 };

/** `--quick`: a smoke run that exercises every scenario in about a minute. */
export const QUICK: BenchPlan = { users: 2_000, seconds: 2, rounds: 2, maxOperations: 200_000, warmupSeconds: 1, concurrencies: [1, 8], lookupConnections: 32 };
