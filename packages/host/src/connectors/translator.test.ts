import type { ObjectTypeDefinition } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { parseFilter } from '../scim/filter-parser.js';
import { Translator } from './translator.js';

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

const translator = (exportType: 'attributeUpdate' | 'attributeReplace' = 'attributeUpdate') => new Translator(config, objectType, exportType, 100);

describe('Translator', () => {
  it('reads the extension, the core mapping, the DN and string booleans for the disable attribute', () => {
    const values = translator().fromResource({
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
    expect(translator().fromResource({ [ENTERPRISE]: { employeeNumber: '7' } }).attributes).toEqual({ uidNumber: [7] });
    const rendered = translator().toResource({ id: 'x', anchor: {}, attributes: { uidNumber: [7] }, created: '', lastModified: '' }, '');
    expect(rendered[ENTERPRISE]).toEqual({ employeeNumber: 7 });
  });

  it('treats a multi-valued attribute selected as single value as single-valued', () => {
    expect(() => translator().fromResource({ [EXT]: { mail: ['a@x', 'b@x'] } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('refuses unknown, read-only, ill-typed and over-long values', () => {
    expect(() => translator().fromResource({ [EXT]: { nope: 1 } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => translator().fromResource({ [EXT]: { entryUUID: 'x' } })).toThrow(expect.objectContaining({ scimType: 'mutability' }));
    expect(translator().fromResource({ [EXT]: { entryUUID: 'x' } }, { skipReadOnly: true }).attributes).toEqual({});
    expect(() => translator().fromResource({ [EXT]: { uidNumber: '12a' } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => translator().fromResource({ [EXT]: { uid: 'x'.repeat(101) } })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('diffs by export type: value changes for multi-valued attributes, replace otherwise, delete when emptied', () => {
    const before = { uid: ['jdoe'], objectClass: ['top', 'person'], uidNumber: [1] };
    const after = { uid: ['jdoe'], objectClass: ['top', 'inetOrgPerson'], IsActive: ['True'] };
    expect(translator().diff(before, after)).toEqual([
      { name: 'objectClass', modification: 'update', valueChanges: [{ modification: 'add', value: 'inetOrgPerson' }, { modification: 'delete', value: 'person' }] },
      { name: 'uidNumber', modification: 'delete', valueChanges: [] },
      { name: 'IsActive', modification: 'add', valueChanges: [{ modification: 'add', value: 'True' }] },
    ]);
    expect(translator('attributeReplace').diff(before, after)[0]).toEqual({
      name: 'objectClass',
      modification: 'replace',
      valueChanges: [{ modification: 'add', value: 'top' }, { modification: 'add', value: 'inetOrgPerson' }],
    });
  });

  it('plans index lookups for eq on served attributes, also inside and', () => {
    const t = translator();
    expect(t.planQuery(parseFilter('userName eq "jdoe"'), '').lookup).toEqual({ attribute: 'uid', value: 'jdoe' });
    expect(t.planQuery(parseFilter(`name.givenName eq "x" and ${EXT}:mail eq "a@x"`), '').lookup).toEqual({ attribute: 'mail', value: 'a@x' });
    expect(t.planQuery(parseFilter('userName co "j"'), '').lookup).toBeUndefined();
    expect(t.planQuery(parseFilter('userName eq "a" or userName eq "b"'), '').lookup).toBeUndefined();
    expect(t.planQuery(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1001"'), '').lookup).toEqual({ attribute: 'uidNumber', value: '1001' });
    expect(t.planQuery(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jdoe"'), '').lookup).toEqual({ attribute: 'uid', value: 'jdoe' });
    expect(t.caseExact({ schema: EXT, attr: 'entryUUID' })).toBe(true);
    expect(t.caseExact({ attr: 'userName' })).toBe(false);
  });

  it('describes every served attribute in the extension schema, and the core attributes it maps', () => {
    const ext = Object.fromEntries(translator().extensionSchema().map((a) => [a.name, a]));
    expect(ext['-dn-']).toMatchObject({ mutability: 'immutable', uniqueness: 'server', required: true });
    expect(ext.mail).toMatchObject({ multiValued: false });
    expect(ext.objectClass).toMatchObject({ multiValued: true });
    expect(ext.entryUUID).toMatchObject({ mutability: 'readOnly', caseExact: true });
    expect(ext.userPassword).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(translator().coreSchema().map((a) => a.name)).toEqual(['userName', 'active']);
  });

  it('refuses a configuration selecting an attribute the schema does not have', () => {
    expect(() => new Translator({ ...config, attributes: [{ name: 'missing' }] }, objectType, 'attributeUpdate', 100)).toThrow(/missing/);
  });
});
