import { describe, expect, it } from 'vitest';
import { applyPatch, normalizePatch } from './patch.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const base = () => ({
  userName: 'bjensen',
  active: true,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ type: 'work', value: 'b@example.com' }],
  members: [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }],
  [EXT]: { objectClass: ['person', 'top'], login: 'bjensen' },
});

const patch = (operations: unknown[], resource: Record<string, unknown> = base()) => applyPatch(resource, normalizePatch({ Operations: operations }, [EXT]));

describe('normalizePatch', () => {
  it('accepts ops in any case and "Operations" in any case', () => {
    expect(normalizePatch({ operations: [{ op: 'Replace', path: 'userName', value: 'x' }, { OP: 'ADD', Path: 'nickName', Value: 'B' }] })).toEqual([
      { op: 'replace', path: { attr: 'userName' }, value: 'x' },
      { op: 'add', path: { attr: 'nickName' }, value: 'B' },
    ]);
  });

  it('turns "True"/"False" for active into booleans and refuses other strings', () => {
    expect(normalizePatch({ Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })[0]!.value).toBe(false);
    expect(normalizePatch({ Operations: [{ op: 'replace', value: { active: 'True' } }] })[0]!.value).toBe(true);
    expect(() => normalizePatch({ Operations: [{ op: 'replace', path: 'active', value: 'nope' }] })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('expands a path-less value with dotted and URN-qualified keys and extension objects', () => {
    const ops = normalizePatch(
      { Operations: [{ op: 'replace', value: { displayName: 'B', 'name.givenName': 'K', [`${ENTERPRISE}:employeeNumber`]: '7', [EXT]: { mail: 'm@x' }, name: { familyName: 'U' } } }] },
      [EXT],
    );
    expect(ops).toEqual([
      { op: 'replace', path: { attr: 'displayName' }, value: 'B' },
      { op: 'replace', path: { attr: 'name', sub: 'givenName' }, value: 'K' },
      { op: 'replace', path: { schema: ENTERPRISE, attr: 'employeeNumber' }, value: '7' },
      { op: 'replace', path: { schema: EXT, attr: 'mail' }, value: 'm@x' },
      { op: 'replace', path: { attr: 'name', sub: 'familyName' }, value: 'U' },
    ]);
  });

  it('refuses bodies that are not PatchOp messages', () => {
    expect(() => normalizePatch(null)).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
    expect(() => normalizePatch({ Operations: [] })).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
    expect(() => normalizePatch({ Operations: [{ op: 'move', path: 'a' }] })).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
    expect(() => normalizePatch({ Operations: [{ op: 'remove' }] })).toThrow(expect.objectContaining({ scimType: 'noTarget' }));
    expect(() => normalizePatch({ Operations: [{ op: 'add', path: 'a' }] })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => normalizePatch({ Operations: Array.from({ length: 1001 }, () => ({ op: 'add', path: 'a', value: 1 })) })).toThrow(expect.objectContaining({ scimType: 'tooMany' }));
  });
});

describe('applyPatch', () => {
  it('replaces single values and sub-attributes, case-insensitively', () => {
    const out = patch([{ op: 'replace', path: 'USERNAME', value: 'new' }, { op: 'Replace', path: 'name.FamilyName', value: 'Smith' }]);
    expect(out).toMatchObject({ userName: 'new', name: { givenName: 'Barbara', familyName: 'Smith' } });
    expect(Object.keys(out.name as object)).toEqual(['givenName', 'familyName']);
  });

  it('replaces through a value filter, creating the element when none matches', () => {
    expect(patch([{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }]).emails).toEqual([{ type: 'work', value: 'new@example.com' }]);
    expect(patch([{ op: 'Replace', path: 'emails[type eq "other"].Value', value: 'o@example.com' }]).emails).toEqual([
      { type: 'work', value: 'b@example.com' },
      { type: 'other', Value: 'o@example.com' },
    ]);
  });

  it('removes members by value array and by filter (both Entra styles)', () => {
    expect(patch([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u2' }] }]).members).toEqual([{ value: 'u1' }, { value: 'u3' }]);
    expect(patch([{ op: 'remove', path: 'members[value eq "u1"]' }]).members).toEqual([{ value: 'u2' }, { value: 'u3' }]);
  });

  it('adds values to multi-valued attributes without duplicates and removes plain values', () => {
    const out = patch([
      { op: 'Add', path: `${EXT}:objectClass`, value: ['posixAccount', 'person'] },
      { op: 'Remove', path: `${EXT}:objectClass`, value: ['top'] },
    ]);
    expect((out[EXT] as Record<string, unknown>).objectClass).toEqual(['person', 'posixAccount']);
  });

  it('removes whole attributes and creates a missing extension object', () => {
    const out = patch([{ op: 'remove', path: 'name' }, { op: 'add', path: `${ENTERPRISE}:department`, value: 'Sales' }]);
    expect(out).not.toHaveProperty('name');
    expect(out[ENTERPRISE]).toEqual({ department: 'Sales' });
  });

  it('leaves the input untouched', () => {
    const input = base();
    applyPatch(input, normalizePatch({ Operations: [{ op: 'replace', path: 'userName', value: 'x' }] }));
    expect(input.userName).toBe('bjensen');
  });
});
