import type { AttrPath, CompareOperator, CompareValue, Filter } from './filter-ast.js';
import { ScimError } from './errors.js';
import { containerOf, getAttribute, isPlainObject } from './resource-path.js';
import type { ScimResource } from './resource-path.js';

/** Options of {@link evaluateFilter}. */
export interface EvaluateOptions {
  /**
   * Whether string values of a path compare case-sensitively (RFC 7643 §2.2 `caseExact`).
   * Default: case-insensitive, as for most SCIM attributes.
   */
  caseExact?: (path: AttrPath) => boolean;
  /**
   * What is left of one request's evaluations ({@link evaluationBudget}): shared by every call
   * given the same object, so a query's evaluations over all cached objects count against it.
   * Without one, evaluation is unbounded (filters of PATCH paths, built in code).
   */
  budget?: EvaluationBudget;
}

/**
 * Most term evaluations (one attribute expression against one resource or element) one parsed
 * filter may cost in total. A query without an index evaluates the filter on every cached object,
 * so without a budget its cost grows with terms times cache size while the event loop waits; the
 * value lets a one-term scan cover half a million objects and keeps a scan to a few hundred
 * milliseconds.
 */
export const MAX_FILTER_EVALUATIONS = 500_000;

/** One request's evaluation budget (see {@link EvaluateOptions.budget}). */
export interface EvaluationBudget {
  readonly limit: number;
  remaining: number;
}

/**
 * A budget of `evaluations` term evaluations: once they are spent across every
 * {@link evaluateFilter} call given it, the next throws `ScimError(400, 'invalidFilter')`. A query
 * makes one per request. It travels in the options, not keyed by the filter in a `WeakMap`: a
 * long-lived `WeakMap` taking a new key per request cost a lookup about 5 % of its CPU
 * (docs/performance.md).
 */
export function evaluationBudget(evaluations: number = MAX_FILTER_EVALUATIONS): EvaluationBudget {
  return { limit: evaluations, remaining: evaluations };
}

/**
 * Evaluates a filter against a resource (RFC 7644 §3.4.2.2). Attribute names are matched
 * case-insensitively. An attribute the resource does not have has no value: every comparison on it
 * is false (so Entra's `PLACEHOLDER eq "..."` probe matches nothing), `pr` is false.
 *
 * Throws `ScimError(400, 'invalidFilter')` when the filter's evaluation budget is spent.
 */
export function evaluateFilter(filter: Filter, resource: ScimResource, options: EvaluateOptions = {}): boolean {
  return evaluate(filter, resource, options, options.budget);
}

function evaluate(filter: Filter, resource: ScimResource, options: EvaluateOptions, budget: EvaluationBudget | undefined): boolean {
  if (budget !== undefined && filter.kind !== 'and' && filter.kind !== 'or' && filter.kind !== 'not' && --budget.remaining < 0) {
    throw new ScimError(
      400,
      'invalidFilter',
      `The filter needs more than ${budget.limit} term evaluations over the cached objects; filter with "eq" on an indexed attribute (such as userName or externalId) or use fewer terms.`,
    );
  }
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, resource, options, budget) && evaluate(filter.right, resource, options, budget);
    case 'or':
      return evaluate(filter.left, resource, options, budget) || evaluate(filter.right, resource, options, budget);
    case 'not':
      return !evaluate(filter.filter, resource, options, budget);
    case 'present': {
      // A complex attribute (`name pr`) is present when it has any sub-attribute value.
      const values = filter.path.sub === undefined ? elementsAt(resource, filter.path, options, budget) : valuesOf(resource, filter.path, options, budget);
      return values.some((v) => v !== null && v !== '' && !(isPlainObject(v) && Object.keys(v).length === 0));
    }
    case 'has':
      return elementsAt(resource, filter.path, options, budget).length > 0;
    case 'compare':
      return comparisonHolds(valuesOf(resource, filter.path, options, budget), filter.op, filter.value, options.caseExact?.(filter.path) ?? false);
  }
}

/** Whether `op value` holds for the simple values a path designates ({@link valuesAt}). */
export function comparisonHolds(values: readonly unknown[], op: CompareOperator, value: CompareValue, caseExact: boolean): boolean {
  if (op === 'ne') return !values.some((v) => compare(v, 'eq', value, caseExact));
  if (op === 'eq' && value === null) return values.length === 0;
  return values.some((v) => compare(v, op, value, caseExact));
}

/** Elements of a multi-valued attribute (after the path's value filter). */
function elementsAt(resource: ScimResource, path: AttrPath, options: EvaluateOptions, budget: EvaluationBudget | undefined): unknown[] {
  const container = containerOf(resource, path);
  if (container === undefined) return [];
  const raw = getAttribute(container, path.attr);
  if (raw === undefined || raw === null) return [];
  const elements = Array.isArray(raw) ? raw : [raw];
  if (path.filter === undefined) return elements;
  const inner = path.filter;
  return elements.filter((e) => isPlainObject(e) && evaluate(inner, e, options, budget));
}

/**
 * The simple values a path designates: sub-attribute values of the selected elements, or the
 * elements themselves; a complex element without a sub-attribute stands for its `value`
 * (RFC 7644 §3.4.2.2: "emails eq x" compares the primary value sub-attribute).
 */
export function valuesAt(resource: ScimResource, path: AttrPath, options: EvaluateOptions = {}): unknown[] {
  return valuesOf(resource, path, options, undefined);
}

function valuesOf(resource: ScimResource, path: AttrPath, options: EvaluateOptions, budget: EvaluationBudget | undefined): unknown[] {
  const out: unknown[] = [];
  for (const element of elementsAt(resource, path, options, budget)) {
    let value: unknown = element;
    if (path.sub !== undefined) value = isPlainObject(element) ? getAttribute(element, path.sub) : undefined;
    else if (isPlainObject(element)) value = getAttribute(element, 'value');
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out.push(...(value as unknown[]));
    else out.push(value);
  }
  return out;
}

function compare(actual: unknown, op: CompareOperator, expected: CompareValue, caseExact: boolean): boolean {
  if (expected === null) return false;
  if (typeof actual === 'boolean') {
    const want = typeof expected === 'string' ? expected.toLowerCase() === 'true' : expected;
    return op === 'eq' && actual === want;
  }
  if (typeof actual === 'number' && typeof expected === 'number') return order(actual, expected, op);
  if (typeof actual === 'number' && typeof expected === 'string' && /^-?\d+(\.\d+)?$/.test(expected)) {
    return order(actual, Number(expected), op);
  }
  if (typeof actual !== 'string' && typeof actual !== 'number') return false;
  let a = String(actual);
  let b = String(expected);
  if (!caseExact) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return order(a, b, op);
  }
}

function order<T extends string | number>(a: T, b: T, op: string): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}
