import { FailureBackoff } from '../auth/failure-backoff.js';

/** Wrong console sign-ins one client address may make before it must wait. */
export const SIGN_IN_FREE_FAILURES = 5;

/** The longest wait after wrong sign-ins, in seconds (15 minutes); the wait doubles up to it. */
export const SIGN_IN_MAX_BACKOFF_SECONDS = 900;

/** Client addresses whose wrong sign-ins are remembered, at most; the one that failed longest ago is forgotten. */
export const SIGN_IN_BACKOFF_MAX_ADDRESSES = 10_000;

/**
 * The backoff of console sign-ins: after {@link SIGN_IN_FREE_FAILURES} wrong credentials from one
 * address, its sign-ins are answered 429 for 1, 2, 4 … up to {@link SIGN_IN_MAX_BACKOFF_SECONDS}
 * seconds without being checked; a right credential clears the address.
 */
export function signInBackoff(): FailureBackoff {
  return new FailureBackoff({ freeFailures: SIGN_IN_FREE_FAILURES, maxBackoffSeconds: SIGN_IN_MAX_BACKOFF_SECONDS, maxAddresses: SIGN_IN_BACKOFF_MAX_ADDRESSES });
}
