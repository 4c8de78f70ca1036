import type { CachedObject } from '../cache/cached-object.js';
import type { CacheQuery } from '../cache/connector-cache.js';
import type { AttrPath, Filter } from '../scim/filter-ast.js';
import { evaluateFilter, evaluationBudget } from '../scim/filter-evaluate.js';
import type { ScimResource } from '../scim/resource-path.js';
import { renderResource } from './resource-renderer.js';
import type { ReferenceReader } from './resource-renderer.js';
import { SCIM_ID } from './served-schema.js';
import type { ServedSchema } from './served-schema.js';

/**
 * The cache query answering `filter`: through an index for an `eq` on the SCIM id or an indexed
 * attribute (the anchor and SCIM-mapped ones), else a scan. The filter is evaluated on the
 * rendered resource; `onMatch` receives each match with its rendering, so a caller can answer
 * with it instead of rendering the object again.
 */
export function planQuery(
  schema: ServedSchema,
  given: Filter | undefined,
  baseUrl: string,
  onMatch?: (object: CachedObject, resource: ScimResource) => void,
  references?: ReferenceReader,
): CacheQuery {
  if (given === undefined) return { predicate: () => true };
  const filter = mapPaths(given, (path) => schema.filterPath(path));
  // One budget for every object the query evaluates: a plan is made per request.
  const options = { caseExact: schema.caseExactPath, budget: evaluationBudget() };
  const query: CacheQuery = {
    predicate: (object) => {
      const resource = renderResource(schema, object, baseUrl, references);
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
  // The cache holds references in the target's form, not as the SCIM ids a filter compares with.
  if (attribute === undefined || (typeof attribute === 'string' && schema.references.has(attribute))) return undefined;
  if (attribute === SCIM_ID) return typeof filter.value === 'string' ? { id: filter.value } : undefined;
  return { attribute, value: filter.value };
}

/** `filter` with every attribute path replaced by `map(path)`. */
function mapPaths(filter: Filter, map: (path: AttrPath) => AttrPath): Filter {
  switch (filter.kind) {
    case 'compare':
    case 'present':
    case 'has':
      return { ...filter, path: map(filter.path) };
    case 'and':
    case 'or':
      return { ...filter, left: mapPaths(filter.left, map), right: mapPaths(filter.right, map) };
    case 'not':
      return { ...filter, filter: mapPaths(filter.filter, map) };
  }
}
