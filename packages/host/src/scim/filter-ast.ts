/**
 * An attribute path as RFC 7644 §3.4.2.2 and §3.5.2 write it: an optional schema URN, an
 * attribute, an optional value filter on a multi-valued attribute (`emails[type eq "work"]`) and an
 * optional sub-attribute (`name.givenName`, `emails[type eq "work"].value`).
 */
export interface AttrPath {
  /** The schema URN prefix, when the path is URN-qualified. */
  schema?: string;
  attr: string;
  filter?: Filter;
  sub?: string;
}

/** Comparison operators of RFC 7644 §3.4.2.2, lower-cased. */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal a filter compares with. */
export type CompareValue = string | number | boolean | null;

/** A parsed SCIM filter. */
export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOperator; value: CompareValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /** `attr[filter]` on its own: true when an element of the multi-valued attribute matches. */
  | { kind: 'has'; path: AttrPath };

/** Renders a path back to SCIM text (for messages and logs). */
export function formatPath(path: AttrPath): string {
  const head = path.schema === undefined ? path.attr : `${path.schema}:${path.attr}`;
  const filter = path.filter === undefined ? '' : `[${formatFilter(path.filter)}]`;
  return `${head}${filter}${path.sub === undefined ? '' : `.${path.sub}`}`;
}

/** Renders a filter back to SCIM text. */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatPath(filter.path)} ${filter.op} ${JSON.stringify(filter.value)}`;
    case 'present':
      return `${formatPath(filter.path)} pr`;
    case 'and':
    case 'or':
      return `(${formatFilter(filter.left)} ${filter.kind} ${formatFilter(filter.right)})`;
    case 'not':
      return `not (${formatFilter(filter.filter)})`;
    case 'has':
      return formatPath(filter.path);
  }
}
