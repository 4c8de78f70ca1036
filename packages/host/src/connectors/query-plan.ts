import type { CachedObject } from '../cache/cached-object.js';
import type { CacheQuery } from '../cache/connector-cache.js';
import type { Filter } from '../scim/filter-ast.js';
import { evaluateFilter } from '../scim/filter-evaluate.js';
import type { ScimResource } from '../scim/resource-path.js';
import { renderResource } from './resource-renderer.js';
import { SCIM_ID } from './served-schema.js';
import type { ServedSchema } from './served-schema.js';

/**
 * The cache query answering `filter`: through an index for an `eq` on the SCIM id or an indexed
 * attribute (the anchor and SCIM-mapped ones), else a scan. The filter is evaluated on the
 * rendered resource; `onMatch` receives each match with its rendering, so a caller can answer
 * with it instead of rendering the object again.
 */
export function planQuery(schema: ServedSchema, filter: Filter | undefined, baseUrl: string, onMatch?: (object: CachedObject, resource: ScimResource) => void): CacheQuery {
  if (filter === undefined) return { predicate: () => true };
  const options = { caseExact: schema.caseExactPath };
  const query: CacheQuery = {
    predicate: (object) => {
      const resource = renderResource(schema, object, baseUrl);
      if (!evaluateFilter(filter, resource, options)) return false;
      onMatch?.(object, resource);
      return true;
    },
  };
  const lookup = indexable(schema, filter);
  if (lookup !== undefined) query.lookup = lookup;
  return query;
}

function indexable(schema: ServedSchema, filter: Filter): CacheQuery['lookup'] | undefined {
  if (filter.kind === 'and') return indexable(schema, filter.left) ?? indexable(schema, filter.right);
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  const attribute = schema.resolvePath(filter.path);
  if (attribute === undefined) return undefined;
  if (attribute === SCIM_ID) return typeof filter.value === 'string' ? { id: filter.value } : undefined;
  return { attribute, value: filter.value };
}
