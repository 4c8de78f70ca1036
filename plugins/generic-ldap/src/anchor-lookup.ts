import type { AnchorValues } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import type { LdapConnection } from './client.js';
import { isLdapOperationError, LdapOperationError, ProvisioningError } from './errors.js';
import { checkAttributeName } from './escape.js';
import { textFormOf } from './binary-text.js';

/**
 * The value an anchor is compared with in the directory: an objectGUID's or objectSid's text form
 * as its bytes, any other value as given. A text that does not parse is the entry's
 * `invalid-provisioning-value`.
 */
export function anchorMatchValue(anchorName: string, value: string | Uint8Array): string | Buffer {
  if (typeof value !== 'string') return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const form = textFormOf(anchorName);
  if (form === undefined) return value;
  try {
    return form.fromText(value);
  } catch (error) {
    throw new ProvisioningError(`anchor ${anchorName}: ${(error as Error).message}`, { attribute: anchorName });
  }
}

/**
 * The current DN of an object: the DN the host gives, the anchor when the DN is the anchor, else a
 * search for the anchor value (sent as its bytes, no filter text to escape) under the bases. Throws a noSuchObject
 * {@link LdapOperationError} when no entry has it, so callers report `missing-object`.
 */
export async function resolveDn(connection: LdapConnection, anchorName: string, anchor: AnchorValues, dn: string | undefined, bases: readonly string[]): Promise<string> {
  if (anchorName === DN_ATTRIBUTE) {
    // The DN the host sends is the current one; a DN anchor may predate a rename.
    const value = dn ?? anchor[DN_ATTRIBUTE];
    if (typeof value === 'string' && value !== '') return value;
  }
  const value = anchor[anchorName];
  if (value === undefined || typeof value === 'boolean' || typeof value === 'number') {
    if (dn !== undefined) return dn;
    throw new LdapOperationError({ resultCode: 32, diagnostic: `the change carries no ${anchorName} and no DN`, operation: 'find object' });
  }
  const filter = { attribute: checkAttributeName(anchorName), equals: anchorMatchValue(anchorName, value) };
  for (const base of bases) {
    const found = await connection.search(base, { scope: 'sub', filter, attributes: ['1.1'], sizeLimit: 2 }).catch((error: unknown) => {
      if (isLdapOperationError(error) && error.resultCode === 32) return [];
      throw error;
    });
    const [entry] = found;
    if (entry !== undefined) return entry.dn;
  }
  throw new LdapOperationError({ resultCode: 32, diagnostic: `no entry has ${anchorName} ${String(value)}`, operation: 'find object' });
}
