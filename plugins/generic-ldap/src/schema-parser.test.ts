import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzParameters } from '../test/fuzz.js';
import { parseAttributeType, parseObjectClass } from './schema-parser.js';

describe('RFC 4512 schema descriptions', () => {
  it('parses an object class with SUP, kind, MUST and MAY lists', () => {
    const oc = parseObjectClass("( 2.5.6.6 NAME 'person' DESC 'RFC2256: a person' SUP top STRUCTURAL MUST ( sn $ cn ) MAY ( userPassword $ telephoneNumber $ seeAlso $ description ) )");
    expect(oc).toEqual({ oid: '2.5.6.6', names: ['person'], superclasses: ['top'], kind: 'structural', must: ['sn', 'cn'], may: ['userPassword', 'telephoneNumber', 'seeAlso', 'description'], obsolete: false });
    expect(parseObjectClass("( 1.3.6.1.1.1.2.0 NAME 'posixAccount' SUP top AUXILIARY MUST ( cn $ uid ) )").kind).toBe('auxiliary');
    expect(parseObjectClass("( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )").must).toEqual(['objectClass']);
  });

  it('parses attribute types: several names, syntax length bounds, flags and usage', () => {
    expect(parseAttributeType("( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} )")).toMatchObject({
      names: ['uid', 'userid'],
      syntax: '1.3.6.1.4.1.1466.115.121.1.15',
      singleValue: false,
    });
    expect(parseAttributeType("( 1.3.6.1.1.16.4 NAME 'entryUUID' DESC 'UUID of the entry' EQUALITY UUIDMatch SYNTAX 1.3.6.1.1.16.1 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )")).toMatchObject({
      singleValue: true,
      noUserModification: true,
      usage: 'directoryOperation',
    });
    expect(parseAttributeType("( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )").superType).toBe('name');
  });

  it('reads quoted strings with escaped quotes and backslashes', () => {
    expect(parseObjectClass("( 1.2.3 NAME 'x' DESC 'it\\27s a \\5C test' )").names).toEqual(['x']);
  });

  it('rejects malformed descriptions', () => {
    expect(() => parseObjectClass("1.2.3 NAME 'x'")).toThrow(/must start with/);
    expect(() => parseObjectClass("( 1.2.3 NAME 'x'")).toThrow(/not closed/);
    expect(() => parseObjectClass("( 1.2.3 NAME 'x )")).toThrow(/unterminated/);
  });
});

describe('schema descriptions under arbitrary input (property-based)', () => {
  // What a server publishes is input too: any text parses or is refused with a SyntaxError, which
  // discovery reports and skips. Tokens of the grammar make most cases get deep into the parser.
  const token = fc.constantFrom('(', ')', '$', "'", ' ', 'NAME', 'SUP', 'MUST', 'MAY', 'SYNTAX', 'USAGE', 'SINGLE-VALUE', 'AUXILIARY', '2.5.4.3', "'cn'", '\\27', '{256}', 'x');
  const description = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: token, maxLength: 30 }));

  it('parses any text or refuses it with a SyntaxError, nothing else', () => {
    fc.assert(
      fc.property(description, (text) => {
        for (const parse of [parseObjectClass, parseAttributeType]) {
          try {
            parse(text);
          } catch (error) {
            expect(error).toBeInstanceOf(SyntaxError);
          }
        }
      }),
      fuzzParameters(4_512, 2_000),
    );
  });
});
