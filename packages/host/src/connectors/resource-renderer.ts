import type { AttributeValue } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import type { CachedObject } from '../cache/cached-object.js';
import type { Placer } from '../scim/patch.js';
import { compilePlacements, planPlacements } from '../scim/patch.js';
import type { ScimResource } from '../scim/resource-path.js';
import type { ServedSchema } from './served-schema.js';

/** Turns a target reference value into the SCIM id of the object it names (undefined when unknown). */
export type ReferenceReader = (value: AttributeValue) => string | undefined;

/**
 * Renders a cached object as a SCIM resource of its type: every readable served attribute under
 * the type's ECMA2Host extension, the mapped core attributes, `active` from the disable flow
 * (not for groups), and `meta`. Reference values are rendered as the SCIM ids of the objects they
 * name (`{"value": id}` in core attributes such as `members`); one naming no object the host
 * knows is left out, since Entra could do nothing with it.
 */
export function renderResource(schema: ServedSchema, object: CachedObject, baseUrl: string, references?: ReferenceReader): ScimResource {
  const extension = extensionValues(schema, object, references, undefined);
  const resource = coreResource(schema, object, extension);
  resource[schema.resource.extensionSchema] = extension;
  resource.meta = metaOf(schema, object, baseUrl);
  return resource;
}

/**
 * Renders a cached object as the base a PATCH is applied to: the attributes the core mapping
 * renders are left out of the extension, so a PATCH of either form (`name.givenName` or
 * `urn:...:User:firstName`) decides the value without the other copy overriding it. A reference
 * naming no known object is rendered as it is and recorded in `unresolved`, so that the PATCH
 * keeps it unless it removes it.
 */
export function renderForPatch(schema: ServedSchema, object: CachedObject, baseUrl: string, references?: ReferenceReader, unresolved?: Set<string>): ScimResource {
  const extension = extensionValues(schema, object, references, unresolved ?? new Set());
  const resource = coreResource(schema, object, extension);
  for (const { attribute } of schema.mapping) delete extension[attribute];
  resource[schema.resource.extensionSchema] = extension;
  resource.meta = metaOf(schema, object, baseUrl);
  return resource;
}

function extensionValues(schema: ServedSchema, object: CachedObject, references: ReferenceReader | undefined, unresolved: Set<string> | undefined): Record<string, unknown> {
  const extension: Record<string, unknown> = {};
  for (const served of schema.attributes.values()) {
    if (!served.kept) continue;
    const values = served.name === DN_ATTRIBUTE && object.dn !== undefined ? [object.dn] : object.attributes[served.name];
    // Not `=== undefined`: an attribute named `__proto__` that the object lacks reads as Object.prototype.
    if (!Array.isArray(values) || values.length === 0) continue;
    let rendered: unknown[];
    if (references !== undefined && schema.references.has(served.name)) {
      rendered = [];
      for (const value of values) {
        const id = references(value);
        if (id !== undefined) rendered.push(id);
        else if (unresolved !== undefined) {
          unresolved.add(String(value));
          rendered.push(String(value));
        }
      }
      if (rendered.length === 0) continue;
    } else rendered = values.map(renderValue);
    extension[served.name] = served.multiValued ? rendered : rendered[0];
  }
  return extension;
}

/** A mapped core attribute's placement, resolved once per served schema. */
interface CoreStep {
  readonly attribute: string;
  readonly place: Placer;
  /** A core reference is a complex value ({"value": id}), as RFC 7643 writes members and manager. */
  readonly complex: boolean;
}

const coreSteps = new WeakMap<ServedSchema, readonly CoreStep[]>();

/**
 * The core attributes are placed where the patch engine's `replace` would put them (it knows
 * every path form), by placers compiled once per schema: per response, that leaves only the
 * writes (the engine's copying of objects and arrays at each step was ~4 % of a lookup's CPU,
 * docs/performance.md).
 */
function stepsOf(schema: ServedSchema): readonly CoreStep[] {
  let steps = coreSteps.get(schema);
  if (steps === undefined) {
    const base = ['schemas', 'id'];
    const placers = compilePlacements(planPlacements(schema.mapping.map(({ path }) => path), base), base);
    steps = schema.mapping.map(({ path, attribute }, i) => ({ attribute, place: placers[i]!, complex: schema.references.has(attribute) && path.sub === undefined }));
    coreSteps.set(schema, steps);
  }
  return steps;
}

function coreResource(schema: ServedSchema, object: CachedObject, extension: Record<string, unknown>): ScimResource {
  const resource: ScimResource = { schemas: [schema.resource.coreSchema, schema.resource.extensionSchema], id: object.id };
  for (const { attribute, place, complex } of stepsOf(schema)) {
    const value = extension[attribute];
    if (value !== undefined) place(resource, complex ? asComplex(value) : value);
  }
  if (schema.resource.name !== 'Group') resource.active = schema.isActive(object.attributes);
  return resource;
}

function asComplex(value: unknown): unknown {
  return Array.isArray(value) ? value.map((v) => ({ value: v })) : { value };
}

function metaOf(schema: ServedSchema, object: CachedObject, baseUrl: string): Record<string, unknown> {
  return { resourceType: schema.resource.name, created: object.created, lastModified: object.lastModified, location: `${baseUrl}/${schema.resource.endpoint}/${object.id}` };
}

function renderValue(value: AttributeValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}
