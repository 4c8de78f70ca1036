import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzParameters } from '../test/fuzz.js';
import { checkAttributeName, dnKey, equalityFilter, escapeDnValue, escapeFilterValue, formatDn, isUnder, keysUnder, parentDn, parseDn, rdnKeys, rdnOf } from './escape.js';

const HOSTILE = ['*', '(', ')', '\\', '\0', ',', '+', '=', '#lead', ' lead', 'trail ', 'a*b(c)d\\e\0f', 'x,y+z=w', '"q"', '<>;', 'Ünïcødé ✓'];

describe('escapeFilterValue (RFC 4515)', () => {
  it('escapes the five specials and nothing else', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('(')).toBe('\\28');
    expect(escapeFilterValue(')')).toBe('\\29');
    expect(escapeFilterValue('\\')).toBe('\\5c');
    expect(escapeFilterValue('\0')).toBe('\\00');
    expect(escapeFilterValue('a*b(c)d\\e\0f')).toBe('a\\2ab\\28c\\29d\\5ce\\00f');
    expect(escapeFilterValue(',+=# Ünï')).toBe(',+=# Ünï');
  });

  it('writes every byte of a binary value as \\xx', () => {
    expect(escapeFilterValue(Uint8Array.from([0, 0x2a, 0xff]))).toBe('\\00\\2a\\ff');
  });

  it('builds equality filters and refuses an attribute name that would break the filter', () => {
    expect(equalityFilter('uid', 'a)(uid=*')).toBe('(uid=a\\29\\28uid=\\2a)');
    expect(() => equalityFilter('uid)(x', 'v')).toThrow(/not a valid LDAP attribute name/);
    expect(checkAttributeName('userCertificate;binary')).toBe('userCertificate;binary');
    expect(checkAttributeName('2.5.4.3')).toBe('2.5.4.3');
  });
});

describe('escapeDnValue and parseDn (RFC 4514)', () => {
  it('escapes specials, leading # and spaces, trailing spaces and NUL', () => {
    expect(escapeDnValue('a,b+c=d')).toBe('a\\,b\\+c\\=d');
    expect(escapeDnValue('#lead')).toBe('\\#lead');
    expect(escapeDnValue(' lead')).toBe('\\ lead');
    expect(escapeDnValue('trail ')).toBe('trail\\ ');
    expect(escapeDnValue('in#side mid')).toBe('in#side mid');
    expect(escapeDnValue('\0')).toBe('\\00');
    // OpenLDAP drops unescaped tabs, CRs and LFs at the ends of a value as it drops spaces.
    expect(escapeDnValue('\ttab\r\n')).toBe('\\09tab\\0d\\0a');
    expect(parseDn(`cn=${escapeDnValue('\tx\x7f')}`)).toEqual([[{ type: 'cn', value: '\tx\x7f' }]]);
    expect(escapeDnValue('"<>;\\')).toBe('\\"\\<\\>\\;\\\\');
    // Each special character alone inside a value is escaped (none is missed by the no-escape fast path).
    for (const c of '"+,;<>\\=') expect(escapeDnValue(`a${c}b`)).toBe(`a\\${c}b`);
    expect(escapeDnValue('a\0b')).toBe('a\\00b');
    expect(escapeDnValue('plain Value-1@example.com')).toBe('plain Value-1@example.com');
  });

  it.each(HOSTILE)('round-trips %j through a DN', (value) => {
    const dn = `${rdnOf('cn', value)},ou=people,dc=example,dc=com`;
    const parsed = parseDn(dn);
    expect(parsed).toHaveLength(4);
    expect(parsed[0]).toEqual([{ type: 'cn', value }]);
    expect(formatDn(parsed)).toBe(dn);
  });

  it('reads hex escapes, multi-valued RDNs, quoted values and spaces around separators', () => {
    expect(parseDn('cn=J\\C3\\BCrgen\\2C Sr.+uid=j , dc=example')).toEqual([
      [
        { type: 'cn', value: 'Jürgen, Sr.' },
        { type: 'uid', value: 'j' },
      ],
      [{ type: 'dc', value: 'example' }],
    ]);
    expect(parseDn('cn="a, b",dc=x')[0]).toEqual([{ type: 'cn', value: 'a, b' }]);
    expect(parseDn('')).toEqual([]);
  });

  it('rejects malformed DNs with the position', () => {
    expect(() => parseDn('cn')).toThrow(/missing "="/);
    expect(() => parseDn('cn=a\\')).toThrow(/dangling/);
    expect(() => parseDn('cn=a\\4')).toThrow(/bad hex escape/);
    expect(() => parseDn('c(n=a')).toThrow(/bad attribute type/);
  });

  it('compares DNs whatever their spelling', () => {
    expect(dnKey('CN=Alice\\2c B,DC=Example, DC=com')).toBe(dnKey('cn=alice\\, b,dc=example,dc=com'));
    expect(parentDn('uid=a,ou=people,dc=x')).toBe('ou=people,dc=x');
    expect(isUnder('uid=a,ou=people,dc=x', 'OU=People,DC=x')).toBe(true);
    expect(isUnder('uid=a,ou=people,dc=x', 'uid=a,ou=people,dc=x')).toBe(true);
    expect(isUnder('cn=a\\,ou=people,dc=x', 'ou=people,dc=x')).toBe(false);
    expect(isUnder('dc=x', 'ou=people,dc=x')).toBe(false);
  });

  it('compares pre-parsed RDN keys as isUnder compares the DNs', () => {
    expect(rdnKeys('CN=B+sn=A,DC=x')).toEqual(['cn=b+sn=a', 'dc=x']);
    expect(rdnKeys('sn=a+cn=b , dc=X')).toEqual(rdnKeys('CN=B+sn=A,DC=x'));
    expect(rdnKeys('')).toEqual([]);
    expect(keysUnder(rdnKeys('uid=a,ou=people,dc=x'), rdnKeys('OU=People,DC=x'))).toBe(true);
    expect(keysUnder(rdnKeys('uid=a,ou=people,dc=x'), rdnKeys(''))).toBe(true);
    expect(keysUnder(rdnKeys('cn=a\\,ou=people,dc=x'), rdnKeys('ou=people,dc=x'))).toBe(false);
    expect(keysUnder(rdnKeys('uid=a,ou=people,dc=y'), rdnKeys('ou=people,dc=x'))).toBe(false);
    expect(keysUnder(rdnKeys('dc=x'), rdnKeys('ou=people,dc=x'))).toBe(false);
  });
});

describe('escaping and parsing under arbitrary input (property-based)', () => {
  // Fixed seed: CI runs the same cases every time; a failure prints the shrunk input.
  const options = fuzzParameters(4_514, 2_000);
  const special = fc.constantFrom(',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ', '*', '(', ')', '\0', '\t', 'é', '\u{1F600}');
  const text = fc.string({ unit: fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 16 });
  const attributeType = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/), fc.stringMatching(/^\d{1,3}(?:\.\d{1,3}){0,3}$/));
  const dn = fc.array(fc.array(fc.record({ type: attributeType, value: text }), { minLength: 1, maxLength: 3 }), { maxLength: 4 });

  it('parses any string to RDNs it writes back the same, or refuses it with a TypeError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: fc.constantFrom('cn', '=', ',', '+', '\\', '"', '#', '4', '1', 'x', ' ', '\\4'), maxLength: 24 })), (s) => {
        let rdns;
        try {
          rdns = parseDn(s);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          return;
        }
        expect(parseDn(formatDn(rdns))).toEqual(rdns);
      }),
      options,
    );
  });

  it('reads back every DN it writes, value for value', () => {
    fc.assert(
      fc.property(dn, (rdns) => {
        expect(parseDn(formatDn(rdns))).toEqual(rdns);
      }),
      options,
    );
  });

  it('writes filter values with no special left unescaped, and they decode to the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.uint8Array({ maxLength: 16 })), (value) => {
        const escaped = escapeFilterValue(value);
        expect(escaped).toMatch(/^(?:[^*()\\\0]|\\[0-9a-f]{2})*$/);
        const bytes: number[] = [];
        for (let i = 0; i < escaped.length; ) {
          if (escaped[i] === '\\') {
            bytes.push(Number.parseInt(escaped.slice(i + 1, i + 3), 16));
            i += 3;
          } else {
            const c = String.fromCodePoint(escaped.codePointAt(i) ?? 0);
            bytes.push(...Buffer.from(c));
            i += c.length;
          }
        }
        expect(Buffer.from(bytes)).toEqual(Buffer.from(value));
      }),
      options,
    );
  });
});
