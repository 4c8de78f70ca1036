import { listResponse } from './list-response.js';
import type { ListResponse } from './list-response.js';

/** The enterprise User extension (RFC 7643 §4.3); Entra maps `employeeNumber`, `department`... into it. */
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The extension schema carrying every connector attribute, as Microsoft's host names it. */
export const ECMA2HOST_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/** SCIM attribute types (RFC 7643 §2.3). */
export type ScimAttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

/** One attribute definition of a schema document (RFC 7643 §7). */
export interface ScimAttributeDefinition {
  name: string;
  type: ScimAttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: ScimAttributeDefinition[];
}

/** One schema document. */
export interface SchemaDocument {
  schemas: [typeof SCHEMA_SCHEMA];
  id: string;
  name: string;
  description: string;
  attributes: ScimAttributeDefinition[];
  meta: { resourceType: 'Schema'; location: string };
}

/** Builds a schema document located under `baseUrl` (the connector's `/scim`). */
export function schemaDocument(baseUrl: string, id: string, name: string, description: string, attributes: ScimAttributeDefinition[]): SchemaDocument {
  return { schemas: [SCHEMA_SCHEMA], id, name, description, attributes, meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` } };
}

/** The `/Schemas` ListResponse. */
export function schemasList(documents: SchemaDocument[]): ListResponse<SchemaDocument> {
  return listResponse(documents, documents.length);
}

/** A resource type a connector serves, as `/ResourceTypes` lists it. */
export interface ResourceTypeEntry {
  name: string;
  /** Without its slash. */
  endpoint: string;
  coreSchema: string;
  extensionSchema: string;
  /** The connector's object type, for the description. */
  objectType: string;
}

/** The `/ResourceTypes` ListResponse: exactly the types served, each with its ECMA2Host extension. */
export function resourceTypesList(baseUrl: string, served: readonly ResourceTypeEntry[]): ListResponse<Record<string, unknown>> {
  const types = served.map((type) => ({
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.name,
    name: type.name,
    endpoint: `/${type.endpoint}`,
    description: `Objects of type ${type.objectType} served as SCIM ${type.name} resources`,
    schema: type.coreSchema,
    schemaExtensions: [{ schema: type.extensionSchema, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.name}` },
  }));
  return listResponse(types, types.length);
}

/** The `/ServiceProviderConfig` document (RFC 7643 §5): what this host supports. */
export function serviceProviderConfig(baseUrl: string, maxResults: number): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: 'https://github.com/ecmahost/ecmahost/blob/main/docs/reference/scim.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The secret token configured for the connector, sent as Authorization: Bearer <token>.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}
