import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import { ProvisioningError } from './errors.js';
import { keysUnder, rdnKeys } from './escape.js';

/**
 * Confines a write to the connector's containers (the configured ones, else the naming contexts):
 * a DN that comes over SCIM (an add's `-dn-`, a rename's new DN, the DN of an update or delete) is
 * only written when it is one of `bases` or below one. Throws a {@link ProvisioningError} naming
 * the DN and the containers otherwise, before anything is sent to the server. `what` names the
 * operation, e.g. `add of inetOrgPerson`.
 */
export function confine(dn: string, bases: readonly string[], what: string): void {
  let keys: string[];
  try {
    keys = rdnKeys(dn);
  } catch (error) {
    throw new ProvisioningError((error as Error).message, { attribute: DN_ATTRIBUTE });
  }
  if (bases.some((base) => keysUnder(keys, rdnKeys(base)))) return;
  throw new ProvisioningError(
    `${what}: ${dn} is outside the containers of this connector (${bases.join('; ') || 'none'}); nothing was written. Correct the DN (the -dn- mapping or the DN template), or add its container to "Containers".`,
    { attribute: DN_ATTRIBUTE },
  );
}
