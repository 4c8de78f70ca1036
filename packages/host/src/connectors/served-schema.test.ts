import type { ObjectTypeDefinition } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { parseFilter } from '../scim/filter-parser.js';
import { diffAttributes } from './attribute-diff.js';
import { planQuery } from './query-plan.js';
import { readPosted, readReplacement } from './resource-reader.js';
import { renderResource } from './resource-renderer.js';
import { coreSchemaAttributes, extensionSchemaAttributes } from './schema-attributes.js';
import { SCIM_ID, ServedSchema } from './served-schema.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';

const objectType: ObjectTypeDefinition = {
  name: 'inetOrgPerson',
  anchors: ['-dn-'],
  attributes: [
    { name: 'uid', type: 'string', multiValued: false },
    { name: 'mail', type: 'string', multiValued: true },
    { name: 'objectClass', type: 'string', multiValued: true },
    { name: 'uidNumber', type: 'integer', multiValued: false },
    { name: 'IsActive', type: 'string', multiValued: false },
    { name: 'entryUUID', type: 'string', multiValued: false, operation: 'importOnly', caseExact: true },
    { name: 'userPassword', type: 'string', multiValued: false, operation: 'exportOnly' },
  ],
};

const config: ConnectorInstanceConfig = {
  name: 'LDAP',
  package: 'x',
  autosyncMinutes: 0,
  tokenHash: 'x',
  parameters: {},
  objectType: 'inetOrgPerson',
  anchor: ['-dn-'],
  dn: { attribute: '-dn-' },
  attributes: [{ name: 'uid' }, { name: 'mail', singleValue: true }, { name: 'objectClass' }, { name: 'uidNumber' }, { name: 'IsActive' }, { name: 'entryUUID' }, { name: 'userPassword' }],
  deprovisioning: { disable: { action: 'attribute', attribute: 'IsActive' }, delete: { action: 'delete' } },
  runProfiles: { export: { batchSize: 10 }, fullImport: { pageSize: 10 } },
  scimMapping: { userName: 'uid', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'uidNumber' },
};

const served = (exportType: 'attributeUpdate' | 'attributeReplace' = 'attributeUpdate') => new ServedSchema(config, objectType, exportType, 100);

describe('the SCIM translation of a served schema', () => {
  it('reads the extension, the core mapping, the DN and string booleans for the disable attribute', () => {
    const values = readPosted(served(), {
      userName: 'jdoe',
      active: 'False',
      roles: [],
      [EXT]: { '-dn-': 'uid=jdoe,dc=lab', objectClass: ['inetOrgPerson', 'posixAccount'], uidNumber: '1001', userPassword: 'pw' },
    });
    expect(values).toEqual({
      dn: 'uid=jdoe,dc=lab',
      active: false,
      attributes: { uid: ['jdoe'], objectClass: ['inetOrgPerson', 'posixAccount'], uidNumber: [1001], userPassword: ['pw'], IsActive: ['False'] },
    });
  });

  it('reads and renders attributes mapped into the enterprise extension', () => {
    const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    expect(readPosted(served(), { [ENTERPRISE]: { employeeNumber: '7' } }).attributes).toEqual({ uidNumber: [7] });
    const rendered = renderResource(served(), { id: 'x', anchor: {}, attributes: { uidNumber: [7] }, created: '', lastModified: '' }, '');
    expect(rendered[ENTERPRISE]).toEqual({ employeeNumber: 7 });
  });

  it('treats a multi-valued attribute selected as single value as single-valued', () => {
    expect(() => readPosted(served(), { [EXT]: { mail: ['a@x', 'b@x'] } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('refuses unknown, read-only, ill-typed and over-long values', () => {
    expect(() => readPosted(served(), { [EXT]: { nope: 1 } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => readPosted(served(), { [EXT]: { entryUUID: 'x' } })).toThrow(expect.objectContaining({ scimType: 'mutability' }));
    expect(readReplacement(served(), { [EXT]: { entryUUID: 'x' } }).attributes).toEqual({});
    expect(() => readPosted(served(), { [EXT]: { uidNumber: '12a' } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => readPosted(served(), { [EXT]: { uid: 'x'.repeat(101) } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('diffs by export type: value changes for multi-valued attributes, replace otherwise, delete when emptied', () => {
    const before = { uid: ['jdoe'], objectClass: ['top', 'person'], uidNumber: [1] };
    const after = { uid: ['jdoe'], objectClass: ['top', 'inetOrgPerson'], IsActive: ['True'] };
    expect(diffAttributes(served(), before, after)).toEqual([
      { name: 'objectClass', modification: 'update', valueChanges: [{ modification: 'add', value: 'inetOrgPerson' }, { modification: 'delete', value: 'person' }] },
      { name: 'uidNumber', modification: 'delete', valueChanges: [] },
      { name: 'IsActive', modification: 'add', valueChanges: [{ modification: 'add', value: 'True' }] },
    ]);
    expect(diffAttributes(served('attributeReplace'), before, after)[0]).toEqual({
      name: 'objectClass',
      modification: 'replace',
      valueChanges: [{ modification: 'add', value: 'top' }, { modification: 'add', value: 'inetOrgPerson' }],
    });
  });

  it('plans index lookups for eq on served attributes, also inside and', () => {
    const t = served();
    expect(planQuery(t, parseFilter('userName eq "jdoe"'), '').lookup).toEqual({ attribute: 'uid', value: 'jdoe' });
    expect(planQuery(t, parseFilter(`name.givenName eq "x" and ${EXT}:mail eq "a@x"`), '').lookup).toEqual({ attribute: 'mail', value: 'a@x' });
    expect(planQuery(t, parseFilter('userName co "j"'), '').lookup).toBeUndefined();
    expect(planQuery(t, parseFilter('userName eq "a" or userName eq "b"'), '').lookup).toBeUndefined();
    expect(planQuery(t, parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1001"'), '').lookup).toEqual({ attribute: 'uidNumber', value: '1001' });
    expect(planQuery(t, parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jdoe"'), '').lookup).toEqual({ attribute: 'uid', value: 'jdoe' });
    expect(t.caseExactPath({ schema: EXT, attr: 'entryUUID' })).toBe(true);
    expect(t.caseExactPath({ attr: 'userName' })).toBe(false);
  });

  it('describes every served attribute in the extension schema, and the core attributes it maps', () => {
    const ext = Object.fromEntries(extensionSchemaAttributes(served()).map((a) => [a.name, a]));
    expect(ext['-dn-']).toMatchObject({ mutability: 'immutable', uniqueness: 'server', required: true });
    expect(ext.mail).toMatchObject({ multiValued: false });
    expect(ext.objectClass).toMatchObject({ multiValued: true });
    expect(ext.entryUUID).toMatchObject({ mutability: 'readOnly', caseExact: true });
    expect(ext.userPassword).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(coreSchemaAttributes(served()).map((a) => a.name)).toEqual(['userName', 'active']);
  });

  it('refuses a configuration selecting an attribute the schema does not have', () => {
    expect(() => new ServedSchema({ ...config, attributes: [{ name: 'missing' }] }, objectType, 'attributeUpdate', 100)).toThrow(/missing/);
  });

  it('keeps every readable served attribute, and indexes only the anchor and the mapped ones', () => {
    const t = served();
    expect([...t.kept.keys()]).toEqual(['uid', 'mail', 'objectClass', 'uidNumber', 'IsActive', 'entryUUID', '-dn-']);
    expect(t.indexed.map((a) => a.name)).toEqual(['uid', 'uidNumber', '-dn-']);
  });

  it('serves a connector attribute named id like any other: the SCIM id is only the core id', () => {
    const t = new ServedSchema(
      { ...config, anchor: ['id'], dn: { autogenerate: true }, attributes: [{ name: 'id' }, { name: 'uid' }], scimMapping: { userName: 'id' }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } } },
      { ...objectType, anchors: ['id'], attributes: [{ name: 'id', type: 'string', multiValued: false }, ...objectType.attributes] },
      'attributeUpdate',
      100,
    );
    expect(t.resolvePath({ attr: 'id' })).toBe(SCIM_ID);
    expect(t.resolvePath({ attr: 'userName' })).toBe('id');
    expect(t.resolvePath({ schema: EXT, attr: 'id' })).toBe('id');
    expect(planQuery(t, parseFilter('userName eq "u7"'), '').lookup).toEqual({ attribute: 'id', value: 'u7' });
    expect(planQuery(t, parseFilter(`${EXT}:id eq "u7"`), '').lookup).toEqual({ attribute: 'id', value: 'u7' });
    expect(planQuery(t, parseFilter('id eq "dTc"'), '').lookup).toEqual({ id: 'dTc' });
  });
});
