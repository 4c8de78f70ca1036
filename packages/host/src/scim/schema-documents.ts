import { CORE_USER_SCHEMA } from './resource-path.js';
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

/** The `/ResourceTypes` ListResponse: Users with the ECMA2Host extension; Groups only when served. */
export function resourceTypesList(baseUrl: string, groups: boolean): ListResponse<Record<string, unknown>> {
  const types: Record<string, unknown>[] = [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Objects of the connector served as SCIM users',
      schema: CORE_USER_SCHEMA,
      schemaExtensions: [{ schema: ECMA2HOST_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
  ];
  if (groups) {
    types.push({
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: 'urn:ietf:params:scim:schemas:core:2.0:Group',
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    });
  }
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
