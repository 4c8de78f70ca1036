import { describe, expect, it } from 'vitest';
import type { ObjectTypeDefinition, Schema } from './schema.js';
import { attributeOperation, findObjectType, schemaProblems } from './schema.js';

const user: ObjectTypeDefinition = {
  name: 'user',
  anchors: ['id'],
  attributes: [
    { name: 'id', type: 'string', multiValued: false },
    { name: 'mail', type: 'string', multiValued: true },
    { name: 'password', type: 'string', multiValued: false, operation: 'exportOnly' },
  ],
};
const group: ObjectTypeDefinition = {
  name: 'group',
  anchors: ['id'],
  attributes: [
    { name: 'id', type: 'string', multiValued: false },
    { name: 'member', type: 'reference', multiValued: true },
  ],
};

describe('schemaProblems', () => {
  it('is empty for a well-formed schema with users and groups', () => {
    expect(schemaProblems({ objectTypes: [user, group] })).toEqual([]);
  });

  it.each<[string, Schema, string]>([
    ['no object types', { objectTypes: [] }, 'the schema has no object types'],
    ['a type listed twice', { objectTypes: [user, user] }, 'object type user is listed twice'],
    ['an anchor that is not an attribute', { objectTypes: [{ ...user, anchors: ['guid'] }] }, 'user: anchor guid is not among its attributes'],
    ['no anchor', { objectTypes: [{ ...user, anchors: [] }] }, 'user has no anchor'],
    ['a multi-valued anchor', { objectTypes: [{ ...user, anchors: ['mail'] }] }, 'user: anchor mail is multi-valued'],
    ['an attribute listed twice', { objectTypes: [{ ...user, attributes: [...user.attributes, user.attributes[1]!] }] }, 'user.mail is listed twice'],
    [
      'an attribute with two definitions',
      { objectTypes: [user, { ...group, attributes: [...group.attributes, { name: 'mail', type: 'string', multiValued: false }] }] },
      'mail has different types across object types (string/true vs string/false)',
    ],
    [
      'an unknown attribute type',
      { objectTypes: [{ ...user, attributes: [...user.attributes, { name: 'age', type: 'number' as never, multiValued: false }] }] },
      'user.age has an unknown type number',
    ],
  ])('reports %s', (_what, schema, problem) => {
    expect(schemaProblems(schema)).toContain(problem);
  });
});

describe('schema helpers', () => {
  it('finds object types and defaults operations', () => {
    const schema = { objectTypes: [user, group] };
    expect(findObjectType(schema, 'group')).toBe(group);
    expect(findObjectType(schema, 'Group')).toBeUndefined();
    expect(attributeOperation(user.attributes[0]!)).toBe('importExport');
    expect(attributeOperation(user.attributes[2]!)).toBe('exportOnly');
  });
});
