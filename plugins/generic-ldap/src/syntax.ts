import type { AttributeType } from '@ecmahost/sdk';

// LDAP syntax OIDs (RFC 4517 §3.3 and RFC 4523) whose values are not plain text.
const SYNTAX_PREFIX = '1.3.6.1.4.1.1466.115.121.1.';
const BY_SYNTAX: Readonly<Record<string, AttributeType>> = {
  [`${SYNTAX_PREFIX}27`]: 'integer',
  [`${SYNTAX_PREFIX}7`]: 'boolean',
  [`${SYNTAX_PREFIX}24`]: 'datetime',
  [`${SYNTAX_PREFIX}12`]: 'reference',
  // Name and Optional UID (groupOfUniqueNames' uniqueMember): a DN, rarely with a `#'…'B` suffix.
  [`${SYNTAX_PREFIX}34`]: 'reference',
  [`${SYNTAX_PREFIX}4`]: 'binary', // Audio
  [`${SYNTAX_PREFIX}5`]: 'binary', // Binary
  [`${SYNTAX_PREFIX}8`]: 'binary', // Certificate
  [`${SYNTAX_PREFIX}9`]: 'binary', // Certificate List
  [`${SYNTAX_PREFIX}10`]: 'binary', // Certificate Pair
  [`${SYNTAX_PREFIX}23`]: 'binary', // Fax (G3), e.g. cosine's photo
  [`${SYNTAX_PREFIX}28`]: 'binary', // JPEG
  [`${SYNTAX_PREFIX}40`]: 'binary', // Octet String
  [`${SYNTAX_PREFIX}49`]: 'binary', // Supported Algorithm
  '1.3.6.1.4.1.1466.115.121.1.50': 'string', // Telephone Number
  '1.2.840.113556.1.4.906': 'integer', // AD Large Integer
  '1.2.840.113556.1.4.907': 'binary', // AD Object Security Descriptor
};

/** The attribute data type for an LDAP syntax OID; text for every syntax not listed. */
export function typeOfSyntax(syntax: string | undefined): AttributeType {
  return (syntax !== undefined ? BY_SYNTAX[syntax] : undefined) ?? 'string';
}

/** Formats an ISO 8601 instant as an LDAP Generalized Time in UTC (RFC 4517 §3.3.13). */
export function toGeneralizedTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new TypeError(`"${iso}" is not a date`);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const ms = d.getUTCMilliseconds();
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}Z`;
}

/** Parses an LDAP Generalized Time (`20260131120000Z`, fractions and offsets allowed) to ISO 8601 UTC. */
export function fromGeneralizedTime(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/.exec(value);
  if (m === null) throw new TypeError(`"${value}" is not a generalized time`);
  const [, y, mo, d, h, mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac === '' ? '000' : `${frac}000`.slice(0, 3);
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3, 5) || '00'}`;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`).toISOString();
}
