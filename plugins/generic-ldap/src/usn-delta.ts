import { formatDn, isUnder, parseDn } from './escape.js';

/**
 * AD LDS delta import by update sequence number, as Microsoft's Generic LDAP connector does for
 * AD LDS: every write gives the object the server's next USN in `uSNChanged`, so the highest one
 * an import saw is its watermark and the next delta reads `uSNChanged >= watermark + 1` (LDAP
 * filters have no strict "greater than"). A deleted object becomes a tombstone (`isDeleted:
 * TRUE`) in the partition's `CN=Deleted Objects` container, which only a search with the
 * show-deleted control returns.
 */

/** `filter` narrowed to the objects changed after USN `after` (all of them when empty). */
export function usnFilter(filter: string, after: string): string {
  if (after === '') return filter;
  return `(&${filter}(uSNChanged>=${(BigInt(after) + 1n).toString()}))`;
}

/** The tombstones among `filter`'s objects deleted after USN `after`. */
export function deletedFilter(filter: string, after: string): string {
  return usnFilter(`(&(isDeleted=TRUE)${filter})`, after);
}

/**
 * The `CN=Deleted Objects` containers holding the tombstones of objects under `bases`: one per
 * naming context that holds a base (AD keeps a partition's tombstones at its root).
 */
export function deletedObjectsContainers(bases: readonly string[], partitions: readonly string[]): string[] {
  const found = new Set<string>();
  for (const base of bases) {
    // The innermost naming context holding the base (an application partition may sit below another).
    const holder = partitions.filter((p) => isUnder(base, p)).sort((a, b) => parseDn(b).length - parseDn(a).length)[0];
    if (holder !== undefined) found.add(formatDn([[{ type: 'CN', value: 'Deleted Objects' }], ...parseDn(holder)]));
  }
  return [...found];
}
