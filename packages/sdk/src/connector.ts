import { API_VERSION } from './api-version.js';
import type { Capabilities } from './capabilities.js';
import { capabilityProblems, resolveCapabilities } from './capabilities.js';
import type { ConnectorContext } from './context.js';
import { ConnectorError } from './errors.js';
import type { ExportRunStep, ExportSession } from './export.js';
import type { ImportRunStep, ImportSession } from './import.js';
import type { ParameterDefinition, ParameterIssue, ParameterPage, ParameterRequest, ParameterValues } from './parameters.js';
import type { HierarchyNode, Partition } from './partitions.js';
import type { PasswordRunStep, PasswordSession } from './password.js';
import type { Schema } from './schema.js';

const CONNECTOR_BRAND = Symbol.for('ecmahost.connector');

/**
 * A connector opened with one instance's configuration. It may hold connections (a pool) from
 * `open` until `close`; the host keeps one per configured instance and opens sessions on it.
 */
export interface ConnectorInstance {
  /**
   * Checks that the target can be reached with the configuration (ECMA2 test connection). Resolves
   * when it can; throws a `ConnectorError` (`connection-failed`, `authentication-failed`,
   * `invalid-configuration`) whose message is the target's own explanation.
   */
  testConnection(): Promise<void>;
  /**
   * Discovers the object types and attributes (ECMA2 `GetSchema`). Called when an admin configures
   * the instance and whenever the host refreshes the schema. Throws `ConnectorError` on failure.
   */
  getSchema(): Promise<Schema>;
  /**
   * The target's partitions (ECMA2 `GetPartitions`); present when `capabilities.partitions`.
   *
   * @remarks Not used by `@ecmahost/host`.
   */
  getPartitions?(): Promise<Partition[]>;
  /**
   * The containers of a partition (ECMA2 `GetHierarchy`); present when `capabilities.hierarchy`.
   *
   * @remarks Not used by `@ecmahost/host`.
   */
  getHierarchy?(partition: Partition): Promise<HierarchyNode[]>;
  /** Opens an import run; present when `capabilities.import`. */
  openImport?(runStep: ImportRunStep): Promise<ImportSession>;
  /** Opens an export run; present when `capabilities.export`. */
  openExport?(runStep: ExportRunStep): Promise<ExportSession>;
  /** Opens a password session; present when `capabilities.password`. */
  openPassword?(runStep: PasswordRunStep): Promise<PasswordSession>;
  /** Releases every resource (connections, timers, file handles). The instance is not used again. */
  close(): Promise<void>;
}

/** Parameter definitions by page, or a function computing them from earlier answers. */
export type ParametersSpec =
  | Partial<Record<ParameterPage, readonly ParameterDefinition[]>>
  | ((request: ParameterRequest) => readonly ParameterDefinition[] | Promise<readonly ParameterDefinition[]>);

/** The instance methods each capability needs, by capability. */
interface CapabilityMethods {
  import: 'openImport';
  export: 'openExport';
  password: 'openPassword';
  partitions: 'getPartitions';
  hierarchy: 'getHierarchy';
}

/** The instance methods that capabilities declared `true` as plain data need. */
type NeededMethods<C> = {
  [K in keyof CapabilityMethods]: C extends { readonly [P in K]: true } ? CapabilityMethods[K] : never;
}[keyof CapabilityMethods];

/** The needed methods that the instance type `open` returns has no member for. */
type MissingMethods<C, I> = Exclude<NeededMethods<C>, keyof I>;

/**
 * Makes `password: true` (or import, export, partitions, hierarchy) declared as plain data with an
 * instance that has no `openPassword` member a type error at `open`, with a message naming the
 * method, as the host would refuse it at load. An instance typed `ConnectorInstance` (delegating to
 * another connector) has every member, optional, and is checked at load only, as are capabilities
 * computed by a function.
 */
export type CapabilityMethodsCheck<C, I> = [MissingMethods<C, I>] extends [never]
  ? unknown
  : { open: `the instance open() returns lacks ${MissingMethods<C, I> & string}, which the declared capabilities need` };

/** What an author passes to {@link defineConnector}. */
export interface ConnectorSpec<C extends Partial<Capabilities> = Partial<Capabilities>, I extends ConnectorInstance = ConnectorInstance> {
  /** The npm package name, e.g. `@acme/connector-csv`. */
  name: string;
  /** Shown to admins, e.g. `CSV file`. */
  displayName: string;
  /** The package version (semver). */
  version: string;
  /** One sentence shown to admins beside the display name. */
  description?: string;
  /**
   * What the connector can do: plain data, or computed from the configured values when it depends
   * on them (ECMA2 `GetCapabilitiesEx`). Members left out take {@link DEFAULT_CAPABILITIES}.
   */
  capabilities: C | ((values: ParameterValues) => Partial<Capabilities>);
  /**
   * The configuration pages. A function receives the page, its number (1, 2... for a series; return
   * an empty list to end a series) and the values given on earlier pages (ECMA2 `GetConfigParametersEx`).
   */
  parameters?: ParametersSpec;
  /**
   * Checks a page's values beyond the declarative rules (required, pattern, options), which the host
   * has already checked (ECMA2 `ValidateConfigParametersEx`). Returns issues; empty means valid.
   */
  validate?(request: ParameterRequest): ParameterIssue[] | Promise<ParameterIssue[]>;
  /**
   * Opens the connector with a complete configuration. Throws `ConnectorError('invalid-configuration')`
   * for bad values. The instance has the method of every capability declared `true` ({@link CapabilityMethodsCheck}).
   */
  open(values: ParameterValues, context: ConnectorContext): Promise<I>;
}

/**
 * A connector as a host loads it: the author's {@link ConnectorSpec} with normalised members and
 * the contract version it was built against.
 */
export interface ConnectorDefinition {
  /** The npm package name. */
  readonly name: string;
  /** Shown to admins. */
  readonly displayName: string;
  /** The package version (semver). */
  readonly version: string;
  /** One sentence shown to admins, when the spec gave one. */
  readonly description: string | undefined;
  /** The contract version ({@link API_VERSION}) of the SDK the connector was built with. */
  readonly apiVersion: number;
  /** The capabilities for a configuration, defaults filled in. */
  capabilities(values: ParameterValues): Capabilities;
  /** The parameter definitions of a page; empty when the page has none. */
  getParameters(request: ParameterRequest): Promise<readonly ParameterDefinition[]>;
  /** The connector's own validation of a page. */
  validate(request: ParameterRequest): Promise<ParameterIssue[]>;
  /**
   * Opens an instance with a complete, validated configuration. The host keeps it until the instance
   * is reconfigured or the host stops, then calls `close`. Throws `ConnectorError`.
   */
  open(values: ParameterValues, context: ConnectorContext): Promise<ConnectorInstance>;
}

/**
 * Declares a connector. An identity helper for type inference that also normalises the spec and
 * stamps the contract version; export its result as the package's default export.
 *
 * Throws `ConnectorError('invalid-configuration')` when the metadata is missing.
 */
export function defineConnector<const C extends Partial<Capabilities> = Partial<Capabilities>, I extends ConnectorInstance = ConnectorInstance>(
  spec: ConnectorSpec<C, I> & CapabilityMethodsCheck<C, I>,
): ConnectorDefinition {
  for (const key of ['name', 'displayName', 'version'] as const) {
    if (typeof spec[key] !== 'string' || spec[key].length === 0) {
      throw new ConnectorError('invalid-configuration', `defineConnector: ${key} is required`);
    }
  }
  const { parameters } = spec;
  const definition: ConnectorDefinition & { [CONNECTOR_BRAND]: true } = {
    [CONNECTOR_BRAND]: true,
    name: spec.name,
    displayName: spec.displayName,
    version: spec.version,
    description: spec.description,
    apiVersion: API_VERSION,
    capabilities(values) {
      const raw = typeof spec.capabilities === 'function' ? spec.capabilities(values) : spec.capabilities;
      return resolveCapabilities(raw);
    },
    async getParameters(request) {
      if (parameters === undefined) return [];
      if (typeof parameters === 'function') return parameters(request);
      return request.pageNumber === 1 ? (parameters[request.page] ?? []) : [];
    },
    async validate(request) {
      return spec.validate ? spec.validate(request) : [];
    },
    open: (values, context) => spec.open(values, context),
  };
  return definition;
}

/** Whether `value` is a connector made by `defineConnector` of any SDK copy. */
export function isConnectorDefinition(value: unknown): value is ConnectorDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CONNECTOR_BRAND] === true;
}

/**
 * Throws `ConnectorError('unsupported-api-version')` naming both versions when a host that supports
 * `supported` cannot load `definition`.
 */
export function assertApiVersion(definition: Pick<ConnectorDefinition, 'name' | 'apiVersion'>, supported: readonly number[] = [API_VERSION]): void {
  if (!supported.includes(definition.apiVersion)) {
    throw new ConnectorError(
      'unsupported-api-version',
      `${definition.name} was built for connector API version ${String(definition.apiVersion)}, ` +
        `but this host supports version ${supported.join(', ')}. Install a version of the connector built for API ${supported.join(' or ')}.`,
    );
  }
}

/**
 * Disagreements between declared capabilities and an opened instance (export declared but no
 * `openExport`, and the reverse), plus contradictions inside the capabilities. A host refuses an
 * instance with problems, naming them.
 */
export function instanceProblems(capabilities: Capabilities, instance: ConnectorInstance): string[] {
  const problems = capabilityProblems(capabilities);
  const pairs: [keyof Capabilities, keyof ConnectorInstance][] = [
    ['import', 'openImport'],
    ['export', 'openExport'],
    ['password', 'openPassword'],
    ['partitions', 'getPartitions'],
    ['hierarchy', 'getHierarchy'],
  ];
  for (const [capability, method] of pairs) {
    const has = typeof instance[method] === 'function';
    if (capabilities[capability] && !has) problems.push(`capability ${capability} is declared but ${method} is missing`);
  }
  return problems;
}
