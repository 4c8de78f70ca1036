import { randomUUID } from 'node:crypto';
import type { AnchorValues, AttributeValue, CSEntryChange, ExportEntryResult } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, applyAttributeChanges, attributeChangesOf, attributeOperation, valuesEqual } from '@ecmahost/sdk';
import type { CachedObject } from '../cache/cached-object.js';
import type { QueryPlan } from '../cache/connector-cache.js';
import { ScimError, isScimError } from '../scim/errors.js';
import { parseFilter } from '../scim/filter-parser.js';
import type { Paging } from '../scim/list-response.js';
import { applyPatchInPlace, normalizePatch } from '../scim/patch.js';
import { isCoreSchema, isPlainObject } from '../scim/resource-path.js';
import type { ScimResource } from '../scim/resource-path.js';
import { ECMA2HOST_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../scim/schema-documents.js';
import type { ConnectorRuntime } from './runtime.js';
import type { ResourceValues } from './translator.js';

/** One page of a query, with how the cache answered it. */
export interface QueryPage {
  resources: ScimResource[];
  total: number;
  plan: QueryPlan;
}

/**
 * The SCIM user operations of one connector: lookups answered from the cache, writes turned into
 * `CSEntryChange`s, exported, and written back to the cache at once. This is where a POST becomes
 * an `add`, a PATCH an `update`, a DELETE the delete flow.
 */
export class UserOperations {
  /**
   * Creates (by lock key) that did not finish: the add's outcome is unknown (no id), or the object
   * was added without its initial password yet (its id). The retry of the POST finishes them.
   */
  readonly #unfinished = new Map<string, { id?: string }>();

  constructor(readonly runtime: ConnectorRuntime) {}

  /** `GET /Users?filter=...`: the matching objects, one page of them. */
  query(filterText: string | undefined, paging: Paging, baseUrl: string): QueryPage {
    const filter = filterText === undefined || filterText.trim() === '' ? undefined : parseFilter(filterText);
    const { cache, translator } = this.runtime.requireReady();
    const from = paging.startIndex - 1;
    const to = from + paging.count;
    // The matches on the page keep the rendering the filter was evaluated on (matches come in order).
    const rendered = new Map<CachedObject, ScimResource>();
    let matches = 0;
    const keep = (object: CachedObject, resource: ScimResource): void => {
      const position = matches++;
      if (position >= from && position < to) rendered.set(object, resource);
    };
    const { objects, plan } = cache.query(translator.planQuery(filter, baseUrl, keep));
    const page = objects.slice(from, to);
    return { resources: page.map((o) => rendered.get(o) ?? translator.toResource(o, baseUrl)), total: objects.length, plan };
  }

  /** `GET /Users/{id}`. */
  get(id: string, baseUrl: string): ScimResource {
    const { translator } = this.runtime.requireReady();
    return translator.toResource(this.#find(id), baseUrl);
  }

  #find(id: string): CachedObject {
    const object = this.runtime.requireReady().cache.get(id);
    if (object === undefined) throw new ScimError(404, undefined, `Resource ${id.slice(0, 200)} not found.`);
    return object;
  }

  /** `POST /Users`: export `add`, then the initial password, then the cache. */
  async create(body: unknown, baseUrl: string): Promise<ScimResource> {
    const { translator } = this.runtime.requireReady();
    if (!isPlainObject(body)) throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object.');
    const values = translator.fromResource(body);
    this.#checkPassword(values);
    const config = this.runtime.config;
    const objectType = this.runtime.objectType!;
    const anchor: AnchorValues = {};
    for (const name of config.anchor) {
      const value = name === DN_ATTRIBUTE ? values.dn : values.attributes[name]?.[0];
      if (value !== undefined) anchor[name] = value;
      else if (objectType.anchorGeneratedOnAdd !== true && !(name === DN_ATTRIBUTE && 'autogenerate' in config.dn)) {
        throw new ScimError(400, 'invalidValue', `The anchor attribute ${name} is required to create an object (${ECMA2HOST_USER_SCHEMA}:${name}).`);
      }
    }
    const complete = config.anchor.every((n) => anchor[n] !== undefined);
    const key = complete ? this.runtime.translator!.idOf(anchor) : createKey(values, body);
    return this.runtime.exclusive(key, async () => {
      const { cache } = this.runtime.requireReady();
      const unfinished = this.#unfinished.get(key);
      const added = unfinished?.id === undefined ? undefined : this.#sameObject(cache.get(unfinished.id), values);
      if (added !== undefined) return this.#finishAdd(key, added, values.password, baseUrl);
      if (complete && cache.get(key) !== undefined) {
        throw new ScimError(409, 'uniqueness', `An object with ${describeAnchor(anchor)} already exists.`);
      }
      const anchorText = complete && config.anchor.length === 1 ? String(anchor[config.anchor[0]!]) : undefined;
      const dn = this.runtime.dnFor(anchorText, values.dn);
      const change: CSEntryChange = {
        identifier: randomUUID(),
        objectType: config.objectType,
        modification: 'add',
        anchor,
        attributeChanges: attributeChangesOf(values.attributes),
        ...(dn === undefined ? {} : { dn }),
      };
      let result: ExportEntryResult;
      try {
        result = await this.runtime.export(change);
      } catch (error) {
        if (!isScimError(error)) throw error;
        // A 503 leaves the add's outcome unknown: the target may have committed it before failing.
        if (error.status === 503) this.#unfinished.set(key, {});
        if (error.status !== 409 || unfinished === undefined) throw error;
        const landed = await this.#landedAdd(complete ? key : undefined, values, body, baseUrl);
        if (landed === undefined) throw error;
        return this.#finishAdd(key, landed, values.password, baseUrl);
      }
      const finalAnchor = { ...anchor, ...result.anchor };
      if (config.anchor.includes(DN_ATTRIBUTE) && finalAnchor[DN_ATTRIBUTE] === undefined && (result.dn ?? dn) !== undefined) finalAnchor[DN_ATTRIBUTE] = (result.dn ?? dn)!;
      let id: string;
      try {
        id = this.runtime.translator!.idOf(finalAnchor);
      } catch {
        this.#unfinished.delete(key);
        throw new ScimError(500, undefined, `Connector ${this.runtime.name} created the object but returned no anchor; run an import to see it.`);
      }
      const now = new Date().toISOString();
      const attributes = this.#kept({ ...values.attributes });
      for (const [name, value] of Object.entries(result.anchor ?? {})) if (name !== DN_ATTRIBUTE) attributes[name] = [value];
      const object: CachedObject = { id, anchor: finalAnchor, attributes, created: now, lastModified: now };
      const finalDn = result.dn ?? dn;
      if (finalDn !== undefined) object.dn = finalDn;
      cache.put(object);
      return this.#finishAdd(key, object, values.password, baseUrl);
    });
  }

  /**
   * The object an earlier attempt of this POST added, found by an import after the target refused
   * the retried add as existing: the earlier attempt failed with the add's outcome unknown (the
   * target went down mid-call), so the object the target has is most likely that add's.
   */
  async #landedAdd(id: string | undefined, values: ResourceValues, body: Record<string, unknown>, baseUrl: string): Promise<CachedObject | undefined> {
    // A delta import is cheap but may miss the add: a target killed mid-write can commit the entry
    // without its change-log record (observed with slapd's accesslog). A full import then decides.
    for (const delta of [true, false]) {
      try {
        await this.runtime.runImport({ delta });
      } catch {
        return undefined;
      }
      const found = this.#sameObject(this.#findAdded(id, values, body, baseUrl), values);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The cached object a create is about: by its id when the POST gives the whole anchor, else by DN or userName. */
  #findAdded(id: string | undefined, values: ResourceValues, body: Record<string, unknown>, baseUrl: string): CachedObject | undefined {
    const { cache, translator } = this.runtime.requireReady();
    if (id !== undefined) return cache.get(id);
    if (values.dn !== undefined) {
      const dn = values.dn.toLowerCase();
      return cache.query({ predicate: (object) => object.dn?.toLowerCase() === dn }).objects[0];
    }
    if (typeof body.userName !== 'string') return undefined;
    const { objects } = cache.query(translator.planQuery(parseFilter(`userName eq ${JSON.stringify(body.userName)}`), baseUrl));
    return objects.length === 1 ? objects[0] : undefined;
  }

  /**
   * `object` when it holds what a POST asks for: the same DN when both have one, and every value
   * the POST gives (the target may have added its own: generated anchors, defaults, timestamps).
   * A POST for anything else is a conflict.
   */
  #sameObject(object: CachedObject | undefined, values: ResourceValues): CachedObject | undefined {
    if (object === undefined) return undefined;
    if (values.dn !== undefined && object.dn !== undefined && values.dn.toLowerCase() !== object.dn.toLowerCase()) return undefined;
    const same = Object.entries(this.#kept(values.attributes)).every(([name, wanted]) => {
      const held = object.attributes[name];
      return held !== undefined && held.length === wanted.length && wanted.every((v) => held.some((h) => valuesEqual(v, h)));
    });
    return same ? object : undefined;
  }

  /**
   * Sets the initial password of an added object and answers the POST with it. Until the password
   * is set, the add stays unfinished: Entra retries a POST it saw fail, and answering that retry
   * 409 would leave the user in the target without the initial password for good, since Entra
   * sends `export_password` only at create.
   */
  async #finishAdd(key: string, object: CachedObject, password: string | undefined, baseUrl: string): Promise<ScimResource> {
    if (password !== undefined) {
      this.#unfinished.set(key, { id: object.id });
      await this.runtime.setPassword(object, password);
    }
    this.#unfinished.delete(key);
    return this.runtime.translator!.toResource(object, baseUrl);
  }

  /** `PATCH /Users/{id}`: the operations applied to the rendered resource, the difference exported. */
  async patch(id: string, body: unknown, baseUrl: string): Promise<ScimResource> {
    const { translator } = this.runtime.requireReady();
    const operations = normalizePatch(body, [ECMA2HOST_USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    for (const operation of operations) {
      const attribute = translator.resolvePath(operation.path);
      const served = attribute === undefined ? undefined : translator.served.get(attribute);
      if (served && attributeOperation(served.definition) === 'importOnly') {
        throw new ScimError(400, 'mutability', `${attribute} is read-only: the connector imports it but cannot write it.`);
      }
      const schema = operation.path.schema;
      if (schema !== undefined && schema.toLowerCase() === ECMA2HOST_USER_SCHEMA.toLowerCase() && attribute === undefined && operation.path.attr.toLowerCase() !== 'export_password') {
        throw new ScimError(400, 'invalidPath', `Unknown attribute ${operation.path.attr.slice(0, 64)} in ${ECMA2HOST_USER_SCHEMA}.`);
      }
    }
    const activeWins = operations.some((o) => o.path.attr.toLowerCase() === 'active' && (o.path.schema === undefined || isCoreSchema(o.path.schema)));
    return this.runtime.exclusive(id, async () => {
      const object = this.#find(id);
      // The rendering is new and ours (no value shared with the cached object): patched in place.
      const after = applyPatchInPlace(translator.toResource(object, baseUrl, { forPatch: true }), operations);
      const values = translator.fromResource(after, { skipReadOnly: true, activeWins });
      return this.#update(object, values, baseUrl);
    });
  }

  /** `PUT /Users/{id}`: the body is the whole new resource. */
  async replace(id: string, body: unknown, baseUrl: string): Promise<ScimResource> {
    const { translator } = this.runtime.requireReady();
    if (!isPlainObject(body)) throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object.');
    const values = translator.fromResource(body, { skipReadOnly: true });
    return this.runtime.exclusive(id, async () => this.#update(this.#find(id), values, baseUrl));
  }

  async #update(object: CachedObject, values: ResourceValues, baseUrl: string): Promise<ScimResource> {
    const { cache, translator } = this.runtime.requireReady();
    this.#checkPassword(values);
    const config = this.runtime.config;
    for (const name of config.anchor) {
      if (name === DN_ATTRIBUTE) continue;
      const next = values.attributes[name]?.[0];
      const current = object.anchor[name];
      if (next !== undefined && current !== undefined && !valuesEqual(next, current)) {
        throw new ScimError(400, 'mutability', `The anchor attribute ${name} cannot change.`);
      }
      if (next === undefined && current !== undefined) values.attributes[name] = [current];
    }
    let newDn: string | undefined;
    if (values.dn !== undefined && object.dn !== undefined && values.dn !== object.dn) {
      if (this.runtime.capabilities?.objectRename !== true) throw new ScimError(400, 'mutability', `Connector ${this.runtime.name} cannot rename objects; the DN cannot change.`);
      newDn = values.dn;
    }

    const flow = config.deprovisioning.disable;
    if (flow.action === 'delete' && values.active === false && translator.isActive(object)) {
      await this.#deleteObject(object);
      return { ...translator.toResource(object, baseUrl), active: false };
    }

    const changes = translator.diff(object.attributes, values.attributes);
    if (changes.length > 0 || newDn !== undefined) {
      const replace = this.runtime.capabilities?.exportType === 'objectReplace';
      const change: CSEntryChange = {
        identifier: randomUUID(),
        objectType: config.objectType,
        modification: replace ? 'replace' : 'update',
        anchor: object.anchor,
        attributeChanges: replace ? attributeChangesOf(values.attributes) : changes,
        ...(object.dn === undefined ? {} : { dn: object.dn }),
        ...(newDn === undefined ? {} : { newDn }),
      };
      const result = await this.runtime.export(change);
      const updated: CachedObject = {
        ...object,
        attributes: this.#kept(applyAttributeChanges(object.attributes, changes, valuesEqual)),
        lastModified: new Date().toISOString(),
      };
      const dn = result.dn ?? newDn ?? object.dn;
      if (dn !== undefined) updated.dn = dn;
      cache.put(updated);
      object = updated;
    }
    if (values.password !== undefined) await this.runtime.setPassword(object, values.password);
    return translator.toResource(object, baseUrl);
  }

  /** `DELETE /Users/{id}`: the delete flow. */
  async delete(id: string): Promise<void> {
    this.runtime.requireReady();
    await this.runtime.exclusive(id, async () => {
      const object = this.#find(id);
      if (this.runtime.config.deprovisioning.delete.action === 'none') {
        this.runtime.requireReady().cache.remove(object.id);
        return;
      }
      await this.#deleteObject(object);
    });
  }

  async #deleteObject(object: CachedObject): Promise<void> {
    const { cache } = this.runtime.requireReady();
    const change: CSEntryChange = {
      identifier: randomUUID(),
      objectType: this.runtime.config.objectType,
      modification: 'delete',
      anchor: object.anchor,
      attributeChanges: [],
      ...(object.dn === undefined ? {} : { dn: object.dn }),
    };
    try {
      await this.runtime.export(change);
    } catch (error) {
      // The target no longer has the object: the cache must not keep answering for it either.
      if (isScimError(error) && error.status === 404) cache.remove(object.id);
      throw error;
    }
    cache.remove(object.id);
  }

  /** Refuses a password before anything is written when the connector cannot set one. */
  #checkPassword(values: ResourceValues): void {
    if (values.password !== undefined && this.runtime.capabilities?.password !== true) {
      throw new ScimError(400, 'invalidValue', `Connector ${this.runtime.name} does not support passwords; remove the export_password mapping.`);
    }
  }

  /** Values the cache keeps: everything but write-only attributes (passwords). */
  #kept(attributes: Record<string, AttributeValue[]>): Record<string, AttributeValue[]> {
    const translator = this.runtime.translator!;
    const out: Record<string, AttributeValue[]> = {};
    for (const [name, values] of Object.entries(attributes)) {
      const served = translator.served.get(name);
      if (served && attributeOperation(served.definition) !== 'exportOnly' && values.length > 0) out[name] = values;
    }
    return out;
  }
}

function describeAnchor(anchor: AnchorValues): string {
  return Object.entries(anchor)
    .map(([k, v]) => `${k} ${JSON.stringify(String(v).slice(0, 100))}`)
    .join(', ');
}

/**
 * The lock key of a create whose anchor the target generates: its DN when given, else its
 * userName (what Entra matches on), else one key for all such creates of the connector.
 */
function createKey(values: ResourceValues, body: Record<string, unknown>): string {
  if (values.dn !== undefined) return `dn:${values.dn.toLowerCase()}`;
  if (typeof body.userName === 'string') return `userName:${body.userName.toLowerCase()}`;
  return ':create';
}
