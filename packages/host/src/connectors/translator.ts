import type { AnchorValues, AttributeChange, AttributeDefinition, AttributeValue, ExportType, ObjectTypeDefinition } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, attributeChange, attributeOperation, valuesEqual } from '@ecmahost/sdk';
import type { CachedObject } from '../cache/cached-object.js';
import { objectId } from '../cache/object-id.js';
import type { CacheQuery } from '../cache/connector-cache.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { ScimError } from '../scim/errors.js';
import type { AttrPath, Filter } from '../scim/filter-ast.js';
import { formatPath } from '../scim/filter-ast.js';
import { evaluateFilter, valuesAt } from '../scim/filter-evaluate.js';
import { parsePath } from '../scim/filter-parser.js';
import { applyPatchInPlace } from '../scim/patch.js';
import { CORE_USER_SCHEMA, getAttribute, isCoreSchema, isPlainObject } from '../scim/resource-path.js';
import type { ScimResource } from '../scim/resource-path.js';
import { ECMA2HOST_USER_SCHEMA } from '../scim/schema-documents.js';
import type { ScimAttributeDefinition, ScimAttributeType } from '../scim/schema-documents.js';

/** The extension attribute carrying an initial password, as in Microsoft's host. */
export const EXPORT_PASSWORD = 'export_password';

/** An attribute the instance serves, with how SCIM sees it. */
export interface ServedAttribute {
  definition: AttributeDefinition;
  /** Multi-valued in the connector and not "treated as single value". */
  multiValued: boolean;
}

/** Options of {@link Translator.fromResource}. */
export interface FromResourceOptions {
  /** Skip read-only (import-only) attributes instead of refusing them: they come from a rendered resource. */
  skipReadOnly?: boolean;
  /** `active` decides the disable-flow attribute even when the attribute is also given (a PATCH of `active`). */
  activeWins?: boolean;
}

/** What a SCIM resource says, in connector terms. */
export interface ResourceValues {
  /** Values by connector attribute name (only attributes the resource mentions). */
  attributes: Record<string, AttributeValue[]>;
  /** The DN, when the DN attribute is given. */
  dn?: string;
  /** `active`, when given. */
  active?: boolean;
  /** An initial password (`export_password` or core `password`), when given. */
  password?: string;
}

const SCIM_TYPES: Record<AttributeDefinition['type'], ScimAttributeType> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  binary: 'binary',
  reference: 'reference',
  datetime: 'dateTime',
};

/**
 * The SCIM ↔ ECMA2 translation of one connector instance: renders cached objects as SCIM users
 * (every attribute under the ECMA2Host extension, plus the optional core mapping), reads SCIM
 * resources back into attribute values, diffs them into `AttributeChange`s, and plans cache
 * queries from filters.
 */
export class Translator {
  readonly served = new Map<string, ServedAttribute>();
  readonly #byLower = new Map<string, string>();
  readonly #mapping: { path: AttrPath; text: string; attribute: string }[] = [];

  constructor(
    readonly config: ConnectorInstanceConfig,
    readonly objectType: ObjectTypeDefinition,
    readonly exportType: ExportType,
    readonly maxValueLength: number,
  ) {
    const wanted = new Map(config.attributes.map((a) => [a.name, a]));
    for (const anchor of config.anchor) if (!wanted.has(anchor)) wanted.set(anchor, { name: anchor });
    for (const [name, selected] of wanted) {
      const definition =
        objectType.attributes.find((a) => a.name === name) ??
        (name === DN_ATTRIBUTE ? ({ name, type: 'string', multiValued: false } satisfies AttributeDefinition) : undefined);
      if (definition === undefined) throw new Error(`attribute ${name} is selected but ${objectType.name} has no such attribute`);
      this.served.set(name, { definition, multiValued: definition.multiValued && selected.singleValue !== true });
      this.#byLower.set(name.toLowerCase(), name);
    }
    for (const [text, attribute] of Object.entries(config.scimMapping ?? {})) {
      if (!this.served.has(attribute)) throw new Error(`the SCIM mapping of ${text} names ${attribute}, which is not selected`);
      const path = parsePath(text);
      this.#mapping.push({ path, text: mappingKey(path), attribute });
    }
  }

  /**
   * The attributes the cache indexes: the anchor and every attribute a SCIM core attribute maps to
   * (userName, externalId, emails..., which is where Entra's matching attributes live). An `eq` on
   * any other extension attribute is answered by a scan: indexing every attribute cost more memory
   * than the whole object (docs/decisions/008-host-performance.md).
   */
  indexedAttributes(): string[] {
    const names = new Set<string>([...this.config.anchor, ...this.#mapping.map((m) => m.attribute)]);
    return [...names].filter((name) => {
      const served = this.served.get(name);
      return served !== undefined && served.definition.type !== 'binary';
    });
  }

  /** The served attribute named `name` (case-insensitively), if any. */
  attributeNamed(name: string): string | undefined {
    return this.#byLower.get(name.toLowerCase());
  }

  /** The SCIM id of an object with this anchor (case-folded for anchors that are not caseExact). */
  idOf(anchor: AnchorValues): string {
    return objectId(this.config.anchor, anchor, (name) => this.served.get(name)?.definition.caseExact === true);
  }

  /** The connector attribute a filter or PATCH path designates; `id` for the SCIM id. */
  resolvePath(path: AttrPath): string | undefined {
    if (path.schema !== undefined && path.schema.toLowerCase() === ECMA2HOST_USER_SCHEMA.toLowerCase()) {
      return path.filter === undefined && path.sub === undefined ? this.attributeNamed(path.attr) : undefined;
    }
    if ((path.schema === undefined || isCoreSchema(path.schema)) && path.attr.toLowerCase() === 'id' && path.sub === undefined && path.filter === undefined) return 'id';
    const text = mappingKey(path);
    return this.#mapping.find((m) => m.text === text)?.attribute;
  }

  /** Whether string comparisons on `path` are case-sensitive (the attribute's `caseExact`). */
  caseExact = (path: AttrPath): boolean => {
    const attribute = this.resolvePath(path);
    if (attribute === 'id') return true;
    return attribute === undefined ? false : this.served.get(attribute)?.definition.caseExact === true;
  };

  /**
   * The cache query answering `filter`: through an index for an `eq` on a served attribute. The
   * filter is evaluated on the rendered resource; `onMatch` receives each match with its rendering,
   * so a caller can answer with it instead of rendering the object again.
   */
  planQuery(filter: Filter | undefined, baseUrl: string, onMatch?: (object: CachedObject, resource: ScimResource) => void): CacheQuery {
    if (filter === undefined) return { predicate: () => true };
    const options = { caseExact: this.caseExact };
    const query: CacheQuery = {
      predicate: (object) => {
        const resource = this.toResource(object, baseUrl);
        if (!evaluateFilter(filter, resource, options)) return false;
        onMatch?.(object, resource);
        return true;
      },
    };
    const lookup = this.#indexable(filter);
    if (lookup !== undefined) query.lookup = lookup;
    return query;
  }

  #indexable(filter: Filter): CacheQuery['lookup'] | undefined {
    if (filter.kind === 'and') return this.#indexable(filter.left) ?? this.#indexable(filter.right);
    if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
    const attribute = this.resolvePath(filter.path);
    if (attribute === undefined) return undefined;
    if (attribute === 'id') return typeof filter.value === 'string' ? { id: filter.value } : undefined;
    return { attribute, value: filter.value };
  }

  /** Whether the object is active, per the disable flow's attribute (active when there is none). */
  isActive(object: Pick<CachedObject, 'attributes'>): boolean {
    const flow = this.config.deprovisioning.disable;
    if (flow.action !== 'attribute') return true;
    const value = object.attributes[flow.attribute]?.[0];
    if (value === undefined) return true;
    const flag = typeof value === 'string' ? value.toLowerCase() === 'true' : value === true || value === 1;
    return flow.activeValue === false ? !flag : flag;
  }

  /**
   * Renders a cached object as a SCIM user. With `forPatch`, attributes that the core mapping
   * renders are left out of the extension, so a PATCH of either form (`name.givenName` or
   * `urn:...:User:firstName`) decides the value without the other copy overriding it.
   */
  toResource(object: CachedObject, baseUrl: string, options: { forPatch?: boolean } = {}): ScimResource {
    const extension: Record<string, unknown> = {};
    for (const [name, served] of this.served) {
      if (attributeOperation(served.definition) === 'exportOnly') continue;
      const values = name === DN_ATTRIBUTE && object.dn !== undefined ? [object.dn] : object.attributes[name];
      if (values === undefined || values.length === 0) continue;
      const rendered = values.map(renderValue);
      extension[name] = served.multiValued ? rendered : rendered[0];
    }
    const resource: ScimResource = { schemas: [CORE_USER_SCHEMA, ECMA2HOST_USER_SCHEMA], id: object.id };
    const operations = this.#mapping
      .map(({ path, attribute }) => ({ path, value: extension[attribute] }))
      .filter((m) => m.value !== undefined)
      .map(({ path, value }) => ({ op: 'replace' as const, path, value }));
    // The core attributes are placed by the patch engine, which knows every path form.
    applyPatchInPlace(resource, operations);
    resource.active = this.isActive(object);
    if (options.forPatch) for (const { attribute } of this.#mapping) delete extension[attribute];
    resource[ECMA2HOST_USER_SCHEMA] = extension;
    resource.meta = { resourceType: 'User', created: object.created, lastModified: object.lastModified, location: `${baseUrl}/Users/${object.id}` };
    return resource;
  }

  /**
   * Reads a SCIM resource (a POST or PUT body, or a patched resource) into connector values. The
   * ECMA2Host extension wins over the core mapping when both give an attribute. Core attributes
   * that are not mapped (`name`, `roles`, `meta`, ...) are ignored, as Microsoft's host does; an
   * unknown name inside the ECMA2Host extension, a read-only attribute or an ill-typed value is a
   * 400 and nothing is written.
   */
  fromResource(resource: ScimResource, options: FromResourceOptions = {}): ResourceValues {
    const out: ResourceValues = { attributes: {} };
    const given = new Map<string, unknown>();
    for (const { path, attribute } of this.#mapping) {
      const values = valuesAt(resource, path);
      if (values.length > 0) given.set(attribute, this.served.get(attribute)!.multiValued ? values : values[0]);
    }
    const extension = getAttribute(resource, ECMA2HOST_USER_SCHEMA);
    const entries: [string, unknown][] = isPlainObject(extension) ? Object.entries(extension) : [];
    const prefix = `${ECMA2HOST_USER_SCHEMA.toLowerCase()}:`;
    for (const [key, value] of Object.entries(resource)) {
      if (key.toLowerCase().startsWith(prefix)) entries.push([key.slice(prefix.length), value]);
    }
    const unknown: string[] = [];
    for (const [key, value] of entries) {
      if (key.toLowerCase() === EXPORT_PASSWORD) {
        if (value !== null && value !== undefined) out.password = this.#password(value);
        continue;
      }
      const name = this.attributeNamed(key);
      if (name === undefined) unknown.push(key);
      else given.set(name, value);
    }
    if (unknown.length > 0) {
      throw new ScimError(400, 'invalidValue', `Unknown attribute ${unknown.map((u) => JSON.stringify(u.slice(0, 64))).join(', ')} in ${ECMA2HOST_USER_SCHEMA}; this connector serves ${[...this.served.keys()].join(', ')}.`);
    }
    const password = getAttribute(resource, 'password');
    if (password !== undefined && password !== null && out.password === undefined) out.password = this.#password(password);
    const active = getAttribute(resource, 'active');
    if (active !== undefined && active !== null) out.active = toBoolean(active, 'active');

    for (const [name, raw] of given) {
      if (raw === null || raw === undefined) continue;
      const served = this.served.get(name)!;
      if (attributeOperation(served.definition) === 'importOnly') {
        if (options.skipReadOnly) continue;
        throw new ScimError(400, 'mutability', `${name} is read-only: the connector imports it but cannot write it.`);
      }
      const values = this.#coerce(name, served, raw);
      if (name === DN_ATTRIBUTE || name === this.#dnAttribute()) {
        const dn = values[0];
        if (typeof dn === 'string') out.dn = dn;
        if (name === DN_ATTRIBUTE) continue;
      }
      if (values.length > 0) out.attributes[name] = values;
    }
    const flow = this.config.deprovisioning.disable;
    if (flow.action === 'attribute' && out.active !== undefined && (options.activeWins === true || !(flow.attribute in out.attributes))) {
      const served = this.served.get(flow.attribute);
      const flag = flow.activeValue === false ? !out.active : out.active;
      out.attributes[flow.attribute] = [served?.definition.type === 'string' ? (flag ? 'True' : 'False') : flag];
    }
    return out;
  }

  #dnAttribute(): string | undefined {
    return 'attribute' in this.config.dn ? this.config.dn.attribute : undefined;
  }

  #password(value: unknown): string {
    if (typeof value !== 'string' || value.length === 0) throw new ScimError(400, 'invalidValue', 'The password must be a non-empty string.');
    if (value.length > this.maxValueLength) throw new ScimError(400, 'invalidValue', `The password is longer than ${this.maxValueLength} characters.`);
    return value;
  }

  #coerce(name: string, served: ServedAttribute, raw: unknown): AttributeValue[] {
    const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    if (!served.multiValued && list.length > 1) throw new ScimError(400, 'invalidValue', `${name} is single-valued but ${list.length} values were given.`);
    return list
      .filter((v) => v !== null && v !== undefined)
      .map((v) => {
        const value = isPlainObject(v) && 'value' in v ? v.value : v;
        return coerceValue(name, served.definition.type, value, this.maxValueLength);
      });
  }

  /**
   * The attribute changes turning `before` into `after` for an update, shaped by the connector's
   * export type: single-valued attributes are replaced; multi-valued ones are updated value by value
   * (`attributeUpdate`) or replaced whole (`attributeReplace`); an attribute that lost every value
   * is deleted. `after` is the whole new state of the object.
   */
  diff(before: Record<string, AttributeValue[]>, after: Record<string, AttributeValue[]>): AttributeChange[] {
    const changes: AttributeChange[] = [];
    for (const [name, served] of this.served) {
      const operation = attributeOperation(served.definition);
      if (name === DN_ATTRIBUTE || operation === 'importOnly' || (operation === 'exportOnly' && !(name in after))) continue;
      const old = before[name] ?? [];
      const next = after[name] ?? [];
      const added = next.filter((v) => !old.some((o) => valuesEqual(o, v)));
      const removed = old.filter((o) => !next.some((v) => valuesEqual(o, v)));
      if (added.length === 0 && removed.length === 0) continue;
      if (next.length === 0) changes.push(attributeChange.delete(name));
      else if (old.length === 0) changes.push(attributeChange.add(name, next));
      else if (served.definition.multiValued && this.exportType === 'attributeUpdate') changes.push(attributeChange.update(name, { add: added, delete: removed }));
      else changes.push(attributeChange.replace(name, next));
    }
    return changes;
  }

  /** SCIM attribute definitions of the ECMA2Host extension schema (RFC 7643 §7). */
  extensionSchema(): ScimAttributeDefinition[] {
    const defs: ScimAttributeDefinition[] = [...this.served.values()].map(({ definition, multiValued }) => {
      const operation = attributeOperation(definition);
      const anchor = this.config.anchor.includes(definition.name);
      return {
        name: definition.name,
        type: SCIM_TYPES[definition.type],
        multiValued,
        description: definition.description ?? `${this.objectType.name} attribute ${definition.name}`,
        required: definition.required === true || (anchor && this.objectType.anchorGeneratedOnAdd !== true),
        caseExact: definition.caseExact === true,
        mutability: operation === 'importOnly' ? 'readOnly' : operation === 'exportOnly' ? 'writeOnly' : anchor ? 'immutable' : 'readWrite',
        returned: operation === 'exportOnly' ? 'never' : 'default',
        uniqueness: anchor ? 'server' : 'none',
      };
    });
    defs.push({
      name: EXPORT_PASSWORD,
      type: 'string',
      multiValued: false,
      description: 'Initial password, set by a separate password call after the object is created',
      required: false,
      caseExact: true,
      mutability: 'writeOnly',
      returned: 'never',
      uniqueness: 'none',
    });
    return defs;
  }

  /** SCIM attribute definitions of the core User schema: the mapped attributes and `active`. */
  coreSchema(): ScimAttributeDefinition[] {
    const defs = new Map<string, ScimAttributeDefinition>();
    for (const { path, attribute } of this.#mapping) {
      // Attributes mapped into another extension (enterprise) are not core attributes.
      if (path.schema !== undefined && !isCoreSchema(path.schema)) continue;
      const served = this.served.get(attribute)!;
      const leaf: ScimAttributeDefinition = {
        name: path.sub ?? path.attr,
        type: SCIM_TYPES[served.definition.type],
        multiValued: path.sub === undefined ? served.multiValued : false,
        description: `Mapped to ${attribute}`,
        required: false,
        caseExact: served.definition.caseExact === true,
        mutability: attributeOperation(served.definition) === 'importOnly' ? 'readOnly' : 'readWrite',
        returned: 'default',
        uniqueness: this.config.anchor.includes(attribute) ? 'server' : 'none',
      };
      if (path.sub === undefined) {
        defs.set(path.attr.toLowerCase(), { ...leaf, name: path.attr });
        continue;
      }
      const parent = defs.get(path.attr.toLowerCase()) ?? {
        ...leaf,
        name: path.attr,
        type: 'complex',
        multiValued: path.filter !== undefined,
        description: `${path.attr}`,
        caseExact: false,
        uniqueness: 'none',
        subAttributes: [],
      };
      const subs = parent.subAttributes ?? [];
      if (!subs.some((s) => s.name.toLowerCase() === leaf.name.toLowerCase())) subs.push(leaf);
      // `emails[type eq "work"].value` also implies the `type` sub-attribute its filter names.
      const selector = path.filter?.kind === 'compare' ? path.filter.path.attr : undefined;
      if (selector !== undefined && !subs.some((s) => s.name.toLowerCase() === selector.toLowerCase())) {
        subs.push({ ...leaf, name: selector, type: 'string', description: `${path.attr} ${selector}` });
      }
      parent.subAttributes = subs;
      defs.set(path.attr.toLowerCase(), parent);
    }
    if (!defs.has('active')) {
      defs.set('active', {
        name: 'active',
        type: 'boolean',
        multiValued: false,
        description: `Whether the user is active; disabling follows the connector's disable flow (${this.config.deprovisioning.disable.action})`,
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
      });
    }
    return [...defs.values()];
  }
}

/** A path's comparable text: lower-cased, core-schema qualification dropped, other schemas kept. */
function mappingKey(path: AttrPath): string {
  const bare: AttrPath = { ...path };
  if (bare.schema !== undefined && isCoreSchema(bare.schema)) delete bare.schema;
  return formatPath(bare).toLowerCase();
}

function renderValue(value: AttributeValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

function toBoolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new ScimError(400, 'invalidValue', `${name} must be a boolean, got ${JSON.stringify(String(value).slice(0, 40))}.`);
}

/** Converts a JSON value to the connector type, accepting Entra's string forms of booleans and numbers. */
function coerceValue(name: string, type: AttributeDefinition['type'], value: unknown, maxLength: number): AttributeValue {
  const bad = (): never => {
    throw new ScimError(400, 'invalidValue', `${name} must be of type ${type}, got ${JSON.stringify(String(JSON.stringify(value)).slice(0, 40))}.`);
  };
  switch (type) {
    case 'string':
    case 'reference': {
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : bad();
      if (text.length > maxLength) {
        throw new ScimError(400, 'invalidValue', `The value of ${name} is ${text.length} characters long; the host accepts at most ${maxLength}.`);
      }
      return text;
    }
    case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : bad();
      return Number.isSafeInteger(number) ? number : bad();
    }
    case 'boolean':
      return toBoolean(value, name);
    case 'datetime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return bad();
      return new Date(value).toISOString();
    }
    case 'binary': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/=_-]*$/.test(value)) return bad();
      if (value.length > maxLength * 2) throw new ScimError(400, 'invalidValue', `The value of ${name} is too large.`);
      return Buffer.from(value, 'base64');
    }
  }
}

