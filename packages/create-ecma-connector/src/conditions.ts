import type { Capability } from './capabilities.js';
import { CAPABILITIES } from './capabilities.js';
import { ScaffoldError } from './scaffold-error.js';

// A marker is a whole line: `// #if export`, `<!-- #if delta && !password -->`, `// #endif`.
// Markers are comments in every language the template uses, so the template stays a valid
// project with every capability on.
const MARKER = /^\s*(?:\/\/|<!--|#)\s*#(if|endif)\b(.*?)(?:-->)?\s*$/;

/**
 * Whether a marker condition holds for the selected capabilities. A condition is one or more
 * terms (`export`, `!delta`) joined by `&&` or by `||`; mixing both is refused as ambiguous.
 */
export function evaluateCondition(condition: string, selected: readonly Capability[], where = 'condition'): boolean {
  const text = condition.trim();
  const hasAnd = text.includes('&&');
  const hasOr = text.includes('||');
  if (text.length === 0) throw new ScaffoldError('template-error', `${where}: #if needs a condition`);
  if (hasAnd && hasOr) throw new ScaffoldError('template-error', `${where}: "${text}" mixes && and ||; nest two #if blocks instead`);
  const terms = text.split(hasOr ? '||' : '&&').map((t) => t.trim());
  const values = terms.map((term) => {
    const negated = term.startsWith('!');
    const name = negated ? term.slice(1).trim() : term;
    if (!(CAPABILITIES as readonly string[]).includes(name)) {
      throw new ScaffoldError('template-error', `${where}: unknown capability "${name}" in "${text}"`);
    }
    return selected.includes(name as Capability) !== negated;
  });
  return hasOr ? values.some(Boolean) : values.every(Boolean);
}

/**
 * Keeps the lines of `text` whose enclosing `#if` blocks hold for `selected` and drops every marker
 * line. Blocks nest. When something was dropped, runs of blank lines left behind shrink to one.
 * Throws `ScaffoldError('template-error')` for an unbalanced or malformed marker, naming `file` and line.
 */
export function applyConditions(text: string, selected: readonly Capability[], file: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  // One entry per open block: whether its own condition holds.
  const stack: boolean[] = [];
  let dropped = false;
  lines.forEach((line, index) => {
    const where = `${file}:${String(index + 1)}`;
    const marker = MARKER.exec(line);
    if (marker) {
      dropped = true;
      if (marker[1] === 'if') stack.push(evaluateCondition(marker[2] ?? '', selected, where));
      else if (stack.pop() === undefined) throw new ScaffoldError('template-error', `${where}: #endif without #if`);
      return;
    }
    if (stack.every(Boolean)) kept.push(line);
    else dropped = true;
  });
  if (stack.length > 0) throw new ScaffoldError('template-error', `${file}: ${String(stack.length)} #if block(s) not closed`);
  const result = kept.join('\n');
  return dropped ? result.replace(/\n(?:[ \t]*\n){2,}/g, '\n\n') : result;
}
