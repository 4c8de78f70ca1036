import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { planQuery } from '../connectors/query-plan.js';
import { coreSchemaAttributes, extensionSchemaAttributes } from '../connectors/schema-attributes.js';
import { redact } from '../logging/redact.js';
import { readJsonBody } from '../middleware/json-body.js';
import type { FailureBackoff } from '../auth/failure-backoff.js';
import { authenticateConnector, authenticateFromClient } from '../middleware/bearer-auth.js';
import { requestClient } from '../middleware/client-address.js';
import { requestHeader } from '../middleware/node-request.js';
import { originOf } from '../middleware/request-url.js';
import { scimBody, scimText } from '../middleware/scim-response.js';
import { ScimError } from '../scim/errors.js';
import { parseFilter } from '../scim/filter-parser.js';
import { MAX_PAGE_SIZE, listResponse, readPaging } from '../scim/list-response.js';
import { projectResource } from '../scim/projection.js';
import { resourceTypesList, schemaDocument, schemasList, serviceProviderConfig } from '../scim/schema-documents.js';
import type { ServedSchema } from '../connectors/served-schema.js';
import type { UserOperations } from '../connectors/user-operations.js';
import type { ConnectorLookup, HostEnv, ServedConnector } from './host-env.js';
import { queryParams } from './query-params.js';

const PREFIX = 'ecma2host_';

/** Options of {@link registerScimRoutes}. */
export interface ScimRoutesOptions {
  lookup: ConnectorLookup;
  logger: Logger;
  bodyLimitBytes: number;
  /** Called with a stronger hash of a connector's token after a request presented it (an old hash format verified). */
  onTokenRehash?: (name: string, tokenHash: string) => void;
  /** The host's backoff on refused tokens, per client address. */
  tokenBackoff: FailureBackoff;
  /** Addresses of trusted TLS proxies: their requests' client is the `X-Forwarded-For` one. */
  trustProxy: readonly string[];
}

/**
 * Serves `/ecma2host_<name>/scim/...` for every connector: the connector name is matched
 * case-sensitively (as Microsoft's host does), resource names case-insensitively, a trailing slash
 * is ignored. Every route, including `Schemas` and `cache`, needs the connector's bearer token.
 * Paths not under an `ecma2host_` prefix fall through to other routes (`/admin`).
 */
export function registerScimRoutes(app: Hono<HostEnv>, options: ScimRoutesOptions): void {
  const handler = async (c: Context<HostEnv>, next: () => Promise<void>): Promise<Response | void> => {
    const segment = c.req.param('prefix') ?? '';
    if (!segment.startsWith(PREFIX)) return next();
    const name = segment.slice(PREFIX.length);
    const found = options.lookup(name);
    // Metrics and the request log label only real names: a made-up one must not grow a label set.
    if (found !== undefined) c.set('connector', name);
    // An unknown name answers the same 401 as a wrong token, so the names of connectors cannot be probed without one.
    const onRehash = options.onTokenRehash;
    const authorization = requestHeader(c, 'authorization');
    const served = authenticateFromClient(options.tokenBackoff, requestClient(c, options.trustProxy), authorization !== undefined, () =>
      authenticateConnector(authorization, found, name, onRehash && ((hash) => onRehash(name, hash))),
    );
    const rest = c.req.path.slice(`/${segment}/scim`.length).split('/').filter((s) => s.length > 0);
    const baseUrl = `${originOf(c.req.url)}/${segment}/scim`;
    return dispatch(c, served, rest, baseUrl, options);
  };
  app.all('/:prefix/scim', handler);
  app.all('/:prefix/scim/*', handler);
}

async function dispatch(c: Context<HostEnv>, served: ServedConnector, rest: string[], baseUrl: string, options: ScimRoutesOptions): Promise<Response> {
  const method = c.req.method.toUpperCase();
  const [resource = '', id, ...extra] = rest;
  const params = queryParams(c.req.url);
  if (extra.length > 0) throw notFound(c);
  const endpoint = resource.toLowerCase();
  const operations = served.resources.find((r) => r.resource.endpoint.toLowerCase() === endpoint);
  if (operations !== undefined) return resourceRoute(c, operations, method, id, params, baseUrl, options);
  switch (endpoint) {
    case 'groups':
      // The connector serves no group type: Entra's probe must still get a clean empty list.
      if (id === undefined && method === 'GET') {
        const filter = params.get('filter');
        if (filter !== undefined && filter.trim() !== '') parseFilter(filter);
        return scimBody(c, listResponse([], 0));
      }
      throw new ScimError(404, undefined, `Connector ${served.runtime.name} serves no groups.`);
    case 'schemas': {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      const documents = schemaDocuments(served, baseUrl);
      if (id === undefined) return scimBody(c, schemasList(documents));
      const document = documents.find((d) => d.id.toLowerCase() === id.toLowerCase());
      if (document === undefined) throw new ScimError(404, undefined, `No schema ${id.slice(0, 200)}.`);
      return scimBody(c, document);
    }
    case 'serviceproviderconfig':
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      if (id !== undefined) throw notFound(c);
      return scimBody(c, serviceProviderConfig(baseUrl, MAX_PAGE_SIZE));
    case 'resourcetypes': {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      const list = resourceTypesList(
        baseUrl,
        served.resources.map((r) => ({ ...r.resource, objectType: r.objectType })),
      );
      if (id === undefined) return scimBody(c, list);
      const type = list.Resources.find((r) => String(r.id).toLowerCase() === id.toLowerCase());
      if (type === undefined) throw new ScimError(404, undefined, `No resource type ${id.slice(0, 100)}.`);
      return scimBody(c, type);
    }
    case 'cache':
      if (method !== 'GET' || id !== undefined) throw methodNotAllowed(method, 'GET');
      return cacheView(c, served, params);
    default:
      throw notFound(c);
  }
}

/**
 * The routes of one served resource type (`/Users`, `/Groups`, a custom endpoint). A group PATCH
 * answers 204 without a body, as Entra expects (azure-scim-client §1.2); other PATCHes answer the
 * resource.
 */
async function resourceRoute(
  c: Context<HostEnv>,
  operations: UserOperations,
  method: string,
  id: string | undefined,
  params: Map<string, string>,
  baseUrl: string,
  options: ScimRoutesOptions,
): Promise<Response> {
  if (id === undefined) {
    if (method === 'GET') return list(c, operations, params, baseUrl);
    if (method === 'POST') {
      const body = await readBody(c, options);
      const created = await operations.create(body, baseUrl, c.get('writeNotes'));
      return respond(c, options, scimBody(c, project(created, params, operations.schema()), 201, { location: String((created.meta as { location: string }).location) }), created);
    }
    throw methodNotAllowed(method, 'GET, POST');
  }
  switch (method) {
    case 'GET':
      return scimBody(c, project(operations.get(id, baseUrl), params, operations.schema()));
    case 'PATCH': {
      const updated = await operations.patch(id, await readBody(c, options), baseUrl, c.get('writeNotes'));
      if (updated === undefined) return c.body(null, 204);
      return respond(c, options, scimBody(c, project(updated, params, operations.schema())), updated);
    }
    case 'PUT': {
      const updated = await operations.replace(id, await readBody(c, options), baseUrl, c.get('writeNotes'));
      return respond(c, options, scimBody(c, project(updated, params, operations.schema())), updated);
    }
    case 'DELETE':
      await operations.delete(id, c.get('writeNotes'));
      return c.body(null, 204);
    default:
      throw methodNotAllowed(method, 'GET, PATCH, PUT, DELETE');
  }
}

function list(c: Context<HostEnv>, operations: UserOperations, params: Map<string, string>, baseUrl: string): Response {
  const paging = readPaging(params.get('startindex'), params.get('count'));
  // Entra's lookup (`<attribute> eq "<value>"`, every attribute returned) is written from the
  // packed records as text (decision 027); anything else is rendered and projected.
  if (!params.has('attributes') && !params.has('excludedattributes')) {
    const text = operations.queryText(params.get('filter'), paging, baseUrl);
    if (text !== undefined) return scimText(c, text);
  }
  const page = operations.query(params.get('filter'), paging, baseUrl);
  const schema = operations.schema();
  const resources = page.resources.map((r) => project(r, params, schema));
  return scimBody(c, listResponse(resources, page.total, paging.startIndex));
}

/** The authenticated diagnosis view of the connector space: state, size, raw objects, query plan. */
function cacheView(c: Context<HostEnv>, served: ServedConnector, params: Map<string, string>): Response {
  const status = served.runtime.status();
  const open = served.runtime.opened?.open;
  // `type` names a served object type or resource type (`group`, `Group`); absent, the first one.
  const typeName = params.get('type');
  const operations = typeName === undefined ? served.users : served.resources.find((r) => r.objectType === typeName || r.resource.name.toLowerCase() === typeName.toLowerCase());
  if (operations === undefined) throw new ScimError(404, undefined, `Connector ${served.runtime.name} serves no type ${typeName?.slice(0, 100) ?? ''}.`);
  const cache = open?.caches.get(operations.objectType);
  const schema = open?.schemas.get(operations.objectType);
  if (cache === undefined || schema === undefined || cache.state !== 'ready') return scimBody(c, { ...status, objects: [] });
  const paging = readPaging(params.get('startindex'), params.get('count'));
  const filterText = params.get('filter');
  const filter = filterText === undefined || filterText.trim() === '' ? undefined : parseFilter(filterText);
  const { objects, plan } = cache.query(planQuery(schema, filter, ''));
  const page = objects.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count).map((o) => ({
    id: o.id,
    anchor: o.anchor,
    ...(o.dn === undefined ? {} : { dn: o.dn }),
    attributes: Object.fromEntries(Object.entries(o.attributes).map(([k, v]) => [k, v.map((x) => (x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x))])),
    created: o.created,
    lastModified: o.lastModified,
  }));
  return scimBody(c, { ...status, totalResults: objects.length, startIndex: paging.startIndex, plan, objects: page });
}

/** The core and ECMA2Host extension schema of every served type, and nothing else. */
function schemaDocuments(served: ServedConnector, baseUrl: string) {
  return served.resources.flatMap((operations) => {
    const schema = operations.schema();
    const { name, coreSchema, extensionSchema } = schema.resource;
    return [
      schemaDocument(baseUrl, coreSchema, name, name === 'User' ? 'User account' : name === 'Group' ? 'Group' : `${name} resource`, coreSchemaAttributes(schema)),
      schemaDocument(baseUrl, extensionSchema, `ECMA2Host ${name}`, `Attributes of ${schema.name} served by connector ${served.runtime.name}`, extensionSchemaAttributes(schema)),
    ];
  });
}

function project(resource: Record<string, unknown>, params: Map<string, string>, schema: ServedSchema): Record<string, unknown> {
  const excluded = params.get('excludedattributes');
  // The ECMA2Host extension repeats every mapped attribute, so `excludedAttributes=members` drops
  // its copy (a group's member attribute) too: else a large group's member list still goes out,
  // the answer Entra's provisioning logs flag (azure-scim-client §1.2).
  const withCopies = excluded === undefined ? undefined : [excluded, ...excluded.split(',').flatMap((name) => schema.extensionNamesOf(name))].join(',');
  return projectResource(resource, params.get('attributes'), withCopies);
}

async function readBody(c: Context<HostEnv>, options: ScimRoutesOptions): Promise<unknown> {
  const body = await readJsonBody(c, options.bodyLimitBytes);
  if (options.logger.isLevelEnabled('debug')) {
    options.logger.debug({ requestId: c.get('requestId'), connector: c.get('connector'), body: redact(body) }, 'request body');
  }
  return body;
}

function respond(c: Context<HostEnv>, options: ScimRoutesOptions, response: Response, body: unknown): Response {
  if (options.logger.isLevelEnabled('debug')) {
    options.logger.debug({ requestId: c.get('requestId'), connector: c.get('connector'), body: redact(body) }, 'response body');
  }
  return response;
}

function notFound(c: Context<HostEnv>): ScimError {
  return new ScimError(404, undefined, `No SCIM resource at ${c.req.path.slice(0, 200)}.`);
}

function methodNotAllowed(method: string, allowed: string): ScimError {
  return new ScimError(405, undefined, `${method} is not supported here; use ${allowed}.`);
}
