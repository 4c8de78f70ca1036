import { describe, expect, it } from 'vitest';
import { buildSchema, indexSchema } from './schema-builder.js';
import { anchorOf, createEntryMapper, requestedAttributes } from './entry-mapping.js';

const { schema: directory } = indexSchema(
  [
    "( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )",
    "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( sn $ cn ) )",
    "( 2.16.840.1.113730.3.2.2 NAME 'inetOrgPerson' SUP person STRUCTURAL MAY ( uid $ jpegPhoto ) )",
    "( 1.3.6.1.1.1.2.0 NAME 'posixAccount' SUP top AUXILIARY MAY ( uidNumber ) )",
  ],
  [
    "( 2.5.4.0 NAME 'objectClass' SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )",
    "( 2.5.4.3 NAME ( 'cn' 'commonName' ) SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
    "( 2.5.4.4 NAME ( 'sn' 'surname' ) SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
    "( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
    "( 0.9.2342.19200300.100.1.60 NAME 'jpegPhoto' SYNTAX 1.3.6.1.4.1.1466.115.121.1.28 )",
    "( 1.3.6.1.1.1.1.0 NAME 'uidNumber' SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
    "( 1.3.6.1.1.16.4 NAME 'entryUUID' SYNTAX 1.3.6.1.1.16.1 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
  ],
);
const schema = buildSchema(directory, { objectClasses: [], anchor: 'entryUUID', includeOperational: false, aliases: [], passwordAttribute: 'userPassword' });
const person = schema.objectTypes.find((t) => t.name === 'person')!;
const inet = schema.objectTypes.find((t) => t.name === 'inetOrgPerson')!;
const mapper = createEntryMapper([person, inet], directory, 'entryUUID');

describe('directory entries as import entries', () => {
  it('classifies by structuralObjectClass, else by the most specific class', () => {
    expect(mapper.classify({ dn: 'x', attributes: { structuralObjectClass: ['inetOrgPerson'] } })?.name).toBe('inetOrgPerson');
    expect(mapper.classify({ dn: 'x', attributes: { objectClass: ['top', 'person', 'inetOrgPerson', 'posixAccount'] } })?.name).toBe('inetOrgPerson');
    expect(createEntryMapper([person], directory, 'entryUUID').classify({ dn: 'x', attributes: { objectClass: ['inetOrgPerson'] } })?.name).toBe('person');
    expect(mapper.classify({ dn: 'x', attributes: { objectClass: ['organizationalUnit'] } })).toBeUndefined();
    // Remembered answers are per class combination: a second entry of each gets the same type.
    expect(mapper.classify({ dn: 'y', attributes: { objectClass: ['top', 'person', 'inetOrgPerson', 'posixAccount'] } })?.name).toBe('inetOrgPerson');
    expect(mapper.classify({ dn: 'y', attributes: { objectClass: ['top', 'person'] } })?.name).toBe('person');
    expect(mapper.classify({ dn: 'y', attributes: { OBJECTCLASS: ['organizationalUnit', 'inetOrgPerson'] } })?.name).toBe('inetOrgPerson');
  });

  it('maps names as the server spells them to the schema names and converts values', () => {
    const entry = mapper.toImportEntry(
      { dn: 'uid=a,dc=x', attributes: { commonName: ['A'], SN: ['B'], uidNumber: ['7'], jpegPhoto: [Buffer.from([1, 2])], entryUUID: ['u-1'], objectClass: ['inetOrgPerson'] } },
      inet,
      'add',
    );
    expect(entry.error).toBeUndefined();
    expect(entry.anchor).toEqual({ entryUUID: 'u-1' });
    const values = Object.fromEntries(entry.attributeChanges.map((c) => [c.name, c.valueChanges.map((v) => v.value)]));
    expect(values).toMatchObject({ cn: ['A'], sn: ['B'], uidNumber: [7], objectClass: ['inetOrgPerson'], '-dn-': ['uid=a,dc=x'] });
    expect(values.jpegPhoto).toEqual([Buffer.from([1, 2])]);
    // The next entry, spelled otherwise, maps by its own spelling (what a run remembers is per spelling).
    const next = mapper.toImportEntry({ dn: 'uid=b,dc=x', attributes: { cn: ['C'], surname: ['D'], uidNumber: ['8'], entryUUID: ['u-2'] } }, inet, 'replace');
    expect(Object.fromEntries(next.attributeChanges.map((c) => [c.name, c.valueChanges.map((v) => v.value)]))).toEqual({ cn: ['C'], sn: ['D'], uidNumber: [8], entryUUID: ['u-2'], '-dn-': ['uid=b,dc=x'] });
    expect(next.attributeChanges.every((c) => c.modification === 'add')).toBe(true);
    // Two spellings of one attribute in an entry give one change, with the later values.
    const twice = mapper.toImportEntry({ dn: 'uid=c,dc=x', attributes: { cn: ['E'], commonName: ['F'], entryUUID: ['u-3'] } }, inet, 'add');
    expect(twice.attributeChanges.map((c) => [c.name, c.valueChanges.map((v) => v.value)])).toEqual([
      ['cn', ['F']],
      ['entryUUID', ['u-3']],
      ['-dn-', ['uid=c,dc=x']],
    ]);
  });

  it('gives an entry an error instead of failing the run', () => {
    expect(mapper.toImportEntry({ dn: 'uid=a,dc=x', attributes: { cn: ['A'] } }, inet, 'add').error?.code).toBe('missing-anchor');
    expect(mapper.toImportEntry({ dn: 'uid=a,dc=x', attributes: { entryUUID: ['u'], uidNumber: ['seven'] } }, inet, 'add').error).toMatchObject({
      code: 'invalid-attribute-value',
      message: 'uid=a,dc=x: uidNumber: "seven" is not an integer',
    });
  });

  it('asks the server for the attributes of the types, classification and the anchor, binary ones as bytes', () => {
    const { attributes, binary } = requestedAttributes([person, inet], 'entryUUID');
    expect(attributes).toEqual(expect.arrayContaining(['cn', 'sn', 'uid', 'uidNumber', 'objectClass', 'structuralObjectClass', 'entryUUID']));
    // One type needs no classification: only its own attributes (objectClass when it has it) and the anchor.
    const single = requestedAttributes([{ ...inet, attributes: inet.attributes.filter((a) => ['cn', 'sn'].includes(a.name)) }], 'entryUUID');
    expect(single.attributes.sort()).toEqual(['cn', 'entryUUID', 'sn']);
    expect(requestedAttributes([{ ...inet, attributes: [] }], '-dn-').attributes).toEqual(['1.1']);
    expect(attributes).not.toContain('-dn-');
    expect(binary).toEqual(['jpegPhoto']);
    expect(anchorOf({ dn: 'uid=a,dc=x', attributes: {} }, '-dn-')).toBe('uid=a,dc=x');
    expect(anchorOf({ dn: 'cn=a', attributes: { objectGUID: [Buffer.from([0xde, 0xad])] } }, 'objectGUID')).toEqual(Uint8Array.from([0xde, 0xad]));
  });
});
