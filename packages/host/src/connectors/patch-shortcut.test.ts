import type { AttributeValue, ObjectTypeDefinition } from '@ecmahost/sdk';
import { DN_ATTRIBUTE } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import type { CachedObject } from '../cache/cached-object.js';
import type { ConnectorInstanceConfig, DisableFlow } from '../config/connector-config.js';
import { ScimError } from '../scim/errors.js';
import { applyPatchInPlace, normalizePatch } from '../scim/patch.js';
import type { PatchOperation } from '../scim/patch.js';
import { diffAttributes } from './attribute-diff.js';
import { checkPatchPaths, readPatched, readPlainReplaces } from './resource-reader.js';
import type { ResourceValues } from './resource-reader.js';
import { renderForPatch } from './resource-renderer.js';
import type { ServedSchema } from './served-schema.js';
import type { ResolvedPath } from './served-schema.js';
import { pick, random } from '../../test/fixtures/seeded-random.js';
import { GENERATED_PERSON, PERSON_MAPPING, servedPerson } from '../../test/fixtures/served-schema.js';

// The PATCH shortcut (`readPlainReplaces`) against the general way (render for the PATCH, apply
// the operations, read the resource back) over generated objects and PATCH bodies: wherever the
// shortcut answers, the values and the change exported must be the general way's.

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const MAX = 40;

const objectType = GENERATED_PERSON;

// OpenLDAP's `title` (like most of inetOrgPerson's attributes) is multi-valued, under a
// single-valued core path: Entra replaces it with one value.
const multiTitle: ObjectTypeDefinition = { ...objectType, attributes: objectType.attributes.map((a) => (a.name === 'title' ? { ...a, multiValued: true } : a)) };

function schemaWith(disable: DisableFlow, dn: ConnectorInstanceConfig['dn'] = { autogenerate: true }, type: ObjectTypeDefinition = objectType): ServedSchema {
  return servedPerson(type, {
    disable,
    dn,
    maxValueLength: MAX,
    mapping: {
      ...PERSON_MAPPING,
      // Two core paths onto one attribute: the general way reads the later one back.
      nickName: 'nick',
      'name.middleName': 'nick',
      [`${ENTERPRISE}:employeeNumber`]: 'uidNumber',
      manager: 'manager',
    },
  });
}

const PATHS = [
  'displayName',
  'DISPLAYNAME',
  'title',
  'name.givenName',
  'name.middleName',
  'nickName',
  'userName',
  'emails[type eq "work"].value',
  'emails',
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:employeeNumber`,
  'manager',
  'active',
  'name',
  `${EXT}:title`,
  `${EXT}:Title`,
  `${EXT}:displayName`,
  `${EXT}:dept`,
  `${EXT}:nick`,
  `${EXT}:uidNumber`,
  `${EXT}:vip`,
  `${EXT}:born`,
  `${EXT}:photo`,
  `${EXT}:tags`,
  `${EXT}:IsActive`,
  `${EXT}:secret`,
  `${EXT}:manager`,
  `${EXT}:uid`,
  `${EXT}:dnText`,
  `${EXT}:${DN_ATTRIBUTE}`,
];

const VALUES: unknown[] = [
  'x',
  'Renamed',
  'élan ☃',
  '',
  ' 42 ',
  '42',
  '-7',
  '12a',
  'True',
  'false',
  '2026-01-02T03:04:05Z',
  '2026-13-45',
  'aGVsbG8=',
  'x'.repeat(MAX),
  'x'.repeat(MAX + 1),
  0,
  17,
  2.5,
  2 ** 60,
  true,
  false,
  null,
  ['a'],
  [],
  { value: 'v' },
  {},
];

function cachedObject(next: () => number, dnSource: string | undefined, multiValuedTitle: boolean): CachedObject {
  const attributes: Record<string, AttributeValue[]> = { uid: [`u${String(Math.floor(next() * 1000))}`] };
  const maybe = (name: string, value: () => AttributeValue[]): void => {
    if (next() < 0.6) attributes[name] = value();
  };
  for (const name of ['displayName', 'givenName', 'mail', 'dept', 'nick']) maybe(name, () => [pick(next, ['a', 'Bé', 'x'.repeat(MAX), 'True'])]);
  // Two values only where the schema makes title multi-valued; one value reads the same either way.
  maybe('title', () => (multiValuedTitle && next() < 0.5 ? ['a', 'Bé'] : [pick(next, ['a', 'Bé', 'x'.repeat(MAX), 'True'])]));
  maybe('uidNumber', () => [pick(next, [0, 7, -3])]);
  maybe('vip', () => [next() < 0.5]);
  maybe('born', () => ['2020-05-06T07:08:09.000Z']);
  maybe('photo', () => [Buffer.from('hello')]);
  maybe('tags', () => ['t1', 't2'].slice(0, 1 + Math.floor(next() * 2)));
  maybe('IsActive', () => [pick(next, ['True', 'False'])]);
  maybe('entryUUID', () => ['e-1']);
  maybe('manager', () => ['u1']);
  maybe('dnText', () => [`cn=${String(attributes.uid![0])},o=lab`]);
  const object: CachedObject = { id: 'id1', anchor: { uid: attributes.uid![0]! }, attributes, created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z' };
  // Where the DN is read from an attribute, the cached DN is that attribute's value; the DN
  // attribute itself renders the cached DN.
  if (dnSource === 'dnText' && attributes.dnText !== undefined) object.dn = String(attributes.dnText[0]);
  if (dnSource === DN_ATTRIBUTE && next() < 0.6) object.dn = `cn=${String(attributes.uid![0])},o=dir`;
  return object;
}

function patchBody(next: () => number): unknown {
  const count = 1 + Math.floor(next() * 3);
  const Operations = [];
  for (let i = 0; i < count; i++) {
    const op = next() < 0.8 ? pick(next, ['Replace', 'replace', 'REPLACE']) : pick(next, ['add', 'remove']);
    Operations.push({ op, path: pick(next, PATHS), value: pick(next, VALUES) });
  }
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations };
}

type Outcome = { values: ResourceValues } | { error: { status: number; scimType: string | undefined; detail: string } };

function general(schema: ServedSchema, object: CachedObject, operations: readonly PatchOperation[]): Outcome {
  try {
    return { values: readPatched(schema, applyPatchInPlace(renderForPatch(schema, object, 'https://h/scim'), operations), operations) };
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    return { error: { status: error.status, scimType: error.scimType, detail: error.message } };
  }
}

/** What the update does with a PATCH's values: the attribute values it checks, and the change it exports. */
function effect(schema: ServedSchema, object: CachedObject, values: ResourceValues): unknown {
  const written = Object.fromEntries(
    [...schema.attributes.values()].filter((a) => a.operation !== 'importOnly' && a.kept).map((a) => [a.name, values.attributes[a.name] ?? []]),
  );
  return { written, changes: diffAttributes(schema, object.attributes, values.attributes) };
}

describe('the PATCH shortcut for plain replaces', () => {
  for (const [label, disable, dn, type] of [
    ['a disable attribute', { action: 'attribute', attribute: 'IsActive' }, { autogenerate: true }, objectType],
    ['disable by delete, the DN read from an attribute', { action: 'delete' }, { attribute: 'dnText' }, objectType],
    ['no disable flow, the DN attribute', { action: 'none' }, { attribute: DN_ATTRIBUTE }, objectType],
    ['a multi-valued title under the single-valued core path', { action: 'none' }, { autogenerate: true }, multiTitle],
  ] as const) {
    it(`gives what the general way gives, wherever it answers (${label})`, () => {
      const schema = schemaWith(disable, dn, type);
      let answered = 0;
      let answeredMultiValued = 0;
      let declined = 0;
      let refused = 0;
      for (let seed = 1; seed <= 20_000; seed++) {
        const next = random(seed);
        const object = cachedObject(next, schema.dnAttribute, type === multiTitle);
        let operations: PatchOperation[];
        let resolved: ResolvedPath[];
        try {
          operations = normalizePatch(patchBody(next), schema.resource.knownSchemas).map((o) => ({ ...o, path: schema.qualify(o.path) }));
          resolved = checkPatchPaths(schema, operations);
        } catch (error) {
          // Refused before either way runs, as the route does.
          if (error instanceof ScimError) continue;
          throw error;
        }
        const context = { seed, object, operations };
        let shortcut: ResourceValues | undefined;
        try {
          shortcut = readPlainReplaces(schema, object.attributes, operations, resolved);
        } catch (error) {
          // A value the coercion refuses: the general way refuses it too, with the same status.
          if (!(error instanceof ScimError)) throw error;
          refused++;
          const reference = general(schema, object, operations);
          expect({ ...context, outcome: 'error' in reference ? { status: reference.error.status, scimType: reference.error.scimType } : 'values' }).toEqual({
            ...context,
            outcome: { status: error.status, scimType: error.scimType },
          });
          continue;
        }
        if (shortcut === undefined) {
          declined++;
          continue;
        }
        answered++;
        if (resolved.some((name) => typeof name === 'string' && schema.attributes.get(name)?.multiValued)) answeredMultiValued++;
        const reference = general(schema, object, operations);
        expect({ ...context, outcome: 'values' in reference ? 'values' : reference.error }).toEqual({ ...context, outcome: 'values' });
        if (!('values' in reference)) continue;
        expect({ ...context, effect: effect(schema, object, shortcut) }).toEqual({ ...context, effect: effect(schema, object, reference.values) });
        // What the general way reads besides attributes is what the object already is, so the update ignores it.
        expect(reference.values.dn).toBe(object.dn);
        expect(reference.values.password).toBeUndefined();
        expect(reference.values.active).toBe(schema.isActive(object.attributes));
        expect(shortcut.dn ?? shortcut.password ?? shortcut.active).toBeUndefined();
      }
      // Both branches are exercised in earnest.
      expect(answered).toBeGreaterThan(1_000);
      // Multi-valued attributes replaced with one value (`tags`, and `title` where it is multi-valued) among them.
      expect(answeredMultiValued).toBeGreaterThan(type === multiTitle ? 400 : 100);
      expect(declined).toBeGreaterThan(2_000);
      expect(refused).toBeGreaterThan(500);
    });
  }

  it('declines what it does not cover, leaving it to the general way, and refuses a value as the general way does', () => {
    const schema = schemaWith({ action: 'attribute', attribute: 'IsActive' });
    const object: CachedObject = { id: 'id1', anchor: { uid: 'u1' }, attributes: { uid: ['u1'], IsActive: ['True'], displayName: ['a'] }, created: '', lastModified: '' };
    const readFrom = (attributes: CachedObject['attributes'], body: unknown[]) => {
      const operations = normalizePatch({ Operations: body }).map((o) => ({ ...o, path: schema.qualify(o.path) }));
      return readPlainReplaces(schema, attributes, operations, checkPatchPaths(schema, operations));
    };
    const read = (operations: unknown[]) => readFrom(object.attributes, operations);
    expect(read([{ op: 'replace', path: 'displayName', value: 'b' }])).toEqual({ attributes: { uid: ['u1'], IsActive: ['True'], displayName: ['b'] } });
    expect(read([{ op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: '12' }])?.attributes.uidNumber).toEqual([12]);
    expect(read([{ op: 'replace', path: `${EXT}:photo`, value: 'aGk=' }])?.attributes.photo).toEqual([Buffer.from('hi')]);
    for (const operation of [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@x' }, // a value filter
      { op: 'replace', path: 'nickName', value: 'n' }, // one of two paths onto one attribute
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'manager', value: 'id2' }, // a reference
      { op: 'replace', path: `${EXT}:IsActive`, value: 'False' }, // the disable flow's attribute
      { op: 'replace', path: 'displayName', value: null },
      { op: 'replace', path: 'displayName', value: ['b'] },
      { op: 'add', path: 'displayName', value: 'b' },
      { op: 'remove', path: 'displayName' },
    ]) {
      expect({ operation, read: read([operation]) }).toEqual({ operation, read: undefined });
    }
    expect(() => read([{ op: 'replace', path: `${ENTERPRISE}:employeeNumber`, value: '12a' }])).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidValue', message: 'uidNumber must be of type integer, got "\\"12a\\"".' }),
    );
    expect(() => read([{ op: 'replace', path: 'displayName', value: 'x'.repeat(MAX + 1) }])).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidValue', message: `The value of displayName is ${String(MAX + 1)} characters long; the host accepts at most ${String(MAX)}.` }),
    );
    // The same attribute twice (core and extension: the extension wins in the general way).
    expect(read([{ op: 'replace', path: 'displayName', value: 'b' }, { op: 'replace', path: `${EXT}:displayName`, value: 'c' }])).toBeUndefined();
    // A path-less replace is expanded into plain replaces first.
    expect(read([{ op: 'replace', value: { displayName: 'b', title: 't' } }])?.attributes).toMatchObject({ displayName: ['b'], title: ['t'] });
    // An object without the disable attribute's value: the general way writes it from `active` on any PATCH.
    const inactiveUnknown: CachedObject = { ...object, attributes: { uid: ['u1'] } };
    expect(readFrom(inactiveUnknown.attributes, [{ op: 'replace', path: 'displayName', value: 'b' }])).toBeUndefined();
  });
});
