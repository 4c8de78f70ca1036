import { describe, expect, it } from 'vitest';
import { parsePath } from './filter-parser.js';
import { applyPatch, applyPatchInPlace, compilePlacements, normalizePatch, placeInPlace, planPlacements } from './patch.js';

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

describe('planPlacements and placeInPlace', () => {
  // Mappings the renderer places: plain, dotted, value-filtered (seeded), URN-qualified core and
  // extension paths, and names two paths spell differently, which must stay resolved per response.
  const MAPPINGS: Record<string, string[]> = {
    plain: ['userName', 'displayName', 'name.givenName', 'name.familyName', 'emails[type eq "work"].value', 'emails[type eq "home"].value', 'phoneNumbers[type eq "work" and primary eq true].value'],
    urns: [`${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:manager`, 'urn:ietf:params:scim:schemas:core:2.0:User:title', `${ENTERPRISE}:department`],
    spellings: ['Name.givenName', 'name.familyName', 'ID', 'emails[type eq "work"].value', 'Emails', `${ENTERPRISE.toUpperCase()}:costCenter`, `${ENTERPRISE}:division`, `${ENTERPRISE}:Division`, 'title'],
    sameFilter: ['emails[type eq "work"].value', 'emails[type eq "work"].display', 'emails', 'name', 'name.formatted'],
    // Entra's usual user mapping, the case the compiled placers write in place.
    entra: ['userName', 'name.givenName', 'name.familyName', 'displayName', 'title', 'emails[type eq "work"].value', 'emails[type eq "work"].primary', 'phoneNumbers[type eq "mobile"].value', `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.displayName`],
    filterShapes: ['emails[type eq "work" and primary eq true].value', 'emails[type eq "work"].value', 'emails[Type eq "WORK"].display', 'addresses[type eq "work"].locality', 'addresses[type eq "work"]'],
    baseKeys: ['id', 'externalId', 'name.givenName', 'name.GivenName', `${ENTERPRISE}:costCenter`],
  };
  const VALUES: unknown[] = ['a', ['x', 'y'], { value: 'ref' }, 7, true];

  it.each(Object.entries(MAPPINGS))('builds what the patch engine builds from the same replaces (%s), whichever values are present', (_name, texts) => {
    const paths = texts.map((text) => parsePath(text));
    const placements = planPlacements(paths, ['schemas', 'id']);
    const placers = compilePlacements(placements, ['schemas', 'id']);
    // Every subset of present values, each path given a value of a different shape.
    for (let present = 0; present < 2 ** paths.length; present++) {
      for (let shift = 0; shift < VALUES.length; shift++) {
        const fresh = () => ({ schemas: ['s'], id: '1' });
        const expected = fresh();
        const placed = fresh();
        const operations = paths.flatMap((path, i) => ((present >> i) & 1 ? [{ op: 'replace' as const, path, value: VALUES[(i + shift) % VALUES.length] }] : []));
        applyPatchInPlace(expected, operations);
        paths.forEach((_path, i) => (present >> i) & 1 && placeInPlace(placed, placements[i]!, VALUES[(i + shift) % VALUES.length]));
        expect(JSON.stringify(placed)).toBe(JSON.stringify(expected));
        const compiled = fresh();
        paths.forEach((_path, i) => (present >> i) & 1 && placers[i]!(compiled, VALUES[(i + shift) % VALUES.length]));
        expect(JSON.stringify(compiled)).toBe(JSON.stringify(expected));
      }
    }
  });

  it('fixes the keys no other path spells differently, and leaves the others to be found per resource', () => {
    const placements = planPlacements(MAPPINGS.spellings!.map((text) => parsePath(text)), ['schemas', 'id']);
    expect(placements.map(({ schemaKey, key }) => [schemaKey, key])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, 'costCenter'],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, 'title'],
    ]);
    expect(planPlacements([parsePath(`${ENTERPRISE}:manager`)], ['schemas', 'id'])[0]).toMatchObject({ core: false, schemaKey: ENTERPRISE, key: 'manager' });
  });
});
