import { describe, expect, it } from 'vitest';
import { buildHierarchy } from './hierarchy.js';

describe('container hierarchy', () => {
  it('builds the container tree', () => {
    const tree = buildHierarchy('dc=x', [{ dn: 'dc=x', attributes: {} }, { dn: 'ou=b,ou=a,dc=x', attributes: {} }, { dn: 'ou=a,dc=x', attributes: {} }]);
    expect(tree).toEqual([{ dn: 'ou=a,dc=x', displayName: 'a', children: [{ dn: 'ou=b,ou=a,dc=x', displayName: 'b' }] }]);
  });
});
