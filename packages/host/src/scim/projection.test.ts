import { describe, expect, it } from 'vitest';
import { projectResource } from './projection.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '1',
  userName: 'b',
  name: { givenName: 'G', familyName: 'F' },
  members: [{ value: 'x' }],
  meta: { resourceType: 'User' },
  [EXT]: { mail: 'm', code: 'c' },
};

describe('projectResource', () => {
  it('returns the resource unchanged without parameters', () => {
    expect(projectResource(user)).toBe(user);
  });

  it('keeps only the requested attributes plus id and schemas', () => {
    expect(projectResource(user, 'userName,name.givenName')).toEqual({ schemas: user.schemas, id: '1', userName: 'b', name: { givenName: 'G' } });
    expect(projectResource(user, `${EXT}:mail`)).toEqual({ schemas: user.schemas, id: '1', [EXT]: { mail: 'm' } });
    expect(projectResource(user, 'ID')).toEqual({ schemas: user.schemas, id: '1' });
  });

  it('drops excluded attributes (excludedAttributes=members for Entra group queries)', () => {
    const out = projectResource(user, undefined, 'members,name.familyName');
    expect(out).not.toHaveProperty('members');
    expect(out.name).toEqual({ givenName: 'G' });
    expect(projectResource(user, undefined, EXT)).not.toHaveProperty(EXT);
    expect(projectResource(user, undefined, `${EXT}:code`)[EXT]).toEqual({ mail: 'm' });
    expect(projectResource(user, undefined, 'id').id).toBe('1');
  });
});
