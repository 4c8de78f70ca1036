import { describe, expect, it } from 'vitest';
import { schemaProblems } from '@ecmahost/sdk';
import { buildSchema, indexSchema } from './schema-builder.js';

const CLASSES = [
  "( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )",
  "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( sn $ cn ) MAY ( userPassword $ description ) )",
  "( 2.5.6.7 NAME 'organizationalPerson' SUP person STRUCTURAL MAY ( title ) )",
  "( 2.16.840.1.113730.3.2.2 NAME 'inetOrgPerson' SUP organizationalPerson STRUCTURAL MAY ( mail $ uid $ displayName $ jpegPhoto $ userCertificate $ manager ) )",
  "( 1.3.6.1.1.1.2.0 NAME 'posixAccount' SUP top AUXILIARY MUST ( cn $ uid $ uidNumber $ gidNumber $ homeDirectory ) )",
  "( 9.9.9 NAME 'oldThing' SUP top STRUCTURAL OBSOLETE MUST cn )",
  "( 2.5.20.1 NAME 'subschema' AUXILIARY MAY ( attributeTypes $ objectClasses ) )",
  "( 1.3.6.1.4.1.4203.1.12.2.4.0.1 NAME 'olcGlobal' SUP olcConfig STRUCTURAL MAY ( olcSortVals ) )",
  "( 1.3.6.1.4.1.4203.1.12.2.4.2.1 NAME 'olcFrontendConfig' AUXILIARY MAY ( olcDefaultSearchBase ) )",
];
const TYPES = [
  "( 2.5.4.0 NAME 'objectClass' EQUALITY objectIdentifierMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )",
  "( 2.5.4.41 NAME 'name' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
  "( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )",
  "( 2.5.4.4 NAME ( 'sn' 'surname' ) SUP name )",
  "( 2.5.4.12 NAME 'title' SUP name )",
  "( 2.5.4.13 NAME 'description' SUP name )",
  "( 2.5.4.35 NAME 'userPassword' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40{128} )",
  "( 0.9.2342.19200300.100.1.3 NAME ( 'mail' 'rfc822Mailbox' ) EQUALITY caseIgnoreIA5Match SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{256} )",
  "( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} )",
  "( 2.16.840.1.113730.3.1.241 NAME 'displayName' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "( 0.9.2342.19200300.100.1.60 NAME 'jpegPhoto' SYNTAX 1.3.6.1.4.1.1466.115.121.1.28 )",
  "( 2.5.4.36 NAME 'userCertificate' SYNTAX 1.3.6.1.4.1.1466.115.121.1.8 )",
  "( 0.9.2342.19200300.100.1.10 NAME 'manager' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
  "( 1.3.6.1.1.1.1.0 NAME 'uidNumber' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
  "( 1.3.6.1.1.1.1.1 NAME 'gidNumber' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
  "( 1.3.6.1.1.1.1.3 NAME 'homeDirectory' EQUALITY caseExactIA5Match SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
  "( 1.3.6.1.1.16.4 NAME 'entryUUID' EQUALITY UUIDMatch SYNTAX 1.3.6.1.1.16.1 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
  "( 2.5.18.2 NAME 'modifyTimestamp' EQUALITY generalizedTimeMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.24 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
  "( 2.5.21.5 NAME 'attributeTypes' EQUALITY objectIdentifierFirstComponentMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.3 USAGE directoryOperation )",
  "( 2.5.21.6 NAME 'objectClasses' EQUALITY objectIdentifierFirstComponentMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.37 )",
  "( 1.3.6.1.4.1.4203.1.12.2.3.0.93 NAME 'olcSortVals' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
  "( 1.3.6.1.4.1.4203.1.12.2.3.2.0.12 NAME 'olcDefaultSearchBase' SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )",
  'this is not a description',
];

const { schema: directory, problems } = indexSchema(CLASSES, TYPES);
const options = { objectClasses: [], anchor: '-dn-', includeOperational: false, aliases: [], passwordAttribute: 'userPassword' };

describe('object types from the subschema', () => {
  it('skips descriptions that do not parse and says which', () => {
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/must start with/);
  });

  it('offers one object type per structural class, not abstract, auxiliary or obsolete ones', () => {
    const schema = buildSchema(directory, options);
    expect(schema.objectTypes.map((t) => t.name)).toEqual(['inetOrgPerson', 'olcGlobal', 'organizationalPerson', 'person']);
    expect(schemaProblems(schema)).toEqual([]);
  });

  it('gathers MUST and MAY through SUP inheritance and every auxiliary class, with data types from syntaxes', () => {
    const [type] = buildSchema(directory, { ...options, objectClasses: ['inetorgperson'] }).objectTypes;
    const attr = (name: string) => type?.attributes.find((a) => a.name === name);
    expect(type?.anchors).toEqual(['-dn-']);
    expect(attr('-dn-')).toMatchObject({ type: 'string', multiValued: false });
    expect(attr('objectClass')).toMatchObject({ multiValued: true });
    expect(attr('sn')).toMatchObject({ type: 'string', required: true, multiValued: true });
    expect(attr('title')).toMatchObject({ type: 'string' });
    expect(attr('displayName')).toMatchObject({ multiValued: false });
    expect(attr('uidNumber')).toMatchObject({ type: 'integer', multiValued: false });
    expect(attr('homeDirectory')).toMatchObject({ caseExact: true });
    expect(attr('jpegPhoto')).toMatchObject({ type: 'binary' });
    expect(attr('manager')).toMatchObject({ type: 'reference' });
    expect(attr('userPassword')).toMatchObject({ type: 'string', multiValued: false, operation: 'exportOnly' });
    expect(attr('modifyTimestamp')).toBeUndefined();
  });

  it('anchors on a server-generated ID, adds operational attributes as import-only on request, and aliases', () => {
    const [type] = buildSchema(directory, { ...options, objectClasses: ['inetOrgPerson'], anchor: 'entryUUID', includeOperational: true, aliases: ['userCertificate;binary'] }).objectTypes;
    expect(type?.anchors).toEqual(['entryUUID']);
    expect(type?.anchorGeneratedOnAdd).toBe(true);
    expect(type?.attributes.find((a) => a.name === 'entryUUID')).toMatchObject({ operation: 'importOnly', multiValued: false });
    expect(type?.attributes.find((a) => a.name === 'modifyTimestamp')).toMatchObject({ type: 'datetime', operation: 'importOnly' });
    expect(type?.attributes.find((a) => a.name === 'userCertificate;binary')).toMatchObject({ type: 'binary' });
  });

  it('leaves only the user attributes of the class visible for a wizard to preselect', () => {
    const [type] = buildSchema(directory, { ...options, objectClasses: ['inetOrgPerson'], anchor: 'entryUUID', includeOperational: true, aliases: ['userCertificate;binary', 'cn;lang-de'] }).objectTypes;
    const visible = type?.attributes.filter((a) => a.hidden !== true).map((a) => a.name);
    expect(visible).toEqual(['-dn-', 'objectClass', 'cn', 'cn;lang-de', 'description', 'displayName', 'entryUUID', 'mail', 'manager', 'sn', 'title', 'uid', 'userPassword']);
    const hidden = type?.attributes.filter((a) => a.hidden === true).map((a) => a.name);
    // Schema (subschema), configuration (olc…), server-maintained, binary, and auxiliary-only attributes.
    expect(hidden).toEqual(expect.arrayContaining(['attributeTypes', 'objectClasses', 'olcDefaultSearchBase', 'modifyTimestamp', 'jpegPhoto', 'userCertificate', 'userCertificate;binary', 'uidNumber', 'homeDirectory']));
  });

  it('hides configuration attributes even on their own class', () => {
    const [type] = buildSchema(directory, { ...options, objectClasses: ['olcGlobal'] }).objectTypes;
    expect(type?.attributes.find((a) => a.name === 'olcSortVals')).toMatchObject({ hidden: true });
  });

  it('finds attributes by any name, case-insensitively', () => {
    expect(directory.attribute('commonName')?.name).toBe('cn');
    expect(directory.attribute('USERID')?.name).toBe('uid');
    expect(directory.lineage('inetOrgPerson').map((c) => c.names[0])).toEqual(['inetOrgPerson', 'organizationalPerson', 'person', 'top']);
  });
});

describe("AD LDS's subschema", () => {
  // As AD LDS publishes them in CN=Aggregate: quoted syntax OIDs, objectGUID and objectSid as Octet Strings.
  const ad = indexSchema(
    [
      "( 2.5.6.0 NAME 'top' ABSTRACT MUST (objectClass ) MAY (distinguishedName $ objectGUID $ uSNChanged ) )",
      "( 1.2.840.113556.1.5.9 NAME 'user' SUP top STRUCTURAL MUST (cn ) MAY (objectSid $ unicodePwd $ msDS-UserAccountDisabled ) )",
    ],
    [
      "( 2.5.4.0 NAME 'objectClass' SYNTAX '1.3.6.1.4.1.1466.115.121.1.38' NO-USER-MODIFICATION )",
      "( 2.5.4.3 NAME 'cn' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
      "( 2.5.4.49 NAME 'distinguishedName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' SINGLE-VALUE )",
      "( 1.2.840.113556.1.4.2 NAME 'objectGUID' SYNTAX '1.3.6.1.4.1.1466.115.121.1.40' SINGLE-VALUE NO-USER-MODIFICATION )",
      "( 1.2.840.113556.1.4.146 NAME 'objectSid' SYNTAX '1.3.6.1.4.1.1466.115.121.1.40' SINGLE-VALUE NO-USER-MODIFICATION )",
      "( 1.2.840.113556.1.2.120 NAME 'uSNChanged' SYNTAX '1.2.840.113556.1.4.906' SINGLE-VALUE NO-USER-MODIFICATION )",
      "( 1.2.840.113556.1.4.90 NAME 'unicodePwd' SYNTAX '1.3.6.1.4.1.1466.115.121.1.40' SINGLE-VALUE )",
      "( 1.2.840.113556.1.4.1853 NAME 'msDS-UserAccountDisabled' SYNTAX '1.3.6.1.4.1.1466.115.121.1.7' SINGLE-VALUE )",
    ],
  );

  it('offers user with objectGUID as a server-set text anchor, objectSid as text, unicodePwd export-only and the disable flag as a boolean', () => {
    expect(ad.problems).toEqual([]);
    const [type] = buildSchema(ad.schema, { ...options, objectClasses: ['user'], anchor: 'objectGUID', passwordAttribute: 'unicodePwd' }).objectTypes;
    const attr = (name: string) => type?.attributes.find((a) => a.name === name);
    expect(type).toMatchObject({ name: 'user', anchors: ['objectGUID'], anchorGeneratedOnAdd: true });
    expect(attr('objectGUID')).toEqual({ name: 'objectGUID', type: 'string', multiValued: false, operation: 'importOnly' });
    expect(attr('objectSid')).toMatchObject({ type: 'string', operation: 'importOnly' });
    expect(attr('distinguishedName')).toMatchObject({ type: 'reference', multiValued: false });
    expect(attr('unicodePwd')).toMatchObject({ type: 'string', operation: 'exportOnly' });
    expect(attr('msDS-UserAccountDisabled')).toMatchObject({ type: 'boolean', multiValued: false });
    expect(attr('msDS-UserAccountDisabled')?.hidden).toBeUndefined();
  });
});
