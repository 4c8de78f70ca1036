import { describe, expect, it } from 'vitest';
import { objectId } from './object-id.js';

describe('objectId', () => {
  it('is the base64url of the anchor value: stable and URL-safe', () => {
    expect(objectId(['login'], { login: 'ljacobson' })).toBe(Buffer.from('ljacobson').toString('base64url'));
    const dn = objectId(['-dn-'], { '-dn-': 'CN=Doe\\, Jane,OU=Users/Contractors,DC=contoso,DC=lab' });
    expect(dn).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(dn, 'base64url').toString()).toBe('CN=Doe\\, Jane,OU=Users/Contractors,DC=contoso,DC=lab');
    expect(objectId(['login'], { login: 'ljacobson' })).toBe(objectId(['login'], { login: 'ljacobson' }));
  });

  it('handles numbers, binary and composite anchors without collisions', () => {
    expect(objectId(['n'], { n: 42 })).toBe(Buffer.from('42').toString('base64url'));
    expect(objectId(['g'], { g: new Uint8Array([1, 2, 255]) })).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(objectId(['a', 'b'], { a: 'x,y', b: 'z' })).not.toBe(objectId(['a', 'b'], { a: 'x', b: 'y,z' }));
  });

  it('folds the case of anchors that are not caseExact, so the target’s spelling does not change the id', () => {
    const folded = (anchor: Record<string, string>) => objectId(['dn'], anchor, () => false);
    expect(folded({ dn: 'CN=Alice,DC=lab' })).toBe(folded({ dn: 'cn=alice,dc=lab' }));
    expect(objectId(['code'], { code: 'AbC' }, () => true)).not.toBe(objectId(['code'], { code: 'abc' }, () => true));
  });

  it('refuses an incomplete anchor', () => {
    expect(() => objectId(['a', 'b'], { a: 'x' })).toThrow(/anchor b missing/);
  });
});
