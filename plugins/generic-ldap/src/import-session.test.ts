import { describe, expect, it } from 'vitest';
import { importBases, objectClassFilter } from './import-session.js';

describe('import scope', () => {
  it('searches inclusions, else configured containers, else partitions, without nesting twice', () => {
    expect(importBases({}, [], ['dc=a', 'dc=b'])).toEqual(['dc=a', 'dc=b']);
    expect(importBases({}, ['ou=p,dc=a', 'ou=x,ou=p,dc=a', 'OU=P,DC=A'], ['dc=a'])).toEqual(['ou=p,dc=a']);
    expect(importBases({ inclusions: [{ dn: 'ou=q,dc=a', displayName: 'q' }] }, ['ou=p,dc=a'], ['dc=a'])).toEqual(['ou=q,dc=a']);
    expect(importBases({ partition: { id: 'dc=b', dn: 'dc=b', name: 'b' } }, ['ou=p,dc=a'], ['dc=a', 'dc=b'])).toEqual([]);
    expect(importBases({ partition: { id: 'dc=b', dn: 'dc=b', name: 'b' } }, [], ['dc=a', 'dc=b'])).toEqual(['dc=b']);
  });

  it('escapes object class names in the filter', () => {
    expect(objectClassFilter([{ name: 'person', anchors: [], attributes: [] }])).toBe('(objectClass=person)');
    expect(objectClassFilter([{ name: 'a', anchors: [], attributes: [] }, { name: 'b*', anchors: [], attributes: [] }])).toBe('(|(objectClass=a)(objectClass=b\\2a))');
  });
});
