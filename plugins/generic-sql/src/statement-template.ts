import { sql, type SQL } from 'drizzle-orm';
import { bind } from './sql-fragments.js';

/** A piece of an admin's SQL text: literal SQL, or an `@Name` placeholder to bind. */
export type TemplatePiece = { text: string } | { placeholder: string };

/** A parsed statement: its pieces and the placeholder names it uses. */
export interface StatementTemplate {
  pieces: readonly TemplatePiece[];
  placeholders: readonly string[];
}

/**
 * Parses one SQL statement written by an admin (Microsoft's SQL-statement method) into literal
 * text and `@Name` placeholders. Only names in `known` are placeholders (case-insensitively);
 * `@name` inside quotes or comments and other `@variables` (MySQL user variables, `@@system`
 * ones) stay literal. Placeholders are later bound as parameters, never pasted in.
 */
export function parseTemplate(text: string, known: readonly string[]): StatementTemplate {
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const pieces: TemplatePiece[] = [];
  const placeholders: string[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const rest = text.slice(i);
    const skip = literalSpan(rest);
    if (skip > 0) {
      literal += rest.slice(0, skip);
      i += skip;
      continue;
    }
    if (c === '@' && text[i - 1] !== '@' && text[i + 1] !== '@') {
      const name = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(rest)?.[1];
      const canonical = name === undefined ? undefined : byLower.get(name.toLowerCase());
      if (name !== undefined && canonical !== undefined) {
        if (literal) pieces.push({ text: literal });
        literal = '';
        pieces.push({ placeholder: canonical });
        if (!placeholders.includes(canonical)) placeholders.push(canonical);
        i += name.length + 1;
        continue;
      }
    }
    literal += c;
    i += 1;
  }
  if (literal) pieces.push({ text: literal });
  return { pieces, placeholders };
}

/** Length of a quoted string or comment at the start of `rest`, or 0. */
function literalSpan(rest: string): number {
  const c = rest[0];
  if (c === "'" || c === '"' || c === '`') {
    let j = 1;
    while (j < rest.length) {
      if (rest[j] === c) {
        if (rest[j + 1] === c) j += 2;
        else return j + 1;
      } else if (rest[j] === '\\' && c !== '"') j += 2;
      else j += 1;
    }
    return rest.length;
  }
  if (rest.startsWith('--')) {
    const end = rest.indexOf('\n');
    return end === -1 ? rest.length : end;
  }
  if (rest.startsWith('/*')) {
    const end = rest.indexOf('*/', 2);
    return end === -1 ? rest.length : end + 2;
  }
  return 0;
}

/**
 * Splits an admin's SQL text at top-level semicolons into statements run one after the other
 * (drivers run one statement per call; Microsoft splits at newlines instead).
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  while (i < text.length) {
    const skip = literalSpan(text.slice(i));
    if (skip > 0) {
      current += text.slice(i, i + skip);
      i += skip;
      continue;
    }
    if (text[i] === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += text[i];
    i += 1;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/**
 * The statement as a drizzle `sql` object: the admin's configured text as written, each
 * placeholder a bound parameter whose value `valueOf` gives (NULL when `undefined`).
 */
export function renderTemplate(template: StatementTemplate, valueOf: (name: string) => unknown): SQL {
  const chunks = template.pieces.map((piece) => ('text' in piece ? sql.raw(piece.text) : bind(valueOf(piece.placeholder) ?? null)));
  return sql.join(chunks, sql``);
}
