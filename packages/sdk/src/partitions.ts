/**
 * A separate namespace within one schema, e.g. a naming context of a directory (ECMA2 `Partition`).
 *
 * @remarks Not used by `@ecmahost/host`, which never asks for partitions.
 */
export interface Partition {
  /** Stable identifier, used as the key of the partition's configuration. */
  id: string;
  /** The partition's DN (naming context). */
  dn: string;
  /** Name shown to admins. */
  name: string;
  /** Not selected by default in a wizard. */
  hidden?: boolean;
}

/**
 * A container in the target's hierarchy (ECMA2 `HierarchyNode`).
 *
 * @remarks Not used by `@ecmahost/host`, which never asks for the hierarchy.
 */
export interface HierarchyNode {
  dn: string;
  displayName: string;
  children?: readonly HierarchyNode[];
}
