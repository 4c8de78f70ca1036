import type { AttributeChange, AttributeValue } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, attributeChange, valuesEqual } from '@ecmahost/sdk';
import type { ServedSchema } from './served-schema.js';

/**
 * The attribute changes turning `before` into `after` for an update, shaped by the connector's
 * export type: single-valued attributes are replaced; multi-valued ones are updated value by value
 * (`attributeUpdate`) or replaced whole (`attributeReplace`); an attribute that lost every value
 * is deleted. `after` is the whole new state of the object.
 */
export function diffAttributes(schema: ServedSchema, before: Record<string, AttributeValue[]>, after: Record<string, AttributeValue[]>): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [name, served] of schema.attributes) {
    if (name === DN_ATTRIBUTE || served.operation === 'importOnly' || (served.operation === 'exportOnly' && !(name in after))) continue;
    const old = before[name] ?? [];
    const next = after[name] ?? [];
    const added = missingFrom(old, next);
    const removed = missingFrom(next, old);
    if (added.length === 0 && removed.length === 0) continue;
    if (next.length === 0) changes.push(attributeChange.delete(name));
    else if (old.length === 0) changes.push(attributeChange.add(name, next));
    else if (served.definition.multiValued && schema.exportType === 'attributeUpdate') changes.push(attributeChange.update(name, { add: added, delete: removed }));
    else changes.push(attributeChange.replace(name, next));
  }
  return changes;
}

/**
 * The values of `values` that `held` lacks (per `valuesEqual`). Values other than binary compare
 * by identity, so a `Set` answers in one pass: a group's 100,000 members must not cost 10^10
 * comparisons.
 */
function missingFrom(held: AttributeValue[], values: AttributeValue[]): AttributeValue[] {
  if (held.some((v) => v instanceof Uint8Array) || values.some((v) => v instanceof Uint8Array)) return values.filter((v) => !held.some((h) => valuesEqual(h, v)));
  const set = new Set(held);
  return values.filter((v) => !set.has(v));
}
