import type { ObjectTypeDefinition, Schema } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { checkSchemaAnswers, defaultSchemaAnswers, disableFlowAttributes, preselectedAttributes, proposeScimMapping, servedAttributes } from './schema-choices.js';

// An LDAP-like person: operational attributes marked hidden, a binary certificate, multi-valued names.
const person: ObjectTypeDefinition = {
  name: 'inetOrgPerson',
  anchors: ['uid'],
  attributes: [
    { name: 'uid', type: 'string', multiValued: false },
    { name: 'cn', type: 'string', multiValued: true },
    { name: 'sn', type: 'string', multiValued: true },
    { name: 'givenName', type: 'string', multiValued: true },
    { name: 'mail', type: 'string', multiValued: true },
    { name: 'displayName', type: 'string', multiValued: false },
    { name: 'userCertificate', type: 'binary', multiValued: true },
    { name: 'createTimestamp', type: 'string', multiValued: false, hidden: true },
    { name: 'locked', type: 'boolean', multiValued: false },
  ],
};
const schema: Schema = { objectTypes: [person] };

describe('schema choices', () => {
  it('preselects neither hidden (operational) nor binary attributes', () => {
    expect(preselectedAttributes(person)).toEqual(['uid', 'cn', 'sn', 'givenName', 'mail', 'displayName', 'locked']);
  });

  it('proposes the anchor for userName and name-like attributes only where they are single-valued for SCIM', () => {
    const attributes = [{ name: 'uid' }, { name: 'sn', singleValue: true }, { name: 'givenName' }, { name: 'mail', singleValue: true }, { name: 'displayName' }];
    expect(proposeScimMapping(person, ['uid'], attributes)).toEqual({ userName: 'uid', displayName: 'displayName', 'name.familyName': 'sn', 'emails[type eq "work"].value': 'mail' });
  });

  it('defaults to the declared anchor, the preselection with name-like lists as single values, the delete flow "delete" and no disable action', () => {
    const answers = defaultSchemaAnswers(person);
    expect(answers).toMatchObject({ anchor: ['uid'], dn: { autogenerate: true }, deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } } });
    expect(answers.attributes).toEqual([
      { name: 'uid' },
      { name: 'cn', singleValue: true },
      { name: 'sn', singleValue: true },
      { name: 'givenName', singleValue: true },
      { name: 'mail', singleValue: true },
      { name: 'displayName' },
      { name: 'locked' },
    ]);
    expect(answers.scimMapping).toEqual({ userName: 'uid', displayName: 'displayName', 'name.givenName': 'givenName', 'name.familyName': 'sn', 'emails[type eq "work"].value': 'mail' });
    expect(checkSchemaAnswers(schema, answers)).toEqual([]);
  });

  it('serves the anchors first and the disable flow attribute', () => {
    const served = servedAttributes({ anchor: ['uid'], attributes: [{ name: 'mail', singleValue: true }], deprovisioning: { disable: { action: 'attribute', attribute: 'locked', activeValue: false }, delete: { action: 'none' } } });
    expect(served).toEqual([{ name: 'uid' }, { name: 'mail', singleValue: true }, { name: 'locked' }]);
    expect(disableFlowAttributes(person).map((a) => a.name)).toEqual(['locked', 'uid', 'displayName', 'createTimestamp']);
  });

  it('lists every problem of a choice at once', () => {
    const issues = checkSchemaAnswers(schema, {
      objectType: 'inetOrgPerson',
      anchor: ['cn'],
      dn: { attribute: 'nope' },
      attributes: [{ name: 'uid', singleValue: true }, { name: 'shoeSize' }],
      scimMapping: { userName: 'sn' },
      deprovisioning: { disable: { action: 'attribute', attribute: 'userCertificate' }, delete: { action: 'delete' } },
    });
    expect(issues.map((i) => i.field)).toEqual(['anchor', 'attributes', 'attributes', 'dn', 'scimMapping', 'disable']);
    expect(issues.map((i) => i.message).join('\n')).toMatch(/anchor cn is multi-valued[\s\S]*no attribute shoeSize[\s\S]*uid is single-valued already[\s\S]*no attribute nope[\s\S]*userName is mapped to sn, which is not a served[\s\S]*userCertificate, which is binary, multi-valued/);
    expect(checkSchemaAnswers(schema, { ...defaultSchemaAnswers(person), objectType: 'group' })).toEqual([{ field: 'objectType', message: 'discovery found no object type group (found: inetOrgPerson).' }]);
  });
});
