import type { AnchorValues, AttributeValue, CSEntryChange } from '@ecmahost/sdk';
import { EntryProblem } from './error-mapping.js';
import { findAttribute, type ObjectModel } from './object-model.js';
import { valueProblem } from './value-conversion.js';

/** A change to one multi-valued attribute, as child-table rows. */
export interface MultiChange {
  name: string;
  /** Values to remove first: `all`, or the listed ones. */
  remove: 'all' | readonly AttributeValue[];
  add: readonly AttributeValue[];
}

/** What one export entry writes, checked against the model. */
export interface WritePlan {
  /** The anchor: the entry's, completed by anchor columns among the attributes (an add). */
  anchor: AnchorValues;
  /** Single-valued columns to set; `null` clears. */
  columns: Map<string, AttributeValue | null>;
  multi: MultiChange[];
  /** The DN to store (add, or rename to `newDn`), when the model keeps DNs in a column. */
  dn?: string;
}

function problem(code: 'invalid-provisioning-value' | 'syntax-violation', message: string, attribute: string): EntryProblem {
  return new EntryProblem({ code, message, attribute });
}

/**
 * Turns an entry's attribute changes into columns and child rows to write. Refuses (as a per-entry
 * result) attributes the model does not have, read-only ones, values of the wrong type, several
 * values for a single-valued attribute, and changes to the anchor.
 */
export function planWrite(model: ObjectModel, entry: CSEntryChange): WritePlan {
  // Only the model's anchor columns: anything else in the entry's anchor (a host's -dn-) is no column.
  const anchor = Object.fromEntries(Object.entries(entry.anchor).filter(([name]) => model.anchors.includes(name)));
  const plan: WritePlan = { anchor, columns: new Map(), multi: [] };
  const whole = entry.modification === 'add' || entry.modification === 'replace';
  for (const change of entry.attributeChanges) {
    const found = findAttribute(model, change.name);
    if (!found) throw problem('invalid-provisioning-value', `${change.name} is not an attribute of ${model.objectType}.`, change.name);
    const { column, multiValued } = found;
    if (column.operation === 'importOnly') throw problem('invalid-provisioning-value', `${change.name} is import-only and cannot be written.`, change.name);
    const adds = change.valueChanges.filter((v) => v.modification === 'add').map((v) => v.value);
    const deletes = change.valueChanges.filter((v) => v.modification === 'delete').map((v) => v.value);
    for (const value of [...adds, ...deletes]) {
      const why = valueProblem(value, column.type);
      if (why !== undefined) throw problem('syntax-violation', `${change.name} ${why}.`, change.name);
    }
    if (multiValued) {
      if (change.modification === 'update') plan.multi.push({ name: change.name, remove: deletes, add: adds });
      else if (change.modification === 'delete') plan.multi.push({ name: change.name, remove: 'all', add: [] });
      else plan.multi.push({ name: change.name, remove: whole ? [] : 'all', add: adds });
      continue;
    }
    if (adds.length > 1) throw problem('syntax-violation', `${change.name} is single-valued but got ${adds.length} values.`, change.name);
    const value = change.modification === 'delete' ? null : (adds[0] ?? null);
    if (model.anchors.includes(change.name)) {
      if (whole) {
        // Defined, not assigned: an anchor column named `__proto__` would otherwise set the prototype.
        if (value !== null) Object.defineProperty(plan.anchor, change.name, { value, enumerable: true, writable: true, configurable: true });
        continue;
      }
      const current = entry.anchor[change.name];
      if (current === undefined || value === null || String(current) !== String(value)) {
        throw problem('invalid-provisioning-value', `${change.name} is the anchor and cannot change.`, change.name);
      }
      continue;
    }
    plan.columns.set(change.name, value);
  }
  if (entry.modification === 'replace') {
    // A replace carries the whole object: single-valued attributes it leaves out are cleared,
    // multi-valued ones emptied.
    for (const column of model.single) {
      if (column.operation === 'importOnly' || column.generated || model.anchors.includes(column.name) || plan.columns.has(column.name)) continue;
      if (model.dn.mode === 'column' && column.name === model.dn.column) continue;
      plan.columns.set(column.name, null);
    }
    for (const attribute of model.multi?.attributes ?? []) {
      const existing = plan.multi.find((m) => m.name === attribute.name);
      if (existing) existing.remove = 'all';
      else if (attribute.operation !== 'importOnly') plan.multi.push({ name: attribute.name, remove: 'all', add: [] });
    }
  }
  if (model.dn.mode === 'column') {
    const dn = entry.modification === 'add' ? entry.dn : entry.newDn;
    if (dn !== undefined && !plan.columns.has(model.dn.column)) plan.dn = dn;
  }
  return plan;
}

/** The object's values as one value per attribute name (first value of multi-valued ones), for placeholders. */
export function flatValues(plan: WritePlan, current: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current, ...plan.anchor };
  for (const [k, v] of plan.columns) out[k] = v;
  for (const m of plan.multi) out[m.name] = m.add[0] ?? (m.remove === 'all' ? null : out[m.name]);
  return out;
}
