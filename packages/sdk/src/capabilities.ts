/**
 * How a connector wants export entries shaped (ECMA2 `MAExportType`).
 * - `attributeUpdate`: multi-valued attributes arrive as value deltas (add/delete values).
 * - `attributeReplace`: a changed multi-valued attribute arrives as its full new value set.
 * - `objectReplace`: every change arrives as the whole object (`replace`).
 * - `multivaluedReferenceAttributeUpdate`: full sets for multi-valued values, deltas for
 *   multi-valued references.
 */
export type ExportType = 'attributeUpdate' | 'attributeReplace' | 'objectReplace' | 'multivaluedReferenceAttributeUpdate';

/**
 * DN style (ECMA2 `MADistinguishedNameStyle`): `none` (no DNs), `generic` (opaque strings) or
 * `ldap` (RFC 4514 DNs; required for partitions).
 */
export type DnStyle = 'none' | 'generic' | 'ldap';

/** How the target normalises anchors (ECMA2 `MANormalizations`). */
export type Normalization = 'uppercase' | 'removeAccents';

/**
 * What a connector can do, as data the host reads (ECMA2 `MACapabilities`). The host never infers
 * a capability from which methods exist: it checks the two agree when the connector loads.
 */
export interface Capabilities {
  /** Full import is supported (`SupportImport`). */
  import: boolean;
  /** Delta import is supported (`DeltaImport`); needs `import`. */
  deltaImport: boolean;
  /** Export is supported (`SupportExport`). */
  export: boolean;
  /** Shape of export entries (`ExportType`). */
  exportType: ExportType;
  /** DN style (`DistinguishedNameStyle`). */
  dnStyle: DnStyle;
  /** The DN is the anchor (`IsDNAsAnchor`). */
  dnAsAnchor: boolean;
  /** Objects can be renamed: the host may send a new DN in an update (`ObjectRename`). */
  objectRename: boolean;
  /** Passwords can be set and changed (`SupportPassword`). */
  password: boolean;
  /** The connector exposes several partitions (`SupportPartitions`); needs `dnStyle: 'ldap'`. */
  partitions: boolean;
  /** The connector exposes a container hierarchy (`SupportHierarchy`). */
  hierarchy: boolean;
  /** Several sessions may run at once against one instance (`ConcurrentOperation`). */
  concurrentOperations: boolean;
  /**
   * How many sessions the instance serves at once, usually the size of its connection pool (no
   * ECMA2 equivalent). A host keeps at most this many writes of the instance in flight, so that
   * work queues in the host rather than for a connection, where an add could overtake the password
   * call of an earlier add. Absent: the host's own bound (4 in `@ecmahost/host`). Meaningless when
   * `concurrentOperations` is `false`. A positive integer.
   */
  maxConcurrentOperations?: number;
  /** A delete followed by an add of the same object is sent as one `replace` (`DeleteAddAsReplace`). */
  deleteAddAsReplace: boolean;
  /** Normalisations applied to anchors (`Normalizations`). */
  normalizations: readonly Normalization[];
}

/** The capabilities a connector has unless it says otherwise: nothing but a plain import. */
export const DEFAULT_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  import: true,
  deltaImport: false,
  export: false,
  exportType: 'attributeUpdate',
  dnStyle: 'none',
  dnAsAnchor: false,
  objectRename: false,
  password: false,
  partitions: false,
  hierarchy: false,
  concurrentOperations: true,
  deleteAddAsReplace: false,
  normalizations: Object.freeze([]) as readonly Normalization[],
});

/** Fills the members a connector left out with {@link DEFAULT_CAPABILITIES}. */
export function resolveCapabilities(partial: Partial<Capabilities>): Capabilities {
  // A member given as `undefined` (from JavaScript, or a computed spec) means "not said", not "no".
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_CAPABILITIES, ...given };
}

/**
 * Contradictions inside a capability set (delta without import, partitions without LDAP DNs...),
 * as messages; empty when the set is coherent.
 */
export function capabilityProblems(caps: Capabilities): string[] {
  const problems: string[] = [];
  if (caps.deltaImport && !caps.import) problems.push('deltaImport needs import');
  if (caps.partitions && caps.dnStyle !== 'ldap') problems.push("partitions need dnStyle 'ldap'");
  if (caps.dnAsAnchor && caps.dnStyle === 'none') problems.push("dnAsAnchor needs a dnStyle other than 'none'");
  if (caps.objectRename && caps.dnStyle === 'none') problems.push("objectRename needs a dnStyle other than 'none'");
  const max = caps.maxConcurrentOperations;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) problems.push(`maxConcurrentOperations must be a positive integer (got ${String(max)})`);
  return problems;
}
