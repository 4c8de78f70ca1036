/**
 * Escaping of values placed in LDAP search filters (RFC 4515) and DNs (RFC 4514). Every value that
 * comes from an admin, Entra or the directory goes through these before it is put in a string.
 */

const FILTER_SPECIALS: Readonly<Record<string, string>> = { '*': '\\2a', '(': '\\28', ')': '\\29', '\\': '\\5c', '\0': '\\00' };

/**
 * Escapes an assertion value for a search filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL become
 * `\2a`, `\28`, `\29`, `\5c`, `\00`; bytes of a binary value are all written as `\xx`.
 */
export function escapeFilterValue(value: string | Uint8Array): string {
  if (typeof value !== 'string') return Array.from(value, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return value.replace(/[*()\\\0]/g, (c) => FILTER_SPECIALS[c] ?? c);
}

/** `(attribute=value)` with the value escaped; the attribute name is checked, not escaped. */
export function equalityFilter(attribute: string, value: string | Uint8Array): string {
  return `(${checkAttributeName(attribute)}=${escapeFilterValue(value)})`;
}

const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)(?:;[A-Za-z0-9-]+)*$/;

/** Returns `name` when it is a valid attribute description (RFC 4512 §2.5), else throws. */
export function checkAttributeName(name: string): string {
  if (!ATTRIBUTE_NAME.test(name)) throw new TypeError(`"${name}" is not a valid LDAP attribute name`);
  return name;
}

/** A character {@link escapeDnValue} escapes anywhere, a leading space or `#`, or a trailing space. */
const NEEDS_DN_ESCAPE = /[\0-\x1f\x7f"+,;<>\\=]|^[ #]| $/;
const CONTROL = /[\0-\x1f\x7f]/;

/**
 * Escapes an attribute value for use in a DN (RFC 4514 §2.4): `"`, `+`, `,`, `;`, `<`, `>`, `\`
 * and `=` get a backslash, a leading space or `#` and a trailing space are escaped, and ASCII
 * control characters become hex pairs (NUL is `\00`, tab `\09`).
 */
export function escapeDnValue(value: string): string {
  // Most values need no escape (names, numbers, mail addresses): no per-character work for them.
  if (!NEEDS_DN_ESCAPE.test(value)) return value;
  const chars = Array.from(value);
  return chars
    .map((c, index) => {
      // RFC 4514 requires only NUL, but OpenLDAP's DN parser drops a tab, CR or LF at either end of
      // a value as it does spaces: as hex pairs they stay part of the value.
      if (CONTROL.test(c)) return `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
      if ('"+,;<>\\='.includes(c)) return `\\${c}`;
      if (index === 0 && (c === ' ' || c === '#')) return `\\${c}`;
      if (index === chars.length - 1 && c === ' ') return `\\${c}`;
      return c;
    })
    .join('');
}

/** One attribute-type-and-value of an RDN. */
export interface Ava {
  type: string;
  value: string;
}

/** A parsed DN: its RDNs from the leaf to the root; each RDN holds one or more AVAs (`a=1+b=2`). */
export type ParsedDn = Ava[][];

/**
 * Parses an RFC 4514 DN string into RDNs with unescaped values. Throws `TypeError` naming the
 * position for a malformed DN (a missing `=`, a dangling escape, bad hex).
 */
export function parseDn(dn: string): ParsedDn {
  const rdns: ParsedDn = [];
  if (dn.trim() === '') return rdns;
  let i = 0;
  let rdn: Ava[] = [];
  const fail = (why: string): never => {
    throw new TypeError(`invalid DN "${dn}": ${why} at position ${String(i)}`);
  };
  while (i <= dn.length) {
    while (dn[i] === ' ') i++;
    const typeStart = i;
    while (i < dn.length && dn[i] !== '=') i++;
    if (i >= dn.length) fail('missing "="');
    const type = dn.slice(typeStart, i).trim();
    if (!/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/.test(type)) fail(`bad attribute type "${type}"`);
    i++;
    // Hex escapes are UTF-8 bytes: consecutive ones are decoded together (\C3\BC is one "ü").
    let value = '';
    let pending: number[] = [];
    const flush = () => {
      if (pending.length > 0) {
        value += Buffer.from(pending).toString('utf8');
        pending = [];
      }
    };
    let trailingSpaces = 0;
    if (dn[i] === '#') {
      // A hex-encoded BER value (RFC 4514 §2.4); kept as written.
      const start = i;
      i++;
      while (i < dn.length && /[0-9A-Fa-f]/.test(dn[i] ?? '')) i++;
      value = dn.slice(start, i);
    } else if (dn[i] === '"') {
      i++;
      while (i < dn.length && dn[i] !== '"') {
        if (dn[i] === '\\') i++;
        value += dn[i] ?? '';
        i++;
      }
      if (dn[i] !== '"') fail('unterminated quoted value');
      i++;
      while (dn[i] === ' ') i++;
    } else {
      while (i < dn.length && dn[i] !== ',' && dn[i] !== '+' && dn[i] !== ';') {
        const c = dn[i] ?? '';
        if (c === '\\') {
          const next = dn[i + 1];
          if (next === undefined) fail('dangling "\\"');
          if (/[0-9A-Fa-f]/.test(next ?? '')) {
            const hex = dn.slice(i + 1, i + 3);
            if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail('bad hex escape');
            pending.push(Number.parseInt(hex, 16));
            i += 3;
          } else {
            flush();
            value += next ?? '';
            i += 2;
          }
          trailingSpaces = 0;
        } else {
          flush();
          value += c;
          trailingSpaces = c === ' ' ? trailingSpaces + 1 : 0;
          i++;
        }
      }
      flush();
    }
    if (trailingSpaces > 0) value = value.slice(0, value.length - trailingSpaces);
    rdn.push({ type, value });
    const sep = dn[i];
    i++;
    if (sep === '+') continue;
    rdns.push(rdn);
    rdn = [];
    if (sep === undefined) break;
  }
  return rdns;
}

/** Writes parsed RDNs back as an RFC 4514 string, every value escaped. */
export function formatDn(rdns: ParsedDn): string {
  return rdns.map((rdn) => rdn.map((ava) => `${ava.type}=${escapeDnValue(ava.value)}`).join('+')).join(',');
}

/** `type=value` as one escaped RDN. */
export function rdnOf(type: string, value: string): string {
  return `${checkAttributeName(type)}=${escapeDnValue(value)}`;
}

/**
 * A comparable form of a DN: types lower-cased, values lower-cased (the common case-ignore
 * matching), re-escaped canonically. Two spellings of one DN give the same key.
 */
export function dnKey(dn: string): string {
  return rdnKeys(dn).join(',');
}

/**
 * The key of each RDN of a DN, leaf first (see {@link dnKey}): one parse, for comparing a DN with
 * many bases.
 */
export function rdnKeys(dn: string): string[] {
  return parseDn(dn).map((rdn) => formatDn([rdn.map((a) => ({ type: a.type.toLowerCase(), value: a.value.toLowerCase() })).sort((a, b) => (a.type < b.type ? -1 : 1))]));
}

/** The parent DN, or `''` for a single-RDN DN. */
export function parentDn(dn: string): string {
  return formatDn(parseDn(dn).slice(1));
}

/** Whether `dn` is `base` or below it. */
export function isUnder(dn: string, base: string): boolean {
  return keysUnder(rdnKeys(dn), rdnKeys(base));
}

/** {@link isUnder} on {@link rdnKeys}, so that each DN is parsed once however many bases it meets. */
export function keysUnder(rdns: readonly string[], baseRdns: readonly string[]): boolean {
  const offset = rdns.length - baseRdns.length;
  if (offset < 0) return false;
  return baseRdns.every((rdn, i) => rdns[offset + i] === rdn);
}
