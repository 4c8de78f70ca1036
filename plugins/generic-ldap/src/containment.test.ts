import { describe, expect, it } from 'vitest';
import { confine } from './containment.js';
import { entryErrorOf } from './errors.js';

const bases = ['ou=people,dc=example,dc=com', 'ou=staff,dc=example,dc=com'];
const refusal = (dn: string) => {
  try {
    confine(dn, bases, 'add of inetOrgPerson');
  } catch (error) {
    return entryErrorOf(error);
  }
  return undefined;
};

describe('confining DNs to the containers', () => {
  it('lets a DN in a container or equal to one through, however it is spelled', () => {
    expect(refusal('uid=a,ou=people,dc=example,dc=com')).toBeUndefined();
    expect(refusal('UID=a, OU=Staff , DC=Example,DC=com')).toBeUndefined();
    expect(refusal('cn=x,ou=sub,ou=staff,dc=example,dc=com')).toBeUndefined();
    expect(refusal('ou=people,dc=example,dc=com')).toBeUndefined();
  });

  it('refuses a DN elsewhere as invalid-provisioning-value on -dn-, naming the DN and the containers', () => {
    expect(refusal('uid=a,dc=example,dc=com')).toEqual({
      code: 'invalid-provisioning-value',
      attribute: '-dn-',
      message:
        'add of inetOrgPerson: uid=a,dc=example,dc=com is outside the containers of this connector (ou=people,dc=example,dc=com; ou=staff,dc=example,dc=com); nothing was written. Correct the DN (the -dn- mapping or the DN template), or add its container to "Containers".',
    });
  });

  it('reads escapes before comparing: an escaped comma or a hex-escaped one is part of a value', () => {
    expect(refusal('uid=a\\,ou=people,dc=example,dc=com')?.code).toBe('invalid-provisioning-value');
    expect(refusal('uid=a\\2Cou=people,dc=example,dc=com')?.code).toBe('invalid-provisioning-value');
    expect(refusal('uid=a,ou=people\\,dc=example,dc=com')?.code).toBe('invalid-provisioning-value');
  });

  it('refuses a DN that does not parse, and any DN when there is no container', () => {
    expect(refusal('uid=a,ou=people,dc=example,dc=com\\')).toMatchObject({ code: 'invalid-provisioning-value', attribute: '-dn-' });
    expect(() => confine('uid=a,dc=example,dc=com', [], 'add of person')).toThrow(/outside the containers of this connector \(none\)/);
  });
});
