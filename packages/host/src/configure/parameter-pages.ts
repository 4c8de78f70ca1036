import { PARAMETER_PAGES, checkParameterValues, holdsValue, isSecret, normalizeParameterValues } from '@ecmahost/sdk';
import type { ConnectorDefinition, ParameterDefinition, ParameterIssue, ParameterPage, ParameterValue, ParameterValues } from '@ecmahost/sdk';
import { OpsError } from '../store/errors.js';
import { MAX_PAGES_PER_SECTION } from './defaults.js';

/** One of the connector's own parameter pages: a section and its number in a series. */
export interface ParameterStep {
  page: ParameterPage;
  pageNumber: number;
}

/** A parameter page to ask: where it is and what the connector defines on it. */
export interface ParameterPageToAsk {
  step: ParameterStep;
  defs: readonly ParameterDefinition[];
}

/** A raw answer as a front-end holds it: typed text, a ticked box, or a value given before. */
export type RawAnswer = string | boolean;

/**
 * The parameter page after `from` (or the first one), in the order of Microsoft's wizard
 * (capabilities, connectivity, schema, global, partition, run step). Pages without definitions are
 * skipped; a series ends at its first empty page, after {@link MAX_PAGES_PER_SECTION} pages, or at
 * a page that repeats only names asked before (a connector ignoring `pageNumber`, not a new page:
 * names are unique across pages). Definitions are asked with the values given so far, so pages
 * can depend on earlier answers.
 */
export async function nextParameterPage(
  definition: ConnectorDefinition,
  from: ParameterStep | undefined,
  values: Readonly<Record<string, ParameterValue>>,
  asked: ReadonlySet<string>,
): Promise<ParameterPageToAsk | undefined> {
  if (from !== undefined && from.pageNumber < MAX_PAGES_PER_SECTION) {
    const step = { page: from.page, pageNumber: from.pageNumber + 1 };
    const defs = await definition.getParameters({ ...step, values: { ...values } });
    if (defs.length > 0 && !defs.every((d) => asked.has(d.name))) return { step, defs };
  }
  const start = from === undefined ? 0 : PARAMETER_PAGES.indexOf(from.page) + 1;
  for (const page of PARAMETER_PAGES.slice(start)) {
    const defs = await definition.getParameters({ page, pageNumber: 1, values: { ...values } });
    if (defs.length > 0) return { step: { page, pageNumber: 1 }, defs };
  }
  return undefined;
}

/**
 * A page's answers as stored: normalised by the SDK, and a text left empty where the parameter has
 * no default dropped, so a blank prompt or form field stores what an omitted flag stores (nothing)
 * and every front-end writes the same file.
 */
export function pageValues(defs: readonly ParameterDefinition[], raw: Readonly<Record<string, unknown>>): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = normalizeParameterValues(defs, raw);
  for (const def of defs) {
    if (values[def.name] === '' && def.type !== 'encryptedString' && !('default' in def && def.default !== undefined && def.default !== '')) delete values[def.name];
  }
  return values;
}

/** What {@link checkParameterPage} found. */
export interface PageCheck {
  /** The page's values, normalised (secrets as `Secret`). */
  values: Record<string, ParameterValue>;
  issues: ParameterIssue[];
  /**
   * What to ask again: the parameters a declarative rule refused, or every parameter of the page
   * when the connector's own `validate` refused it. A connector rule relates several answers ("None
   * needs Allow unencrypted connection"): re-asking only the parameter it names would repeat the
   * same refusal forever.
   */
  reask: string[];
}

/**
 * Checks one page as the wizard's Next does: the SDK's declarative rules first, then the
 * connector's `validate` with the values of the earlier pages.
 */
export async function checkParameterPage(
  definition: ConnectorDefinition,
  page: ParameterPageToAsk,
  raw: Readonly<Record<string, RawAnswer | ParameterValue>>,
  before: Readonly<Record<string, ParameterValue>>,
): Promise<PageCheck> {
  const values = pageValues(page.defs, raw);
  const asked = page.defs.filter(holdsValue).map((d) => d.name);
  const declarative = checkParameterValues(page.defs, values);
  if (declarative.length > 0) {
    const named = declarative.map((i) => i.parameter).filter((p): p is string => p !== undefined && asked.includes(p));
    return { values, issues: declarative, reask: named.length > 0 ? [...new Set(named)] : asked };
  }
  const issues = await definition.validate({ ...page.step, values: { ...before, ...values } as ParameterValues });
  return { values, issues, reask: issues.length > 0 ? asked : [] };
}

/** The issues of a page as one message, naming each parameter by its label. */
export function describePageIssues(page: ParameterPageToAsk, issues: readonly ParameterIssue[]): string {
  const where = page.step.pageNumber > 1 ? `${page.step.page} page ${page.step.pageNumber}` : `${page.step.page} page`;
  const lines = issues.map((i) => {
    const def = page.defs.find((d) => d.name === i.parameter);
    const label = def !== undefined && 'label' in def ? def.label : undefined;
    return `  - ${i.parameter === undefined ? '' : `${label ?? i.parameter} (${i.parameter}): `}${i.message}`;
  });
  return `invalid values on the ${where}:\n${lines.join('\n')}`;
}

/** A stored or given value as the raw answer a prompt or form field starts from. */
export function rawAnswerOf(value: ParameterValue | undefined): RawAnswer | undefined {
  if (value === undefined) return undefined;
  return isSecret(value) ? value.reveal() : value;
}

/** The given parameter names no page on the path defined (a typo in a flag, or a stale value). */
export function unknownParameters(given: Readonly<Record<string, unknown>>, asked: ReadonlySet<string>): string[] {
  return Object.keys(given).filter((name) => !asked.has(name));
}

/**
 * Walks every parameter page with the given values only, as a front-end without prompts does (the
 * `/admin` API): the first refused page throws `OpsError('invalid-argument')` listing each of its
 * issues, and so do given names that no page on the path defines. Secrets come back as `Secret`.
 */
export async function parametersFromGiven(definition: ConnectorDefinition, given: Readonly<Record<string, RawAnswer | ParameterValue>>): Promise<Record<string, ParameterValue>> {
  const values: Record<string, ParameterValue> = {};
  const asked = new Set<string>();
  for (let page = await nextParameterPage(definition, undefined, values, asked); page !== undefined; page = await nextParameterPage(definition, page.step, values, asked)) {
    const raw: Record<string, RawAnswer> = {};
    for (const def of page.defs) {
      asked.add(def.name);
      const value = holdsValue(def) ? rawAnswerOf(given[def.name]) : undefined;
      if (value !== undefined) raw[def.name] = value;
    }
    const check = await checkParameterPage(definition, page, raw, values);
    if (check.issues.length > 0) throw new OpsError('invalid-argument', describePageIssues(page, check.issues));
    Object.assign(values, check.values);
  }
  const unknown = unknownParameters(given, asked);
  if (unknown.length > 0) throw new OpsError('invalid-argument', `${definition.name} has no parameter ${unknown.join(', ')} (its parameters: ${[...asked].join(', ') || 'none'}).`);
  return values;
}
