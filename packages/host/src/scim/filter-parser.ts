import type { AttrPath, CompareOperator, CompareValue, Filter } from './filter-ast.js';
import { ScimError } from './errors.js';

const COMPARE_OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
/** Longest filter accepted; Entra's are a few hundred characters at most. */
export const MAX_FILTER_LENGTH = 10_000;
/** Longest PATCH path accepted; Entra's are under a hundred characters. */
export const MAX_PATH_LENGTH = 1_000;
/**
 * Most attribute expressions (terms) in one filter or path. Entra sends one; the cap bounds the
 * work per evaluated resource and the depth of the tree an `and`/`or` chain builds, which every
 * recursive walk of the filter (evaluation, formatting) descends.
 */
export const MAX_FILTER_TERMS = 100;
/** Deepest nesting of parentheses, `not` and value filters, so a hostile filter cannot exhaust the stack. */
export const MAX_FILTER_DEPTH = 32;
/**
 * Whether a character code is JavaScript's `\s`. The ASCII ones are compared as numbers: a
 * regular expression per character was most of what parsing Entra's one-term filter cost.
 */
function isSpace(code: number): boolean {
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : /\s/.test(String.fromCharCode(code));
}

/** Whether a character code ends a word: a space, a parenthesis, a bracket or a quote. */
function endsWord(code: number): boolean {
  return code === 40 || code === 41 || code === 91 || code === 93 || code === 34 || isSpace(code);
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2): `and`/`or`/`not` with the spec's precedence
 * (not > and > or), parentheses, value paths (`emails[type eq "work"]`, also followed by a
 * sub-attribute as Entra sends: `emails[type eq "work"].value eq "x"`), URN-qualified attributes and
 * JSON string escapes. Keywords and operators are case-insensitive.
 *
 * An unquoted word as a comparison value is taken as a string, as in Microsoft's older
 * documentation (`externalId eq jyoung`).
 *
 * Throws `ScimError(400, 'invalidFilter')` naming the position of the first problem, also past
 * {@link MAX_FILTER_LENGTH} characters, {@link MAX_FILTER_TERMS} terms or {@link MAX_FILTER_DEPTH}
 * levels. What evaluating it may cost is bounded by the query's budget (`evaluationBudget`).
 */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw new ScimError(400, 'invalidFilter', `The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  const parser = new Parser(text);
  const filter = parser.parseOr(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail('unexpected text');
  return filter;
}

/**
 * Parses an attribute path as used in PATCH operations (RFC 7644 §3.5.2): `attr`, `attr.sub`,
 * `urn:...:attr`, `attr[filter]`, `attr[filter].sub`. Throws `ScimError(400, 'invalidPath')`, also
 * past {@link MAX_PATH_LENGTH} characters and for a value filter over the filter limits.
 */
export function parsePath(text: string): AttrPath {
  if (text.length > MAX_PATH_LENGTH) throw new ScimError(400, 'invalidPath', `The path is longer than ${MAX_PATH_LENGTH} characters.`);
  const parser = new Parser(text.trim());
  try {
    const path = parser.parsePath(0);
    if (!parser.atEnd()) parser.fail('unexpected text');
    return path;
  } catch (error) {
    throw new ScimError(400, 'invalidPath', `Invalid path "${truncate(text)}": ${(error as Error).message}`);
  }
}

/**
 * Splits `urn:...:attr.sub` into schema and the rest. The schema is everything before the last
 * colon: attribute names never contain one (RFC 7643 §2.1 ATTRNAME).
 */
export function splitUrn(word: string): { schema?: string; rest: string } {
  if (!/^urn:/i.test(word)) return { rest: word };
  const colon = word.lastIndexOf(':');
  return { schema: word.slice(0, colon), rest: word.slice(colon + 1) };
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

class Parser {
  #pos = 0;
  #terms = 0;
  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.#pos >= this.text.length;
  }

  fail(message: string): never {
    throw new ScimError(400, 'invalidFilter', `Invalid filter at character ${this.#pos + 1}: ${message}.`);
  }

  skipSpace(): void {
    while (!this.atEnd() && isSpace(this.text.charCodeAt(this.#pos))) this.#pos++;
  }

  #peek(): string | undefined {
    return this.text[this.#pos];
  }

  /** Reads a word if the next one (case-insensitively) is `keyword` followed by a space or `(`. */
  #keyword(keyword: string): boolean {
    this.skipSpace();
    const end = this.#pos + keyword.length;
    if (this.text.slice(this.#pos, end).toLowerCase() !== keyword) return false;
    const next = this.text[end];
    if (next !== undefined && next !== '(' && !isSpace(next.charCodeAt(0))) return false;
    this.#pos = end;
    return true;
  }

  #word(): string {
    const start = this.#pos;
    while (!this.atEnd() && !endsWord(this.text.charCodeAt(this.#pos))) this.#pos++;
    return this.text.slice(start, this.#pos);
  }

  parseOr(depth: number): Filter {
    let left = this.parseAnd(depth);
    while (this.#keyword('or')) left = { kind: 'or', left, right: this.parseAnd(depth) };
    return left;
  }

  parseAnd(depth: number): Filter {
    let left = this.#parseUnary(depth);
    while (this.#keyword('and')) left = { kind: 'and', left, right: this.#parseUnary(depth) };
    return left;
  }

  #parseUnary(depth: number): Filter {
    if (depth > MAX_FILTER_DEPTH) this.fail(`the filter nests parentheses, "not" and value filters more than ${MAX_FILTER_DEPTH} levels deep`);
    this.skipSpace();
    if (this.#peek() === '(') {
      this.#pos++;
      const inner = this.parseOr(depth + 1);
      this.skipSpace();
      if (this.#peek() !== ')') this.fail('missing ")"');
      this.#pos++;
      return inner;
    }
    const save = this.#pos;
    if (this.#keyword('not')) {
      this.skipSpace();
      if (this.#peek() === '(') return { kind: 'not', filter: this.#parseUnary(depth + 1) };
      this.#pos = save;
    }
    return this.#parseAttrExp(depth);
  }

  parsePath(depth: number): AttrPath {
    const word = this.#word();
    if (word.length === 0) this.fail('expected an attribute name');
    const { schema, rest } = splitUrn(word);
    const [attr, sub, extra] = rest.split('.');
    if (!attr || extra !== undefined || sub === '') this.fail(`invalid attribute path "${truncate(word)}"`);
    if (!/^[A-Za-z0-9_$-]+$/.test(attr) || (sub !== undefined && !/^[A-Za-z0-9_$-]+$/.test(sub))) {
      this.fail(`invalid attribute name "${truncate(word)}"`);
    }
    const path: AttrPath = { attr };
    if (schema !== undefined) path.schema = schema;
    if (sub !== undefined) path.sub = sub;
    if (this.#peek() === '[') {
      if (sub !== undefined) this.fail('a value filter must follow the attribute, not a sub-attribute');
      this.#pos++;
      path.filter = this.parseOr(depth + 1);
      this.skipSpace();
      if (this.#peek() !== ']') this.fail('missing "]"');
      this.#pos++;
      if (this.#peek() === '.') {
        this.#pos++;
        const after = this.#word();
        if (!/^[A-Za-z0-9_$-]+$/.test(after)) this.fail('invalid sub-attribute after "]"');
        path.sub = after;
      }
    }
    return path;
  }

  #parseAttrExp(depth: number): Filter {
    if (++this.#terms > MAX_FILTER_TERMS) this.fail(`the filter has more than ${MAX_FILTER_TERMS} terms`);
    const path = this.parsePath(depth);
    this.skipSpace();
    const save = this.#pos;
    const op = this.#word().toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (COMPARE_OPERATORS.has(op)) {
      this.skipSpace();
      return { kind: 'compare', path, op: op as CompareOperator, value: this.#parseValue() };
    }
    if (path.filter !== undefined && path.sub === undefined) {
      this.#pos = save;
      return { kind: 'has', path };
    }
    this.#pos = save;
    return this.fail(op.length === 0 ? 'expected an operator' : `unknown operator "${truncate(op)}"`);
  }

  #parseValue(): CompareValue {
    if (this.#peek() === '"') return this.#parseString();
    const word = this.#word();
    if (word.length === 0) this.fail('expected a value');
    const lower = word.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(word)) return Number(word);
    return word;
  }

  #parseString(): string {
    const start = this.#pos;
    this.#pos++;
    while (!this.atEnd()) {
      const ch = this.#peek();
      if (ch === '\\') this.#pos += 2;
      else if (ch === '"') {
        this.#pos++;
        try {
          return JSON.parse(this.text.slice(start, this.#pos)) as string;
        } catch {
          this.#pos = start;
          this.fail('invalid escape in a string');
        }
      } else this.#pos++;
    }
    this.#pos = start;
    return this.fail('unterminated string');
  }
}
