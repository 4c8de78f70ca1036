import { hashToken, knownVerification, needsRehash, verifyToken } from '../auth/token.js';
import { ScimError } from '../scim/errors.js';

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
