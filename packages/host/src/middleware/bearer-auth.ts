import { FailureBackoff } from '../auth/failure-backoff.js';
import { hashToken, knownVerification, needsRehash, verifyToken } from '../auth/token.js';
import { ScimError } from '../scim/errors.js';

/**
 * Refused bearer tokens one client address may present before it must wait. Higher than the
 * console's: Entra's agent presents the token from one address, and a mistyped token being fixed
 * must not lock it out for long.
 */
export const TOKEN_FREE_FAILURES = 20;

/** The longest wait after refused bearer tokens, in seconds; the wait doubles from 1 second up to it. */
export const TOKEN_MAX_BACKOFF_SECONDS = 60;

/** Client addresses whose refused bearer tokens are remembered, at most. */
export const TOKEN_BACKOFF_MAX_ADDRESSES = 10_000;

/** A host's backoff on refused bearer tokens, per client address (see {@link authenticateFromClient}). */
export function tokenBackoff(): FailureBackoff {
  return new FailureBackoff({ freeFailures: TOKEN_FREE_FAILURES, maxBackoffSeconds: TOKEN_MAX_BACKOFF_SECONDS, maxAddresses: TOKEN_BACKOFF_MAX_ADDRESSES });
}

/**
 * Runs `authenticate` for a request from `client`, under `backoff`: while the address must wait
 * after {@link TOKEN_FREE_FAILURES} refused tokens, `ScimError(429)` with `Retry-After` and no
 * check (on top of the process-wide {@link MAX_SLOW_TOKEN_CHECKS_PER_SECOND}); a 401 for a
 * presented token counts against the address, a success clears it. A request without a token
 * guesses nothing and costs no hash, so it is not counted; without a client address (an
 * in-process request, no socket) there is nothing to count against.
 */
export function authenticateFromClient<T>(backoff: FailureBackoff, client: string | undefined, presented: boolean, authenticate: () => T): T {
  if (client === undefined) return authenticate();
  const wait = backoff.waitSeconds(client);
  if (wait > 0) throw new ScimError(429, undefined, `Too many refused bearer tokens from your address; retry in ${wait} seconds.`, { retryAfter: wait });
  let result: T;
  try {
    result = authenticate();
  } catch (error) {
    if (presented && error instanceof ScimError && error.status === 401) backoff.fail(client);
    throw error;
  }
  backoff.succeed(client);
  return result;
}

/**
 * Most token checks per second that need the slow hash (a token not seen before). Entra presents
 * one token per connector, checked once and then remembered; the cap keeps a flood of made-up
 * tokens from spending the event loop on scrypt. Past it a new token gets 503 with `Retry-After`.
 */
export const MAX_SLOW_TOKEN_CHECKS_PER_SECOND = 5;

/** Slow checks started in the current second, for the whole process (the cost is the process's). */
let slowChecks = { second: 0, count: 0 };

function takeSlowCheck(): boolean {
  const second = Math.floor(Date.now() / 1000);
  if (slowChecks.second !== second) slowChecks = { second, count: 0 };
  return ++slowChecks.count <= MAX_SLOW_TOKEN_CHECKS_PER_SECOND;
}

/**
 * Checks `Authorization: Bearer <token>` against one connector's token hash (constant-time, see
 * `auth/token.ts`). There is no way to turn this off: Microsoft's `Debug=true` switch that
 * disabled authentication has no counterpart here. `tokenHash` is undefined for a name that is
 * not a connector: the answer is then the same 401 as for a wrong token, so names cannot be
 * listed without a token. When the hash is an older, weaker kind, `onRehash` receives a new hash
 * of the same token to store in its place. Throws `ScimError(401)`, or `ScimError(503)` when too
 * many new tokens are being checked at once.
 */
export function requireBearer(header: string | undefined, tokenHash: string | undefined, connector: string, onRehash?: (tokenHash: string) => void): void {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) throw new ScimError(401, undefined, `Authentication required: send the secret token of connector ${shown(connector)} as "Authorization: Bearer <token>".`);
  const token = match[1]!;
  if (tokenHash === undefined) throw notValid(connector);
  const known = knownVerification(token, tokenHash);
  if (known === undefined && !takeSlowCheck()) {
    throw new ScimError(503, undefined, 'Too many new bearer tokens are being checked; retry in a second.', { retryAfter: 1 });
  }
  if (!(known ?? verifyToken(token, tokenHash))) throw notValid(connector);
  if (onRehash !== undefined && needsRehash(tokenHash)) onRehash(hashToken(token));
}

/** The same refusal for a wrong token and for a name that is no connector. */
function notValid(connector: string): ScimError {
  return new ScimError(401, undefined, `The bearer token is not valid for connector ${shown(connector)}.`);
}

/** A connector name as an answer quotes it: the name comes from the URL, so it may be anything and of any length. */
function shown(connector: string): string {
  return connector.length > 100 ? `${connector.slice(0, 100)}…` : connector;
}

/**
 * Resolves and authenticates a connector in one step: the served connector when `header` carries
 * its token, else the 401 of {@link requireBearer}, also when no connector has that name.
 */
export function authenticateConnector<T extends { runtime: { config: { tokenHash: string } } }>(
  header: string | undefined,
  served: T | undefined,
  connector: string,
  onRehash?: (tokenHash: string) => void,
): T {
  requireBearer(header, served?.runtime.config.tokenHash, connector, onRehash);
  // requireBearer throws for an undefined hash, so `served` is defined here.
  return served!;
}
