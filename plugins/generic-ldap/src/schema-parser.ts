/**
 * A parser for the schema descriptions a directory publishes in its subschema entry
 * (RFC 4512 §4.1: `objectClasses` and `attributeTypes` values).
 */

/** An object class as described in the subschema entry (RFC 4512 §4.1.1). */
export interface ObjectClassDescription {
  oid: string;
  /** Every NAME, the first being the canonical one. */
  names: string[];
  superclasses: string[];
  kind: 'structural' | 'auxiliary' | 'abstract';
  must: string[];
  may: string[];
  obsolete: boolean;
}

/** An attribute type as described in the subschema entry (RFC 4512 §4.1.2). */
export interface AttributeTypeDescription {
  oid: string;
  names: string[];
  superType: string | undefined;
  /** The syntax OID without its length bound (`…121.1.15{256}` → `…121.1.15`). */
  syntax: string | undefined;
  equality: string | undefined;
  singleValue: boolean;
  noUserModification: boolean;
  usage: 'userApplications' | 'directoryOperation' | 'distributedOperation' | 'dSAOperation';
  obsolete: boolean;
}

type Token = { kind: 'open' | 'close' | 'dollar' } | { kind: 'word' | 'string'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) i++;
    else if (c === '(') {
      tokens.push({ kind: 'open' });
      i++;
    } else if (c === ')') {
      tokens.push({ kind: 'close' });
      i++;
    } else if (c === '$') {
      tokens.push({ kind: 'dollar' });
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError(`unterminated quoted string in schema description: ${text}`);
      // RFC 4512 §4.1: \27 is a quote and \5C a backslash inside a qdstring.
      tokens.push({ kind: 'string', text: text.slice(i + 1, end).replace(/\\27/g, "'").replace(/\\5c/gi, '\\') });
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && !/[\s()$']/.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i) });
    }
  }
  return tokens;
}

const FLAGS = new Set(['OBSOLETE', 'SINGLE-VALUE', 'COLLECTIVE', 'NO-USER-MODIFICATION', 'ABSTRACT', 'STRUCTURAL', 'AUXILIARY']);

/** Splits a description into its OID and keyword → values (flags map to an empty list). */
function parseDescription(text: string): { oid: string; fields: Map<string, string[]> } {
  const tokens = tokenize(text);
  let i = 0;
  const next = () => tokens[i++];
  if (next()?.kind !== 'open') throw new SyntaxError(`schema description must start with "(": ${text}`);
  const oidToken = next();
  if (oidToken === undefined || (oidToken.kind !== 'word' && oidToken.kind !== 'string')) throw new SyntaxError(`schema description has no OID: ${text}`);
  const fields = new Map<string, string[]>();
  for (;;) {
    const token = next();
    if (token === undefined) throw new SyntaxError(`schema description is not closed: ${text}`);
    if (token.kind === 'close') break;
    if (token.kind !== 'word') throw new SyntaxError(`unexpected token in schema description: ${text}`);
    const keyword = token.text.toUpperCase();
    if (FLAGS.has(keyword)) {
      fields.set(keyword, []);
      continue;
    }
    const value = next();
    if (value === undefined) throw new SyntaxError(`keyword ${keyword} has no value: ${text}`);
    if (value.kind === 'open') {
      const list: string[] = [];
      for (let t = next(); t !== undefined && t.kind !== 'close'; t = next()) {
        if (t.kind === 'word' || t.kind === 'string') list.push(t.text);
      }
      fields.set(keyword, list);
    } else if (value.kind === 'word' || value.kind === 'string') {
      fields.set(keyword, [value.text]);
    } else {
      throw new SyntaxError(`keyword ${keyword} has no value: ${text}`);
    }
  }
  return { oid: oidToken.text, fields };
}

/** Parses one `objectClasses` value. Throws `SyntaxError` for a malformed description. */
export function parseObjectClass(text: string): ObjectClassDescription {
  const { oid, fields } = parseDescription(text);
  const kind = fields.has('AUXILIARY') ? 'auxiliary' : fields.has('ABSTRACT') ? 'abstract' : 'structural';
  return {
    oid,
    names: fields.get('NAME') ?? [oid],
    superclasses: fields.get('SUP') ?? [],
    kind,
    must: fields.get('MUST') ?? [],
    may: fields.get('MAY') ?? [],
    obsolete: fields.has('OBSOLETE'),
  };
}

const USAGES = new Set(['userApplications', 'directoryOperation', 'distributedOperation', 'dSAOperation']);

/** Parses one `attributeTypes` value. Throws `SyntaxError` for a malformed description. */
export function parseAttributeType(text: string): AttributeTypeDescription {
  const { oid, fields } = parseDescription(text);
  const usage = fields.get('USAGE')?.[0] ?? 'userApplications';
  return {
    oid,
    names: fields.get('NAME') ?? [oid],
    superType: fields.get('SUP')?.[0],
    syntax: fields.get('SYNTAX')?.[0]?.replace(/\{\d+\}$/, ''),
    equality: fields.get('EQUALITY')?.[0],
    singleValue: fields.has('SINGLE-VALUE'),
    noUserModification: fields.has('NO-USER-MODIFICATION'),
    usage: (USAGES.has(usage) ? usage : 'userApplications') as AttributeTypeDescription['usage'],
    obsolete: fields.has('OBSOLETE'),
  };
}
