import type { ConnectorDefinition } from '../connector.js';
import type { ParameterValues } from '../parameters.js';
import type { AnchorValues, AttributeValue, AttributeValues } from '../values.js';

/**
 * How the kit checks references (group members, managers): a second object type that holds
 * references to objects of the suite's `objectType`, in the target's own form of reference (a DN
 * for a directory, an anchor value for a database). The host resolves SCIM ids to that form before
 * export, so the connector only ever sees and returns it.
 */
export interface ConformanceReferences {
  /** The object type holding references, e.g. `groupOfNames` or `Group`. */
  objectType: string;
  /** Its multi-valued reference attribute, e.g. `member` or `MemberId`. */
  attribute: string;
  /**
   * The n-th distinct object of `objectType` with no value of `attribute` (Entra creates groups
   * empty), given the target's values (to place a DN in the target's container).
   */
  sample: (n: number, values: ParameterValues) => ConformanceObject;
  /** The reference to a known object of the suite's `objectType`: its DN, or an anchor value. */
  referenceTo: (object: { anchor: AnchorValues; dn?: string }) => AttributeValue;
  /** A reference of the target's form that names no object, given the target's values. */
  dangling: (values: ParameterValues) => AttributeValue;
  /**
   * The new DN of a renamed member, for the `reference-rename` check on connectors that declare
   * `objectRename`; without it that check skips itself, saying so.
   */
  renamedDn?: (object: { anchor: AnchorValues; dn?: string }, values: ParameterValues) => string;
}

/** The ids of the reference checks, in the order they run (after `password`, before `handles-released`). */
export const REFERENCE_CHECK_IDS = ['reference-add', 'reference-remove', 'reference-rename', 'reference-dangling'] as const;

/** The id of one reference check. */
export type ReferenceCheckId = (typeof REFERENCE_CHECK_IDS)[number];

/**
 * The stable ids of the conformance checks, in the order they run. Each is the name of one `it`
 * and a key of {@link ConformanceOptions.skip}.
 */
export const CONFORMANCE_CHECKS = [
  'schema',
  'capabilities',
  'test-connection',
  'full-import-paging',
  'watermark',
  'export-add',
  'generated-anchor',
  'update-single-value',
  'update-multi-value',
  'object-replace',
  'delete',
  'delta-import',
  'missing-object',
  'existing-object',
  'batch-partial-failure',
  'password',
  ...REFERENCE_CHECK_IDS,
  'through-host',
  'handles-released',
] as const;

/** The id of one conformance check; see {@link CONFORMANCE_CHECKS}. */
export type ConformanceCheckId = (typeof CONFORMANCE_CHECKS)[number];

/** A fresh, empty target system for one check: the instance's configuration and how to dispose of it. */
export interface ConformanceTarget {
  /** The configured values the kit passes to `connector.open`. */
  values: ParameterValues;
  /** Called once the check is over (passed or failed): drop the database, stop the server... */
  cleanup?: () => Promise<void>;
}

/** An object the kit adds (or seeds) and later expects to read back. */
export interface ConformanceObject {
  /** The anchor, when the target does not generate it and it is not among `attributes`. */
  anchor?: AnchorValues;
  /** The DN, for connectors with a `dnStyle` other than `none`. */
  dn?: string;
  /** Every attribute value the object is added with; the kit expects each back from an import. */
  attributes: AttributeValues;
}

/** Options of the `through-host` check; see {@link ConformanceOptions.throughHost}. */
export interface ThroughHostOptions {
  /**
   * The connector attribute Entra's `userName` maps to (the host's `--scim userName=<attribute>`),
   * a writable string (a multi-valued one is served single-valued). Default: the anchor, when it is one such attribute.
   */
  userName?: string;
  /** Where the host's testing entry is imported from. Default `@ecmahost/host/testing`. */
  hostModule?: string;
}

/** Options of {@link describeConnectorConformance} and {@link runConformanceCheck}. */
export interface ConformanceOptions {
  /** Names the suite in the test report, e.g. `generic-sql on PostgreSQL`. */
  name: string;
  /** The connector under test: the default export of its package. */
  connector: ConnectorDefinition;
  /**
   * Creates a fresh, empty target for one check (a new schema, table, directory suffix...). Called
   * once per check, so checks never see each other's objects.
   */
  target: () => Promise<ConformanceTarget>;
  /** The object type the kit adds, imports, updates and deletes. */
  objectType: string;
  /**
   * The n-th (0, 1, 2...) distinct valid object. Objects must differ in their anchor (when given) and
   * in the values of `singleValued` and `multiValued`, and should cover every attribute type the
   * connector supports.
   */
  sample: (n: number) => ConformanceObject;
  /** A single-valued attribute of `objectType` the kit replaces with another sample's value. */
  singleValued: string;
  /**
   * A multi-valued attribute whose values the kit adds and deletes one by one. Omit it only with a
   * reason in `skip['update-multi-value']`. `sample(0)` must have at least one value of it.
   */
  multiValued?: string;
  /**
   * An object the target rejects (a missing required attribute, a value it cannot store), sent
   * between two good ones. Omit it only with a reason in `skip['batch-partial-failure']`.
   */
  invalid?: () => ConformanceObject;
  /**
   * Puts objects into the target directly, for connectors without export (import-only). Given the
   * target's values and the objects to store.
   */
  seed?: (values: ParameterValues, objects: readonly ConformanceObject[]) => Promise<void>;
  /** Checks not to run, each with the reason shown in the report. A skip without a reason throws. */
  skip?: Partial<Record<ConformanceCheckId, string>>;
  /**
   * How many entries the kit passes to one `putEntries` call. Default 1: every change goes in an
   * export session of its own, opened with `batchSize: 1`, as `@ecmahost/host` sends each SCIM write.
   * Above 1, the entries of one step share a session and arrive in batches of up to this many, as
   * hosts that export in batches (Microsoft's ECMA Connector Host) send them.
   */
  exportBatchSize?: number;
  /**
   * Opens every session in the first partition `getPartitions()` returns that is not hidden, for a
   * connector with `capabilities.partitions` that also serves hosts using partitions. Default
   * `false`: sessions carry no partition, as `@ecmahost/host` opens them.
   */
  partitions?: boolean;
  /**
   * Runs the `object-replace` check on a connector that declares `deleteAddAsReplace`, for hosts
   * that honour it. Default `false`: the check runs only for `exportType: 'objectReplace'`, the only
   * connectors `@ecmahost/host` sends a `replace` to.
   */
  deleteAddAsReplace?: boolean;
  /** The import page size the kit asks for; the paging check adds `2 * pageSize + 1` objects. Default 2. */
  pageSize?: number;
  /** A second object type holding references to `objectType`, for the `reference-*` checks; they skip without it. */
  references?: ConformanceReferences;
  /**
   * The `through-host` check: starts `@ecmahost/host` in this process on the connector and runs
   * Entra's user sequence over HTTP on loopback (lookup by `userName`, POST, GET by id and by
   * filter, PATCH, disable, DELETE). On by default; skipped, saying how to enable it, when
   * `@ecmahost/host` is not installed (`npm i -D @ecmahost/host`). `false` turns it off.
   */
  throughHost?: false | ThroughHostOptions;
  /** Timeout of each check in milliseconds. Default 60 000. */
  timeout?: number;
}
