import { verifyToken } from '../auth/token.js';
import { ScimError } from '../scim/errors.js';

/**
 * Checks `Authorization: Bearer <token>` against one connector's token hash (constant-time, see
 * `auth/token.ts`). There is no way to turn this off: Microsoft's `Debug=true` switch that
 * disabled authentication has no counterpart here. Throws `ScimError(401)`.
 */
export function requireBearer(header: string | undefined, tokenHash: string, connector: string): void {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) throw new ScimError(401, undefined, `Authentication required: send the secret token of connector ${connector} as "Authorization: Bearer <token>".`);
  if (!verifyToken(match[1]!, tokenHash)) throw new ScimError(401, undefined, `The bearer token is not valid for connector ${connector}.`);
}
