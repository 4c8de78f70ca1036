import type { AttributeValue } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import type { CachedObject } from '../cache/cached-object.js';
import { applyPatchInPlace } from '../scim/patch.js';
import { CORE_USER_SCHEMA } from '../scim/resource-path.js';
import type { ScimResource } from '../scim/resource-path.js';
import { ECMA2HOST_USER_SCHEMA } from '../scim/schema-documents.js';
import type { ServedSchema } from './served-schema.js';

/**
 * Renders a cached object as a SCIM user: every readable served attribute under the ECMA2Host
 * extension, the mapped core attributes, `active` from the disable flow, and `meta`.
 */
export function renderResource(schema: ServedSchema, object: CachedObject, baseUrl: string): ScimResource {
  const extension = extensionValues(schema, object);
  const resource = coreResource(schema, object, extension);
  resource[ECMA2HOST_USER_SCHEMA] = extension;
  resource.meta = metaOf(object, baseUrl);
  return resource;
}

/**
 * Renders a cached object as the base a PATCH is applied to: the attributes the core mapping
 * renders are left out of the extension, so a PATCH of either form (`name.givenName` or
 * `urn:...:User:firstName`) decides the value without the other copy overriding it.
 */
export function renderForPatch(schema: ServedSchema, object: CachedObject, baseUrl: string): ScimResource {
  const extension = extensionValues(schema, object);
  const resource = coreResource(schema, object, extension);
  for (const { attribute } of schema.mapping) delete extension[attribute];
  resource[ECMA2HOST_USER_SCHEMA] = extension;
  resource.meta = metaOf(object, baseUrl);
  return resource;
}

function extensionValues(schema: ServedSchema, object: CachedObject): Record<string, unknown> {
  const extension: Record<string, unknown> = {};
  for (const served of schema.attributes.values()) {
    if (!served.kept) continue;
    const values = served.name === DN_ATTRIBUTE && object.dn !== undefined ? [object.dn] : object.attributes[served.name];
    if (values === undefined || values.length === 0) continue;
    const rendered = values.map(renderValue);
    extension[served.name] = served.multiValued ? rendered : rendered[0];
  }
  return extension;
}

function coreResource(schema: ServedSchema, object: CachedObject, extension: Record<string, unknown>): ScimResource {
  const resource: ScimResource = { schemas: [CORE_USER_SCHEMA, ECMA2HOST_USER_SCHEMA], id: object.id };
  const operations = schema.mapping
    .map(({ path, attribute }) => ({ path, value: extension[attribute] }))
    .filter((m) => m.value !== undefined)
    .map(({ path, value }) => ({ op: 'replace' as const, path, value }));
  // The core attributes are placed by the patch engine, which knows every path form.
  applyPatchInPlace(resource, operations);
  resource.active = schema.isActive(object.attributes);
  return resource;
}

function metaOf(object: CachedObject, baseUrl: string): Record<string, unknown> {
  return { resourceType: 'User', created: object.created, lastModified: object.lastModified, location: `${baseUrl}/Users/${object.id}` };
}

function renderValue(value: AttributeValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}
