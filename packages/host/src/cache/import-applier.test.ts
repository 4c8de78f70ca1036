import type { ImportEntry, ObjectTypeDefinition } from '@ecmahost/sdk';
import { attributeChange } from '@ecmahost/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { ServedSchema } from '../connectors/served-schema.js';
import { ConnectorCache } from './connector-cache.js';
import { ImportApplier } from './import-applier.js';
import type { ImportCounts } from './import-applier.js';

const objectType: ObjectTypeDefinition = {
  name: 'person',
  anchors: ['login'],
  attributes: [
    { name: 'login', type: 'string', multiValued: false },
    { name: 'mail', type: 'string', multiValued: true },
    { name: 'secret', type: 'string', multiValued: false, operation: 'exportOnly' },
    { name: 'notSelected', type: 'string', multiValued: false },
  ],
};

const config = (anchor: string[]): ConnectorInstanceConfig => ({
  name: 'C',
  package: 'x',
  autosyncMinutes: 0,
  tokenHash: 'x',
  parameters: {},
  objectType: 'person',
  anchor,
  dn: { autogenerate: true },
  attributes: [{ name: 'login' }, { name: 'mail' }, { name: 'secret' }],
  deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
  runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 10 } },
});

const person = (login: string, mail: string[], modification: ImportEntry['modification'] = 'add'): ImportEntry => ({
  objectType: 'person',
  modification,
  anchor: { login },
  attributeChanges: [attributeChange.add('login', login), attributeChange.add('mail', mail), attributeChange.add('secret', 's'), attributeChange.add('notSelected', 'n')],
});

function setup(anchor = ['login']) {
  const applier = new ImportApplier(new ServedSchema(config(anchor), objectType, 'attributeUpdate', 100), pino({ level: 'silent' }));
  const cache = new ConnectorCache([{ name: 'login', caseExact: false }]);
  const counts: ImportCounts = { objects: 0, errors: 0, skipped: 0 };
  const full = (entries: ImportEntry[], now: string): void => {
    const generation = cache.beginFull();
    for (const entry of entries) applier.apply(entry, cache, generation, counts, now);
    cache.commitFull(generation);
  };
  return { applier, cache, counts, full };
}

describe('ImportApplier', () => {
  it('keeps only the served, readable attributes of an imported object', () => {
    const { cache, full } = setup();
    full([person('ann', ['a@x', 'ann@x'])], 'T1');
    expect(cache.all()).toEqual([{ id: 'YW5u', anchor: { login: 'ann' }, attributes: { login: ['ann'], mail: ['a@x', 'ann@x'] }, created: 'T1', lastModified: 'T1' }]);
  });

  it('keeps the dates of an unchanged object and dates only real changes', () => {
    const { cache, full } = setup();
    full([person('ann', ['a@x']), person('bob', ['b@x'])], 'T1');
    const ann = cache.get('YW5u');
    full([person('ann', ['a@x']), person('bob', ['b2@x'])], 'T2');
    expect(cache.get('YW5u')).toEqual(ann);
    expect(ann).toMatchObject({ created: 'T1', lastModified: 'T1' });
    // Written through SCIM since (an overlay object), then imported unchanged: still not re-dated.
    cache.put({ ...ann!, attributes: { login: ['ann'], mail: ['a3@x'] }, lastModified: 'T3' });
    full([person('ann', ['a3@x']), person('bob', ['b2@x'])], 'T4');
    expect(cache.get('YW5u')).toMatchObject({ attributes: { mail: ['a3@x'] }, created: 'T1', lastModified: 'T3' });
    expect(cache.get('Ym9i')).toMatchObject({ created: 'T1', lastModified: 'T2' });
    full([person('ann', ['a3@x']), person('bob', ['b2@x'])], 'T5');
    expect(cache.get('Ym9i')).toMatchObject({ attributes: { mail: ['b2@x'] }, created: 'T1', lastModified: 'T2' });
  });

  it('applies a delta update to the live object and a delta delete', () => {
    const { applier, cache, counts, full } = setup();
    full([person('ann', ['a@x']), person('bob', ['b@x'])], 'T1');
    applier.apply({ objectType: 'person', modification: 'update', anchor: { login: 'ann' }, attributeChanges: [attributeChange.update('mail', { add: ['a2@x'] })] }, cache, undefined, counts, 'T2');
    applier.apply({ objectType: 'person', modification: 'delete', anchor: { login: 'bob' }, attributeChanges: [] }, cache, undefined, counts, 'T2');
    expect(cache.all()).toEqual([{ id: 'YW5u', anchor: { login: 'ann' }, attributes: { login: ['ann'], mail: ['a@x', 'a2@x'] }, created: 'T1', lastModified: 'T2' }]);
  });

  it('counts unreadable entries, other object types and entries without their anchor as skipped', () => {
    const { cache, counts, full } = setup();
    full(
      [
        { objectType: 'person', modification: 'add', anchor: {}, attributeChanges: [], error: { code: 'custom-continue-run', message: 'unreadable' } },
        { ...person('grp', []), objectType: 'group' },
        { objectType: 'person', modification: 'add', anchor: {}, attributeChanges: [attributeChange.add('mail', 'x@x')] },
        person('ann', ['a@x']),
      ],
      'T1',
    );
    expect(counts).toEqual({ objects: 1, errors: 1, skipped: 2 });
    expect(cache.size).toBe(1);
  });

  it('adds the DN to the anchor when the DN is the anchor', () => {
    const { cache, full } = setup(['-dn-']);
    full([{ ...person('ann', ['a@x']), anchor: {}, dn: 'CN=Ann,OU=People' }], 'T1');
    expect(cache.all()[0]).toMatchObject({ id: Buffer.from('cn=ann,ou=people').toString('base64url'), anchor: { '-dn-': 'CN=Ann,OU=People' }, dn: 'CN=Ann,OU=People' });
  });

  describe('entries of values (decision 028)', () => {
    const personOfValues = (login: string, mail: string | string[], modification: 'add' | 'replace' = 'add'): ImportEntry => ({
      objectType: 'person',
      modification,
      anchor: { login },
      attributes: { login, mail, secret: 's', notSelected: 'n' },
    });

    it('caches the same object as the entry of changes, and the other form finds it unchanged', () => {
      const { cache, full } = setup();
      full([personOfValues('ann', ['a@x', 'ann@x']), personOfValues('bob', 'b@x')], 'T1');
      expect(cache.all()).toEqual([
        { id: 'YW5u', anchor: { login: 'ann' }, attributes: { login: ['ann'], mail: ['a@x', 'ann@x'] }, created: 'T1', lastModified: 'T1' },
        { id: 'Ym9i', anchor: { login: 'bob' }, attributes: { login: ['bob'], mail: ['b@x'] }, created: 'T1', lastModified: 'T1' },
      ]);
      // A list of one and a value alone are the same object, in either form.
      full([person('ann', ['a@x', 'ann@x']), personOfValues('bob', ['b@x'])], 'T2');
      expect(cache.all().map((o) => o.lastModified)).toEqual(['T1', 'T1']);
      full([personOfValues('ann', ['a@x']), person('bob', ['b@x'])], 'T3');
      expect(cache.all().map((o) => o.lastModified)).toEqual(['T3', 'T1']);
    });

    it('leaves out attributes without values and those the type does not keep', () => {
      const { cache, full } = setup();
      full([{ objectType: 'person', modification: 'add', anchor: { login: 'ann' }, attributes: { login: 'ann', mail: [], secret: 's', other: 'o', ...({ notSelected: undefined } as unknown as Record<string, string>) } }], 'T1');
      expect(cache.all()[0]!.attributes).toEqual({ login: ['ann'] });
    });

    it('applies a delta add or replace as the whole object, unchanged ones left undated', () => {
      const { applier, cache, counts, full } = setup();
      full([personOfValues('ann', 'a@x'), personOfValues('bob', 'b@x')], 'T1');
      applier.apply(personOfValues('ann', 'a@x', 'replace'), cache, undefined, counts, 'T2');
      applier.apply(personOfValues('bob', ['b@x', 'b2@x'], 'replace'), cache, undefined, counts, 'T2');
      applier.apply(personOfValues('cy', 'c@x'), cache, undefined, counts, 'T2');
      expect(cache.all()).toEqual([
        { id: 'YW5u', anchor: { login: 'ann' }, attributes: { login: ['ann'], mail: ['a@x'] }, created: 'T1', lastModified: 'T1' },
        { id: 'Ym9i', anchor: { login: 'bob' }, attributes: { login: ['bob'], mail: ['b@x', 'b2@x'] }, created: 'T1', lastModified: 'T2' },
        { id: 'Y3k', anchor: { login: 'cy' }, attributes: { login: ['cy'], mail: ['c@x'] }, created: 'T2', lastModified: 'T2' },
      ]);
    });

    it('skips an entry with a value that is not an attribute value, and keeps the run and the others', () => {
      const { cache, counts, full } = setup();
      const hostile = [null, {}, [['nested']], Number.NaN, Infinity, 10n, () => 1, Symbol('s'), new Date(0)];
      full(
        [
          ...hostile.map((value, i) => ({ objectType: 'person', modification: 'add', anchor: { login: `h${String(i)}` }, attributes: { login: `h${String(i)}`, mail: value } }) as unknown as ImportEntry),
          { objectType: 'person', modification: 'update', anchor: { login: 'upd' }, attributes: { login: 'upd' } } as unknown as ImportEntry,
          { objectType: 'person', modification: 'add', anchor: { login: 'arr' }, attributes: ['login', 'arr'] } as unknown as ImportEntry,
          { objectType: 'person', modification: 'add', anchor: { login: 'chg' }, attributeChanges: [attributeChange.add('mail', null as unknown as string)] },
          personOfValues('ann', 'a@x'),
        ],
        'T1',
      );
      expect(counts).toEqual({ objects: 1, errors: hostile.length + 3, skipped: 0 });
      expect(cache.all().map((o) => o.anchor)).toEqual([{ login: 'ann' }]);
    });

    it('takes an attribute named __proto__ as an attribute like any other', () => {
      const { cache, full } = setup();
      const attributes = JSON.parse('{"login":"ann","mail":"a@x","__proto__":"p"}') as Record<string, string>;
      full([{ objectType: 'person', modification: 'add', anchor: { login: 'ann' }, attributes }], 'T1');
      expect(cache.all()[0]!.attributes).toEqual({ login: ['ann'], mail: ['a@x'] });
      expect(Object.getPrototypeOf(cache.all()[0]!.attributes)).toBe(Object.prototype);
    });
  });
});
