import type { AttrPath, Filter } from './filter-ast.js';
import { parsePath } from './filter-parser.js';
import { evaluateFilter } from './filter-evaluate.js';
import { ScimError } from './errors.js';
import { containerOf, findKey, getAttribute, isCoreSchema, isPlainObject } from './resource-path.js';
import type { ScimResource } from './resource-path.js';

/** The PatchOp message schema (RFC 7644 §3.5.2). */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One PATCH operation after normalisation: lower-case op, parsed path, string booleans resolved. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  /** Absent only for `add`/`replace` of a whole resource fragment, which normalisation expands. */
  path: AttrPath;
  value?: unknown;
}

/** Most operations accepted in one PATCH; Entra sends a handful. */
export const MAX_PATCH_OPERATIONS = 1000;

/**
 * Turns a PATCH body into a list of path operations, accepting what Entra sends (azure-scim-client
 * §2.1–2.3): ops in any case (`Replace`, `replace`), `"True"`/`"False"` for `active`, path-less
 * operations whose `value` object has attribute names, dotted paths (`name.givenName`) or
 * URN-qualified names as keys, and schema-URN keys holding an extension object.
 *
 * `knownSchemas` lists the extension URNs of the resource type, so that a key equal to one of them
 * is read as an extension object rather than as `urn:...:<attribute>`.
 *
 * Throws `ScimError(400, 'invalidSyntax' | 'invalidPath' | 'invalidValue')`.
 */
export function normalizePatch(body: unknown, knownSchemas: readonly string[] = []): PatchOperation[] {
  if (!isPlainObject(body)) throw new ScimError(400, 'invalidSyntax', 'The PATCH body must be a JSON object.');
  const operations = getAttribute(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(400, 'invalidSyntax', 'The PATCH body must have a non-empty "Operations" array.');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw new ScimError(400, 'tooMany', `A PATCH may hold at most ${MAX_PATCH_OPERATIONS} operations.`);
  }
  const out: PatchOperation[] = [];
  for (const raw of operations) {
    if (!isPlainObject(raw)) throw new ScimError(400, 'invalidSyntax', 'Each PATCH operation must be a JSON object.');
    const opText = getAttribute(raw, 'op');
    const op = typeof opText === 'string' ? opText.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw new ScimError(400, 'invalidSyntax', `Unknown PATCH op ${JSON.stringify(opText)}; expected add, replace or remove.`);
    }
    const pathText = getAttribute(raw, 'path');
    const value = getAttribute(raw, 'value');
    if (pathText !== undefined && pathText !== null && pathText !== '') {
      if (typeof pathText !== 'string') throw new ScimError(400, 'invalidPath', 'A PATCH path must be a string.');
      const path = parsePath(pathText);
      if (op !== 'remove' && value === undefined) throw new ScimError(400, 'invalidValue', `The ${op} of "${pathText}" has no value.`);
      out.push(withValue({ op, path }, op === 'remove' ? value : coerce(path, value)));
      continue;
    }
    if (op === 'remove') throw new ScimError(400, 'noTarget', 'A remove operation needs a path (RFC 7644 §3.5.2.2).');
    if (!isPlainObject(value)) throw new ScimError(400, 'invalidValue', `A path-less ${op} needs an object value.`);
    expand(op, value, undefined, knownSchemas, out);
  }
  return out;
}

function withValue(operation: PatchOperation, value: unknown): PatchOperation {
  if (value !== undefined) operation.value = value;
  return operation;
}

/** Expands a path-less value object into one operation per attribute. */
function expand(op: 'add' | 'replace', value: Record<string, unknown>, schema: string | undefined, knownSchemas: readonly string[], out: PatchOperation[]): void {
  for (const [key, v] of Object.entries(value)) {
    const known = knownSchemas.find((s) => s.toLowerCase() === key.toLowerCase());
    if (known !== undefined || (schema === undefined && /^urn:/i.test(key) && isCoreSchema(key))) {
      if (!isPlainObject(v)) throw new ScimError(400, 'invalidValue', `The value of ${key} must be an object.`);
      expand(op, v, known ?? key, knownSchemas, out);
      continue;
    }
    if (key.toLowerCase() === 'schemas') continue;
    const parsed = parsePath(key);
    const path: AttrPath = schema !== undefined && parsed.schema === undefined ? { ...parsed, schema } : parsed;
    // A plain complex value ({"name": {"givenName": ...}}) replaces the sub-attributes it names
    // and leaves the others (RFC 7644 §3.5.2.3).
    if (isPlainObject(v) && path.sub === undefined && path.filter === undefined) {
      for (const [sub, subValue] of Object.entries(v)) out.push(withValue({ op, path: { ...path, sub } }, coerce({ ...path, sub }, subValue)));
      continue;
    }
    out.push(withValue({ op, path }, coerce(path, v)));
  }
}

/** Resolves Entra's string booleans on the core boolean attributes (azure-scim-client §2.3). */
function coerce(path: AttrPath, value: unknown): unknown {
  const name = (path.sub ?? path.attr).toLowerCase();
  if ((name === 'active' || name === 'primary') && typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new ScimError(400, 'invalidValue', `${path.attr} must be a boolean, got ${JSON.stringify(value.slice(0, 40))}.`);
  }
  return value;
}

/**
 * Applies normalised operations to a copy of `resource` (RFC 7644 §3.5.2) and returns it. Names
 * match case-insensitively; a value-path replace that matches no element adds one built from the
 * filter's `eq` terms (Entra replaces `emails[type eq "work"].value` on users without a work email).
 */
export function applyPatch(resource: ScimResource, operations: readonly PatchOperation[]): ScimResource {
  return applyPatchInPlace(structuredClone(resource), operations);
}

/** {@link applyPatch} on `resource` itself, for a resource the caller has just built and owns. */
export function applyPatchInPlace(resource: ScimResource, operations: readonly PatchOperation[]): ScimResource {
  for (const operation of operations) applyOne(resource, operation);
  return resource;
}

function applyOne(resource: ScimResource, { op, path, value }: PatchOperation): void {
  let container = containerOf(resource, path);
  if (container === undefined) {
    if (op === 'remove') return;
    container = {};
    resource[path.schema!] = container;
  }
  applyAt(container, findKey(container, path.attr) ?? path.attr, op, path, value);
}

/** Where one `replace` of a {@link planPlacements} list puts its value. */
export interface Placement {
  readonly path: AttrPath;
  readonly core: boolean;
  /** The extension object's key on the resource, when it is fixed. */
  readonly schemaKey: string | undefined;
  /** The attribute's key in its container, when it is fixed. */
  readonly key: string | undefined;
}

/**
 * Where a fixed list of `replace` operations puts its values in a resource that starts as
 * `baseKeys` and is changed by nothing else: the keys {@link applyPatchInPlace} would find for
 * each, resolved once. A name that some other path or base key spells differently in the same
 * object (`Name` and `name`) is left to be found at each placement.
 */
export function planPlacements(paths: readonly AttrPath[], baseKeys: readonly string[]): Placement[] {
  // Spellings by object and lower-cased name; core attributes and extension objects share the top.
  const spellings = new Map<string, Set<string>>();
  const note = (object: string, name: string, kind: string) => {
    const id = `${object}\0${name.toLowerCase()}`;
    let set = spellings.get(id);
    if (set === undefined) spellings.set(id, (set = new Set()));
    set.add(`${kind}\0${name}`);
  };
  const fixed = (object: string, name: string) => spellings.get(`${object}\0${name.toLowerCase()}`)?.size === 1;
  const isCore = (path: AttrPath) => path.schema === undefined || isCoreSchema(path.schema);
  for (const key of baseKeys) note('', key, 'attribute');
  for (const path of paths) {
    if (isCore(path)) note('', path.attr, 'attribute');
    else {
      note('', path.schema!, 'extension');
      note(path.schema!.toLowerCase(), path.attr, 'attribute');
    }
  }
  return paths.map((path) => {
    if (isCore(path)) return { path, core: true, schemaKey: undefined, key: fixed('', path.attr) ? path.attr : undefined };
    const schema = path.schema!;
    return { path, core: false, schemaKey: fixed('', schema) ? schema : undefined, key: fixed(schema.toLowerCase(), path.attr) ? path.attr : undefined };
  });
}

/** A `replace` of `value` at a planned placement: the same change {@link applyPatchInPlace} makes. */
export function placeInPlace(resource: ScimResource, { path, core, schemaKey, key }: Placement, value: unknown): void {
  let container: Record<string, unknown> | undefined;
  if (core) container = resource;
  else if (schemaKey !== undefined) {
    const existing = resource[schemaKey];
    container = isPlainObject(existing) ? existing : undefined;
  } else container = containerOf(resource, path);
  if (container === undefined) {
    container = {};
    resource[path.schema!] = container;
  }
  applyAt(container, key ?? findKey(container, path.attr) ?? path.attr, 'replace', path, value);
}

/** Puts `value` where {@link placeInPlace} would put it for one planned placement. */
export type Placer = (resource: ScimResource, value: unknown) => void;

/**
 * Placers for a {@link planPlacements} list, each doing what {@link placeInPlace} does for its
 * placement when the list is applied in order to a resource that starts as `baseKeys` and that
 * nothing else changes (a rendering). Where every placement's keys are fixed, the placements that
 * share an attribute and all have one simple shape (whole values, sub-attributes of one object,
 * or sub-attributes of elements chosen by a seedable filter) write into the objects their group
 * created instead of copying them at each step, as the engine must; any other placement keeps the
 * engine's code. A rendering built this way and one built by the engine serialise alike (checked
 * in patch.test.ts over every subset of present values).
 */
export function compilePlacements(placements: readonly Placement[], baseKeys: readonly string[]): Placer[] {
  const general = placements.map((placement): Placer => (resource, value) => placeInPlace(resource, placement, value));
  const slotOf = ({ core, schemaKey, key }: Placement): string | undefined => (key === undefined || (!core && schemaKey === undefined) ? undefined : `${core ? '' : schemaKey!}\0${key}`);
  const slots = placements.map(slotOf);
  // A key found per resource could be any group's spelling: the groups are no longer separate.
  if (slots.some((slot) => slot === undefined)) return general;
  const groups = new Map<string, Placement[]>();
  placements.forEach((placement, i) => {
    const group = groups.get(slots[i]!);
    if (group === undefined) groups.set(slots[i]!, [placement]);
    else group.push(placement);
  });
  const base = new Set(baseKeys.map((k) => k.toLowerCase()));
  return placements.map((placement, i) => {
    const group = groups.get(slots[i]!)!;
    // The base keys hold values the group did not create (`schemas` is an array).
    if (placement.core && base.has(placement.key!.toLowerCase())) return general[i]!;
    const key = placement.key!;
    const target = placement.core ? (resource: ScimResource): Record<string, unknown> => resource : extensionContainer(placement.schemaKey!, placement.path.schema!);
    if (group.every(({ path }) => path.filter === undefined && path.sub === undefined)) {
      return (resource, value) => {
        target(resource)[key] = value;
      };
    }
    if (group.every(({ path }) => path.filter === undefined && path.sub !== undefined) && uniqueSpellings(group.map(({ path }) => path.sub!))) {
      const sub = placement.path.sub!;
      return (resource, value) => {
        const container = target(resource);
        let object = container[key] as Record<string, unknown> | undefined;
        if (object === undefined) container[key] = object = {};
        object[sub] = value;
      };
    }
    if (group.every(({ path }) => path.filter !== undefined && path.sub !== undefined && seedFromFilter(path.filter) !== undefined)) {
      const { filter, sub } = placement.path as Required<Pick<AttrPath, 'filter' | 'sub'>>;
      const seed = seedFromFilter(filter)!;
      return (resource, value) => {
        const container = target(resource);
        let elements = container[key] as Record<string, unknown>[] | undefined;
        if (elements === undefined) container[key] = elements = [];
        let hit = false;
        for (const element of elements) {
          if (!evaluateFilter(filter, element)) continue;
          element[findKey(element, sub) ?? sub] = value;
          hit = true;
        }
        if (!hit) elements.push({ ...seed, [sub]: value });
      };
    }
    return general[i]!;
  });
}

/** The extension object a fixed-key placement writes into, made as the engine makes it when absent. */
function extensionContainer(schemaKey: string, spelling: string): (resource: ScimResource) => Record<string, unknown> {
  return (resource) => {
    const existing = resource[schemaKey];
    if (isPlainObject(existing)) return existing;
    const made: Record<string, unknown> = {};
    resource[spelling] = made;
    return made;
  };
}

/** Whether names equal but for case are always spelled alike (so the engine's case-insensitive lookup finds the same key). */
function uniqueSpellings(names: readonly string[]): boolean {
  const seen = new Map<string, string>();
  for (const name of names) {
    const known = seen.get(name.toLowerCase());
    if (known !== undefined && known !== name) return false;
    seen.set(name.toLowerCase(), name);
  }
  return true;
}

function applyAt(container: Record<string, unknown>, key: string, op: PatchOperation['op'], path: AttrPath, value: unknown): void {
  const current = container[key];

  if (path.filter !== undefined) {
    const filter = path.filter;
    const elements = Array.isArray(current) ? (current as unknown[]) : current === undefined || current === null ? [] : [current];
    const matches = (e: unknown): boolean => isPlainObject(e) && evaluateFilter(filter, e);
    if (op === 'remove') {
      container[key] =
        path.sub === undefined
          ? elements.filter((e) => !matches(e))
          : elements.map((e) => (matches(e) ? omit(e as Record<string, unknown>, path.sub!) : e));
      return;
    }
    let hit = false;
    const updated = elements.map((e) => {
      if (!matches(e)) return e;
      hit = true;
      const element = e as Record<string, unknown>;
      if (path.sub === undefined) return isPlainObject(value) ? { ...element, ...value } : element;
      return { ...element, [findKey(element, path.sub) ?? path.sub]: value };
    });
    if (!hit) {
      const seed = seedFromFilter(filter);
      if (seed === undefined) throw new ScimError(400, 'noTarget', 'No element matches the value filter of the path.');
      updated.push(path.sub === undefined ? { ...seed, ...(isPlainObject(value) ? value : { value }) } : { ...seed, [path.sub]: value });
    }
    container[key] = updated;
    return;
  }

  if (path.sub !== undefined) {
    const sub = path.sub;
    if (Array.isArray(current)) {
      container[key] = current.map((e) => (isPlainObject(e) ? (op === 'remove' ? omit(e, sub) : { ...e, [findKey(e, sub) ?? sub]: value }) : e));
      return;
    }
    const parent = isPlainObject(current) ? current : {};
    if (op === 'remove') container[key] = omit(parent, sub);
    else container[key] = { ...parent, [findKey(parent, sub) ?? sub]: value };
    return;
  }

  switch (op) {
    case 'remove':
      if (value !== undefined && Array.isArray(current)) {
        const removals = Array.isArray(value) ? (value as unknown[]) : [value];
        container[key] = current.filter((e) => !removals.some((r) => sameElement(e, r)));
      } else delete container[key];
      return;
    case 'add':
      if (Array.isArray(current)) {
        const additions = Array.isArray(value) ? (value as unknown[]) : [value];
        container[key] = [...current, ...additions.filter((a) => !current.some((e) => sameElement(e, a)))];
      } else if (isPlainObject(current) && isPlainObject(value)) container[key] = { ...current, ...value };
      else container[key] = value;
      return;
    case 'replace':
      container[key] = value;
      return;
  }
}

function omit(object: Record<string, unknown>, name: string): Record<string, unknown> {
  const key = findKey(object, name);
  if (key === undefined) return object;
  const { [key]: _, ...rest } = object;
  return rest;
}

/** Equal elements of a multi-valued attribute: by `value` for complex ones (members), else strictly. */
function sameElement(a: unknown, b: unknown): boolean {
  if (isPlainObject(a) && isPlainObject(b)) return getAttribute(a, 'value') === getAttribute(b, 'value');
  if (isPlainObject(b)) return a === getAttribute(b, 'value');
  return a === b;
}

/** The element a filter of `eq` terms joined by `and` describes, e.g. `{ type: "work" }`. */
function seedFromFilter(filter: Filter): Record<string, unknown> | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.path.sub === undefined && filter.path.filter === undefined) {
    return { [filter.path.attr]: filter.value };
  }
  if (filter.kind === 'and') {
    const left = seedFromFilter(filter.left);
    const right = seedFromFilter(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}
