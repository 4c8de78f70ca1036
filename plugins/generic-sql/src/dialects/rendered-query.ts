import { fillPlaceholders, type Query, type SQL } from 'drizzle-orm';
import type { PlaceholderValues } from './dialect.js';

/** A statement as its driver takes it: the text with the dialect's placeholders, and the values. */
export interface RenderedQuery {
  text: string;
  params: unknown[];
}

/**
 * Turns drizzle `sql` objects into text and parameters for one dialect. A statement run with
 * `values` is a reusable template (its values are `sql.placeholder`s): its text is rendered once
 * and kept for as long as the caller keeps the `SQL` object, since rendering costs more than the
 * rest of a one-row write on the connector's side.
 */
export function queryRenderer(dialect: { sqlToQuery(query: SQL): Query }): (query: SQL, values?: PlaceholderValues) => RenderedQuery {
  const templates = new WeakMap<SQL, Query>();
  return (query, values) => {
    if (values === undefined) {
      const once = dialect.sqlToQuery(query);
      return { text: once.sql, params: once.params };
    }
    let rendered = templates.get(query);
    if (rendered === undefined) {
      rendered = dialect.sqlToQuery(query);
      templates.set(query, rendered);
    }
    return { text: rendered.sql, params: fillPlaceholders(rendered.params, values) };
  };
}
