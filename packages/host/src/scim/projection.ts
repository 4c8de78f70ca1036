import { splitUrn } from './filter-parser.js';
import { findKey, isCoreSchema, isPlainObject } from './resource-path.js';
import type { ScimResource } from './resource-path.js';

/** Attributes always returned whatever `attributes`/`excludedAttributes` say (RFC 7643 §7 `returned: always`). */
const ALWAYS = new Set(['id', 'schemas']);

interface Selector {
  schema?: string;
  attr: string;
  sub?: string;
}

function parseList(text: string | undefined): Selector[] {
  if (text === undefined || text.trim() === '') return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const { schema, rest } = splitUrn(s);
      const [attr = '', sub] = rest.split('.');
      const selector: Selector = { attr: attr.toLowerCase() };
      if (schema !== undefined && !isCoreSchema(schema)) selector.schema = schema.toLowerCase();
      if (sub !== undefined) selector.sub = sub.toLowerCase();
      return selector;
    });
}

/**
 * Applies `attributes` (keep only these, plus `id` and `schemas`) or `excludedAttributes` (drop
 * these) to a resource (RFC 7644 §3.4.2.5). Names are case-insensitive; URN-qualified names address
 * extension attributes; an extension URN alone addresses the whole extension.
 */
export function projectResource(resource: ScimResource, attributes?: string, excludedAttributes?: string): ScimResource {
  const include = parseList(attributes);
  const exclude = parseList(excludedAttributes);
  if (include.length === 0 && exclude.length === 0) return resource;
  const out: ScimResource = {};
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (ALWAYS.has(lower)) {
      out[key] = value;
      continue;
    }
    const isExtension = lower.startsWith('urn:') && isPlainObject(value);
    if (isExtension) {
      const wholeIn = include.some((s) => `${s.schema ?? ''}:${s.attr}` === lower || (s.schema === undefined && s.attr === lower));
      const picked: Record<string, unknown> = {};
      for (const [attr, v] of Object.entries(value)) {
        const a = attr.toLowerCase();
        const named = (list: Selector[]): boolean => list.some((s) => s.schema === lower && s.attr === a && s.sub === undefined);
        const wholeOut = exclude.some((s) => splitFull(s) === lower);
        if (include.length > 0 ? wholeIn || named(include) : !wholeOut && !named(exclude)) picked[attr] = v;
      }
      if (Object.keys(picked).length > 0) out[key] = picked;
      continue;
    }
    const matching = (list: Selector[]) => list.filter((s) => s.schema === undefined && s.attr === lower);
    if (include.length > 0) {
      const selectors = matching(include);
      if (selectors.length === 0) continue;
      const subs = selectors.filter((s) => s.sub !== undefined).map((s) => s.sub!);
      out[key] = selectors.some((s) => s.sub === undefined) ? value : pickSubs(value, subs);
    } else {
      const selectors = matching(exclude);
      if (selectors.some((s) => s.sub === undefined)) continue;
      const subs = selectors.map((s) => s.sub!);
      out[key] = subs.length === 0 ? value : dropSubs(value, subs);
    }
  }
  return out;
}

function splitFull(s: Selector): string {
  return s.schema === undefined ? s.attr : `${s.schema}:${s.attr}`;
}

function pickSubs(value: unknown, subs: string[]): unknown {
  const pick = (o: unknown) => (isPlainObject(o) ? Object.fromEntries(subs.flatMap((s) => { const k = findKey(o, s); return k === undefined ? [] : [[k, o[k]]]; })) : o);
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

function dropSubs(value: unknown, subs: string[]): unknown {
  const drop = (o: unknown) => (isPlainObject(o) ? Object.fromEntries(Object.entries(o).filter(([k]) => !subs.includes(k.toLowerCase()))) : o);
  return Array.isArray(value) ? value.map(drop) : drop(value);
}
