import type { AnchorValues, AttributeDefinition, AttributeOperation, AttributeValue, ExportType, ObjectTypeDefinition, Schema } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, attributeOperation } from '@ecmahost/sdk';
import type { IndexedAttribute } from '../cache/index-key.js';
import { objectId } from '../cache/object-id.js';
import type { DeleteFlow, DisableFlow, ServedTypeConfig } from '../config/connector-config.js';
import { resourceTypeName } from '../config/connector-config.js';
import type { AttrPath } from '../scim/filter-ast.js';
import { formatPath } from '../scim/filter-ast.js';
import { parsePath, splitUrn } from '../scim/filter-parser.js';
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, isCoreSchema } from '../scim/resource-path.js';
import { ECMA2HOST_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../scim/schema-documents.js';

/** The extension attribute carrying an initial password, as in Microsoft's host. */
export const EXPORT_PASSWORD = 'export_password';

/**
 * What a filter or PATCH path designating the SCIM `id` resolves to. A symbol, not the text `id`:
 * a connector attribute may well be named `id` and must be served like any other (issue 19).
 */
export const SCIM_ID: unique symbol = Symbol('the SCIM id');

/** What a SCIM path designates: a served connector attribute, the SCIM id, or nothing served. */
export type ResolvedPath = string | typeof SCIM_ID | undefined;

/** An attribute an object type serves, with every rule the host applies to it. */
export interface ServedAttribute {
  readonly name: string;
  readonly definition: AttributeDefinition;
  /** Multi-valued in the connector and not "treated as single value". */
  readonly multiValued: boolean;
  /** Whether SCIM may read it, write it, or both (`importOnly` is read-only, `exportOnly` write-only). */
  readonly operation: AttributeOperation;
  /** Part of the anchor (immutable, unique). */
  readonly anchor: boolean;
  /** Kept in the cache: everything but write-only values (passwords). */
  readonly kept: boolean;
  /** Given a hash index: the anchor and SCIM-mapped attributes, binary ones excepted. */
  readonly indexed: boolean;
  /** String comparisons are case-sensitive (RFC 7643 `caseExact`). */
  readonly caseExact: boolean;
}

/** The SCIM resource type an object type is served as. */
export interface ServedResourceType {
  /** `User`, `Group` or a custom name. */
  readonly name: string;
  /** The endpoint without its slash (`Users`, `Groups`). */
  readonly endpoint: string;
  /** The core schema URN. */
  readonly coreSchema: string;
  /** The ECMA2Host extension carrying every served attribute of this type. */
  readonly extensionSchema: string;
  /** Extension schemas a PATCH or POST may name besides the ECMA2Host one (the enterprise User). */
  readonly knownSchemas: readonly string[];
}

/** The resource type of a served type's configuration. */
export function servedResourceType(type: Pick<ServedTypeConfig, 'resourceType'>): ServedResourceType {
  const configured = type.resourceType ?? 'User';
  if (configured === 'User') return { name: 'User', endpoint: 'Users', coreSchema: CORE_USER_SCHEMA, extensionSchema: ECMA2HOST_USER_SCHEMA, knownSchemas: [ECMA2HOST_USER_SCHEMA, ENTERPRISE_USER_SCHEMA] };
  const name = resourceTypeName(type);
  const extensionSchema = `urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:${name}`;
  if (configured === 'Group') return { name, endpoint: 'Groups', coreSchema: CORE_GROUP_SCHEMA, extensionSchema, knownSchemas: [extensionSchema] };
  return { name, endpoint: configured.endpoint, coreSchema: configured.schema, extensionSchema, knownSchemas: [extensionSchema] };
}

/** A core or enterprise SCIM path mapped onto a served attribute (`scimMapping`). */
export interface ScimMapping {
  readonly path: AttrPath;
  /** The path's comparable text (see {@link mappingKey}). */
  readonly key: string;
  readonly attribute: string;
}

/**
 * The SCIM view of one object type a connector instance serves, computed once when the connector
 * opens and shared by the cache (what it keeps and indexes), the translation (what it renders and
 * accepts) and the user operations. Keyed by object type so that a connector may later serve
 * several (issue 17).
 */
export class ServedSchema {
  /** The object type as the connector's schema defines it. */
  readonly objectType: ObjectTypeDefinition;
  readonly anchor: readonly string[];
  /** The served attributes, by connector name, in configuration order. */
  readonly attributes: ReadonlyMap<string, ServedAttribute>;
  readonly mapping: readonly ScimMapping[];
  /** The attributes the cache keeps, by position (the import applier stamps them by position). */
  readonly kept: ReadonlyMap<string, number>;
  /** The attributes the cache indexes. */
  readonly indexed: readonly IndexedAttribute[];
  /** The connector schema restricted to the served attributes: what import and export sessions are opened with. */
  readonly sessionSchema: Schema;
  /** The disable flow (`active: false`). */
  readonly disable: DisableFlow;
  /** The delete flow (SCIM DELETE). */
  readonly deleteFlow: DeleteFlow;
  /** The SCIM resource type the object type is served as. */
  readonly resource: ServedResourceType;
  /** The served attributes of type `reference`: their SCIM values are ids of other served objects. */
  readonly references: ReadonlySet<string>;
  /** The attribute the DN is read from, when the DN is not autogenerated. */
  readonly dnAttribute: string | undefined;
  /** Whether the DN is generated as `CN=<anchor>,OBJECT=<type>`. */
  readonly dnAutogenerated: boolean;
  readonly exportType: ExportType;
  /** Longest attribute value (characters) accepted from SCIM. */
  readonly maxValueLength: number;
  /** Top-level SCIM attribute keys some mapping writes (lower case, enterprise ones URN-qualified). */
  readonly #mappedKeys: ReadonlySet<string>;
  readonly #byLower: ReadonlyMap<string, string>;
  readonly #caseExact = (name: string): boolean => this.attributes.get(name)?.caseExact === true;

  /** Put before the ids of this type's objects (see {@link idOf}). */
  readonly #idPrefix: string;

  /**
   * Throws when the configuration selects or maps an attribute the object type does not have.
   * `idPrefix` is given to every type but the configuration's first (see {@link idOf}).
   */
  constructor(config: ServedTypeConfig, objectType: ObjectTypeDefinition, exportType: ExportType, maxValueLength: number, idPrefix = '') {
    this.objectType = objectType;
    this.#idPrefix = idPrefix;
    this.anchor = config.anchor;
    this.disable = config.deprovisioning.disable;
    this.deleteFlow = config.deprovisioning.delete;
    this.resource = servedResourceType(config);
    this.dnAttribute = 'attribute' in config.dn ? config.dn.attribute : undefined;
    this.dnAutogenerated = 'autogenerate' in config.dn;
    this.exportType = exportType;
    this.maxValueLength = maxValueLength;
    const mapping: ScimMapping[] = [];
    const mappedAttributes = new Set<string>();
    for (const [text, attribute] of Object.entries(config.scimMapping ?? {})) {
      const path = parsePath(text);
      mapping.push({ path, key: mappingKey(path), attribute });
      mappedAttributes.add(attribute);
    }
    const wanted = new Map(config.attributes.map((a) => [a.name, a]));
    for (const name of config.anchor) if (!wanted.has(name)) wanted.set(name, { name });
    const attributes = new Map<string, ServedAttribute>();
    const byLower = new Map<string, string>();
    const kept = new Map<string, number>();
    const indexed: IndexedAttribute[] = [];
    for (const [name, selected] of wanted) {
      const definition =
        objectType.attributes.find((a) => a.name === name) ??
        (name === DN_ATTRIBUTE ? ({ name, type: 'string', multiValued: false } satisfies AttributeDefinition) : undefined);
      if (definition === undefined) throw new Error(`attribute ${name} is selected but ${objectType.name} has no such attribute`);
      const operation = attributeOperation(definition);
      const anchor = config.anchor.includes(name);
      const served: ServedAttribute = {
        name,
        definition,
        multiValued: definition.multiValued && selected.singleValue !== true,
        operation,
        anchor,
        kept: operation !== 'exportOnly',
        // Indexing every attribute cost more memory than the whole object; Entra matches on the
        // anchor and the mapped core attributes (docs/decisions/008-host-performance.md).
        // A multi-valued reference (a group's members) is left out too: an index entry per member
        // would double what a large group costs, and Entra does not look groups up by member.
        indexed: (anchor || mappedAttributes.has(name)) && definition.type !== 'binary' && !(definition.type === 'reference' && definition.multiValued),
        caseExact: definition.caseExact === true,
      };
      attributes.set(name, served);
      byLower.set(name.toLowerCase(), name);
      if (served.kept) kept.set(name, kept.size);
      if (served.indexed) indexed.push({ name, caseExact: served.caseExact });
    }
    for (const { path, attribute } of mapping) {
      if (!attributes.has(attribute)) throw new Error(`the SCIM mapping of ${formatPath(path)} names ${attribute}, which is not selected`);
    }
    this.attributes = attributes;
    this.references = new Set([...attributes.values()].filter((a) => a.definition.type === 'reference').map((a) => a.name));
    this.#byLower = byLower;
    this.mapping = mapping;
    this.kept = kept;
    this.indexed = indexed;
    this.#mappedKeys = new Set(mapping.map(({ path }) => topLevelKey(path)));
    this.sessionSchema = { objectTypes: [{ ...objectType, attributes: objectType.attributes.filter((a) => attributes.has(a.name)) }] };
  }

  /** The object type's name. */
  get name(): string {
    return this.objectType.name;
  }

  /** The served attribute named `name` (case-insensitively), if any. */
  attributeNamed(name: string): string | undefined {
    return this.#byLower.get(name.toLowerCase());
  }

  /**
   * The SCIM id of an object with this anchor (case-folded for anchors that are not caseExact).
   * Ids of the types after the first carry a prefix (`Group.`): two tables' keys may both be `1`,
   * and a member id must name one object; the first type keeps the ids it always had.
   */
  idOf(anchor: AnchorValues): string {
    return this.#idPrefix + objectId(this.anchor, anchor, this.#caseExact);
  }

  /** What a filter or PATCH path designates: an ECMA2Host extension attribute, the SCIM id, or a mapped path. */
  resolvePath(path: AttrPath): ResolvedPath {
    if (path.schema !== undefined && path.schema.toLowerCase() === this.resource.extensionSchema.toLowerCase()) {
      return path.filter === undefined && path.sub === undefined ? this.attributeNamed(path.attr) : undefined;
    }
    if ((path.schema === undefined || isCoreSchema(path.schema)) && path.attr.toLowerCase() === 'id' && path.sub === undefined && path.filter === undefined) return SCIM_ID;
    const key = mappingKey(path);
    return this.mapping.find((m) => m.key === key)?.attribute;
  }

  /**
   * `path` as this type serves it: an unqualified name that only the enterprise extension maps
   * (Entra's PATCH `"path": "manager"` and filter `manager eq …`) is read as the enterprise one.
   */
  qualify(path: AttrPath): AttrPath {
    if (path.schema !== undefined || this.resolvePath(path) !== undefined) return path;
    const enterprise: AttrPath = { ...path, schema: ENTERPRISE_USER_SCHEMA };
    return this.resolvePath(enterprise) === undefined ? path : enterprise;
  }

  /**
   * `path` as a filter compares it: {@link qualify}, and a mapped reference named without a
   * sub-attribute (`manager eq "…"`, `members eq "…"`) compares its `value`, as it is rendered
   * `{"value": id}`.
   */
  filterPath(path: AttrPath): AttrPath {
    const qualified = this.qualify(path);
    if (qualified.sub !== undefined || qualified.filter !== undefined) return qualified;
    const attribute = this.resolvePath(qualified);
    if (typeof attribute !== 'string' || !this.references.has(attribute) || this.#isExtension(qualified)) return qualified;
    return { ...qualified, sub: 'value' };
  }

  #isExtension(path: AttrPath): boolean {
    return path.schema !== undefined && path.schema.toLowerCase() === this.resource.extensionSchema.toLowerCase();
  }

  /** Whether string comparisons on `path` are case-sensitive (the attribute's `caseExact`; the SCIM id always is). */
  readonly caseExactPath = (path: AttrPath): boolean => {
    const attribute = this.resolvePath(path);
    if (attribute === SCIM_ID) return true;
    return attribute === undefined ? false : this.attributes.get(attribute)?.caseExact === true;
  };

  /**
   * Whether some mapping writes the top-level SCIM attribute `key` (a core name such as
   * `userName`, or a URN-qualified enterprise one), compared case-insensitively.
   */
  maps(key: string): boolean {
    return this.#mappedKeys.has(key.toLowerCase());
  }

  /**
   * The ECMA2Host extension names (`<extension URN>:<attribute>`) of the attributes the top-level
   * SCIM attribute `name` (`members`, or URN-qualified) is mapped onto; none when it is not mapped.
   */
  extensionNamesOf(name: string): string[] {
    const { schema, rest } = splitUrn(name.trim());
    const key = topLevelKey(schema === undefined ? { attr: rest } : { schema, attr: rest });
    return this.mapping.filter((m) => topLevelKey(m.path) === key).map((m) => `${this.resource.extensionSchema}:${m.attribute}`);
  }

  /** The values the cache keeps of `attributes`: the kept attributes that have values, nothing else. */
  keptValues(attributes: Readonly<Record<string, AttributeValue[]>>): Record<string, AttributeValue[]> {
    const out: Record<string, AttributeValue[]> = {};
    for (const name of this.kept.keys()) {
      const values = attributes[name];
      if (values !== undefined && values.length > 0) out[name] = values;
    }
    return out;
  }

  /** Whether an object is active, per the disable flow's attribute (active when there is none). */
  isActive(attributes: Readonly<Record<string, AttributeValue[]>>): boolean {
    const flow = this.disable;
    if (flow.action !== 'attribute') return true;
    const value = attributes[flow.attribute]?.[0];
    if (value === undefined) return true;
    const flag = typeof value === 'string' ? value.toLowerCase() === 'true' : value === true || value === 1;
    return flow.activeValue === false ? !flag : flag;
  }
}

/** A path's comparable text: lower-cased, core-schema qualification dropped, other schemas kept. */
export function mappingKey(path: AttrPath): string {
  const bare: AttrPath = { ...path };
  if (bare.schema !== undefined && isCoreSchema(bare.schema)) delete bare.schema;
  return formatPath(bare).toLowerCase();
}

/** The top-level resource key a mapped path writes: `name` for `name.givenName`, `urn:…:employeenumber` for an enterprise one. */
function topLevelKey(path: AttrPath): string {
  const attr = path.attr.toLowerCase();
  return path.schema === undefined || isCoreSchema(path.schema) ? attr : `${path.schema.toLowerCase()}:${attr}`;
}
