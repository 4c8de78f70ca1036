import { PARAMETER_PAGES, checkParameterValues, holdsValue, isSecret, normalizeParameterValues } from '@ecmahost/sdk';
import type { ConnectorDefinition, ParameterDefinition, ParameterIssue, ParameterPage, ParameterValue, ParameterValues } from '@ecmahost/sdk';
import { OpsError } from '../store/errors.js';
import type { Prompter } from './prompter.js';

// A connector computing pages may return a series (schema 1, 2, 3...); this bounds a series
// that never ends with an empty page.
const MAX_PAGES_PER_SECTION = 20;

/** Options of {@link collectParameters}. */
export interface CollectParametersOptions {
  /** Values given up front (flags, an existing configuration), by parameter name; raw strings are normalised per page. */
  given: Readonly<Record<string, ParameterValue>>;
  /** Asks for what is missing and re-asks what is wrong; absent without a TTY. */
  prompter?: Prompter;
  /** With a prompter: ask every parameter, with the given values as defaults (`connector set --interactive`). */
  askAll?: boolean;
}

function describeIssues(page: ParameterPage, pageNumber: number, issues: readonly ParameterIssue[], defs: readonly ParameterDefinition[]): string {
  const where = pageNumber > 1 ? `${page} page ${pageNumber}` : `${page} page`;
  const lines = issues.map((i) => {
    const def = defs.find((d) => d.name === i.parameter);
    return `  - ${i.parameter === undefined ? '' : `${def?.label ?? i.parameter} (${i.parameter}): `}${i.message}`;
  });
  return `invalid values on the ${where}:\n${lines.join('\n')}`;
}

function rawOf(value: ParameterValue | undefined): string | boolean | undefined {
  if (value === undefined) return undefined;
  return isSecret(value) ? value.reveal() : value;
}

/**
 * Walks a connector's own parameter pages in the order Microsoft's wizard shows them
 * (capabilities, connectivity, schema, global, partition, run step; a page series until the
 * connector returns an empty page), validating each page with the SDK's declarative rules and then
 * the connector's `validate`, as the wizard's Next button does. With a prompter, missing values are
 * asked and a page with errors is shown again; without one, the first invalid page throws
 * `OpsError('invalid-argument')` listing every issue. Given names that no page defines are refused.
 */
export async function collectParameters(definition: ConnectorDefinition, options: CollectParametersOptions): Promise<Record<string, ParameterValue>> {
  const { prompter, given } = options;
  const values: Record<string, ParameterValue> = {};
  const known = new Set<string>();
  for (const page of PARAMETER_PAGES) {
    for (let pageNumber = 1; pageNumber <= MAX_PAGES_PER_SECTION; pageNumber++) {
      const defs = await definition.getParameters({ page, pageNumber, values: { ...values } });
      if (defs.length === 0) break;
      // Names are unique across pages: a page repeating only names already asked is a connector
      // that ignores pageNumber, not a new page; the series ends there.
      if (pageNumber > 1 && defs.every((d) => known.has(d.name))) break;
      const raw: Record<string, unknown> = {};
      const toAsk = new Set<string>();
      for (const def of defs) {
        known.add(def.name);
        if (!holdsValue(def)) continue;
        const value = rawOf(given[def.name]);
        if (value !== undefined) raw[def.name] = value;
        if (value === undefined || options.askAll === true) toAsk.add(def.name);
      }
      if (prompter && defs.some((d) => holdsValue(d) && toAsk.has(d.name))) prompter.note(`${page} parameters${pageNumber > 1 ? ` (page ${pageNumber})` : ''}`);
      for (;;) {
        if (prompter) {
          for (const def of defs) {
            if (def.type === 'label') prompter.note(def.text);
            else if (def.type === 'divider') prompter.note('─'.repeat(20));
            else if (toAsk.has(def.name)) raw[def.name] = await prompter.parameter(def, raw[def.name] as string | boolean | undefined);
          }
        }
        const pageValues = normalizeParameterValues(defs, raw);
        let issues = checkParameterValues(defs, pageValues);
        if (issues.length === 0) {
          const request = { page, pageNumber, values: { ...values, ...pageValues } as ParameterValues };
          issues = await definition.validate(request);
        }
        if (issues.length === 0) {
          Object.assign(values, pageValues);
          break;
        }
        const message = describeIssues(page, pageNumber, issues, defs);
        if (!prompter) throw new OpsError('invalid-argument', message);
        prompter.error(message);
        toAsk.clear();
        for (const issue of issues) {
          if (issue.parameter !== undefined && defs.some((d) => d.name === issue.parameter)) toAsk.add(issue.parameter);
        }
        // A page-wide issue names no parameter: ask the whole page again.
        if (toAsk.size === 0) for (const def of defs) if (holdsValue(def)) toAsk.add(def.name);
      }
    }
  }
  const unknown = Object.keys(given).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new OpsError('invalid-argument', `${definition.name} has no parameter ${unknown.join(', ')} (its parameters: ${[...known].join(', ') || 'none'}).`);
  }
  return values;
}
