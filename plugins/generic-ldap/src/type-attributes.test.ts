import type { ObjectTypeDefinition } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { requiredMemberAttribute } from './groups.js';
import { indexSchema } from './schema-builder.js';
import { attributeNamed } from './type-attributes.js';

const type: ObjectTypeDefinition = {
  name: 'inetOrgPerson',
  anchors: ['uid'],
  attributes: [
    { name: 'uid', type: 'string', multiValued: false },
    { name: 'manager', type: 'reference', multiValued: false },
    // Listed twice in two spellings: the first one listed is the one an export uses, as with `find`.
    { name: 'Mail', type: 'string', multiValued: true },
    { name: 'mail', type: 'string', multiValued: false },
  ],
};

describe('attributeNamed', () => {
  it('finds an attribute in any case, the first one listed', () => {
    expect(attributeNamed(type, 'MANAGER')).toEqual({ name: 'manager', type: 'reference', multiValued: false });
    expect(attributeNamed(type, 'mail')).toBe(type.attributes[2]);
    expect(attributeNamed(type, 'uid')).toBe(type.attributes[0]);
  });

  it('finds nothing for a name the type does not list, an object prototype member included', () => {
    for (const name of ['cn', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(attributeNamed(type, name)).toBeUndefined();
  });

  it('keeps each type to its own attributes', () => {
    const other: ObjectTypeDefinition = { ...type, attributes: [{ name: 'cn', type: 'string', multiValued: false }] };
    expect(attributeNamed(other, 'CN')?.name).toBe('cn');
    expect(attributeNamed(other, 'uid')).toBeUndefined();
    expect(attributeNamed(type, 'cn')).toBeUndefined();
  });
});

describe('requiredMemberAttribute', () => {
  const { schema } = indexSchema(
    [
      "( 2.5.6.0 NAME 'top' ABSTRACT MUST objectClass )",
      "( 2.5.6.9 NAME 'groupOfNames' SUP top STRUCTURAL MUST ( member $ cn ) )",
      "( 2.5.6.17 NAME 'groupOfUniqueNames' SUP top STRUCTURAL MUST ( uniqueMember $ cn ) )",
      "( 9.9.1 NAME 'teamGroup' SUP groupOfNames STRUCTURAL )",
      "( 9.9.2 NAME 'constructor' SUP top STRUCTURAL )",
      "( 2.5.6.6 NAME 'person' SUP top STRUCTURAL MUST ( sn $ cn ) )",
    ],
    [],
  );

  it('gives the member attribute of a group class and of its descendants, in any case, asked again', () => {
    for (let round = 0; round < 2; round++) {
      expect(requiredMemberAttribute(schema, 'groupOfNames')).toBe('member');
      expect(requiredMemberAttribute(schema, 'TEAMGROUP')).toBe('member');
      expect(requiredMemberAttribute(schema, 'groupofuniquenames')).toBe('uniqueMember');
    }
  });

  it('gives none for other classes, unknown ones, and names of object prototype members', () => {
    for (const name of ['person', 'top', 'noSuchClass', 'constructor', 'toString', '__proto__']) expect(requiredMemberAttribute(schema, name)).toBeUndefined();
  });
});
