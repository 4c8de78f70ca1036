import { holdsValue } from '@ecmahost/sdk';
import type { ConnectorDefinition, ParameterValue } from '@ecmahost/sdk';
import { checkParameterPage, describePageIssues, nextParameterPage, rawAnswerOf, unknownParameters } from '../configure/parameter-pages.js';
import type { RawAnswer } from '../configure/parameter-pages.js';
import { OpsError } from '../store/errors.js';
import type { Prompter } from './prompter.js';

/** Options of {@link collectParameters}. */
export interface CollectParametersOptions {
  /** Values given up front (flags, an existing configuration), by parameter name; raw strings are normalised per page. */
  given: Readonly<Record<string, ParameterValue>>;
  /** Asks for what is missing and re-asks what is wrong; absent without a TTY. */
  prompter?: Prompter;
  /** With a prompter: ask every parameter, with the given values as defaults (`connector set --interactive`). */
  askAll?: boolean;
}

/**
 * The CLI's walk through a connector's own parameter pages (the sequencing and checks are
 * `configure/parameter-pages.ts`, shared with the console). With a prompter, missing values are
 * asked and a refused page is asked again (the refused parameters, or the whole page when the
 * connector's own rule refused it); without one, the first invalid page throws
 * `OpsError('invalid-argument')` listing every issue. Given names that no page defines are refused.
 */
export async function collectParameters(definition: ConnectorDefinition, options: CollectParametersOptions): Promise<Record<string, ParameterValue>> {
  const { prompter, given } = options;
  const values: Record<string, ParameterValue> = {};
  const asked = new Set<string>();
  for (let page = await nextParameterPage(definition, undefined, values, asked); page !== undefined; page = await nextParameterPage(definition, page.step, values, asked)) {
    const raw: Record<string, RawAnswer> = {};
    const toAsk = new Set<string>();
    for (const def of page.defs) {
      asked.add(def.name);
      if (!holdsValue(def)) continue;
      const value = rawAnswerOf(given[def.name]);
      if (value !== undefined) raw[def.name] = value;
      if (value === undefined || options.askAll === true) toAsk.add(def.name);
    }
    const { step } = page;
    if (prompter && toAsk.size > 0) prompter.note(`${step.page} parameters${step.pageNumber > 1 ? ` (page ${step.pageNumber})` : ''}`);
    for (;;) {
      if (prompter) {
        for (const def of page.defs) {
          if (def.type === 'label') prompter.note(def.text);
          else if (def.type === 'divider') prompter.note('─'.repeat(20));
          else if (toAsk.has(def.name)) raw[def.name] = await prompter.parameter(def, raw[def.name]);
        }
      }
      const check = await checkParameterPage(definition, page, raw, values);
      if (check.issues.length === 0) {
        Object.assign(values, check.values);
        break;
      }
      const message = describePageIssues(page, check.issues);
      if (!prompter) throw new OpsError('invalid-argument', message);
      prompter.error(message);
      toAsk.clear();
      for (const name of check.reask) toAsk.add(name);
    }
  }
  const unknown = unknownParameters(given, asked);
  if (unknown.length > 0) {
    throw new OpsError('invalid-argument', `${definition.name} has no parameter ${unknown.join(', ')} (its parameters: ${[...asked].join(', ') || 'none'}).`);
  }
  return values;
}

