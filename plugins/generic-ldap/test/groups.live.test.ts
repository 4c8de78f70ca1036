import { fileURLToPath } from 'node:url';
import type { AttributeValue, ConnectorInstance, ImportEntry } from '@ecmahost/sdk';
import { attributeChange, attributeChangesOf } from '@ecmahost/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valuesFor } from './ldap-target.js';
import { exportBatch, importAll } from './sessions.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';
import { withInstance } from './with-instance.js';

const skip = slapdSkipReason();
const seedLdifFile = fileURLToPath(new URL('./fixtures/groups-base.ldif', import.meta.url));
const base = 'dc=example,dc=com';
const people = `ou=people,${base}`;
const groups = `ou=groups,${base}`;
const nobody = `cn=nobody,${base}`;

/** The values of `attribute` on the entry at `dn`, as ldapsearch prints them (lower-cased for DN comparison). */
async function valuesAt(slapd: Slapd, dn: string, attribute: string): Promise<string[]> {
  const ldif = await slapd.ldapsearch(dn, '(objectClass=*)', [attribute], 'base');
  const prefix = `${attribute.toLowerCase()}: `;
  return ldif
    .split('\n')
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).toLowerCase())
    .sort();
}

const valuesOf = (entry: ImportEntry | undefined, name: string): AttributeValue[] | undefined => entry?.attributeChanges?.find((c) => c.name === name)?.valueChanges.map((v) => v.value);
const entryAt = (entries: readonly ImportEntry[], dn: string) => entries.find((e) => e.dn?.toLowerCase() === dn.toLowerCase());
const lower = (values: AttributeValue[] | undefined) => values?.map((v) => String(v).toLowerCase()).sort();

describe.skipIf(skip !== undefined)(liveTitle('groups, memberships and manager on slapd with refint', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd({ seedLdifFile, refint: true, refintNothing: nobody });
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  const config = (extra: Record<string, string> = {}) => valuesFor(slapd, { objectClasses: 'inetOrgPerson,groupOfNames', anchor: 'entryUUID', containers: `${people}\n${groups}`, ...extra });

  async function addUser(instance: ConnectorInstance, uid: string, extra: Record<string, AttributeValue> = {}): Promise<{ dn: string; anchor: string }> {
    const dn = `uid=${uid},${people}`;
    const [result] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': dn, uid, cn: uid, sn: uid, ...extra }) }]);
    expect(result?.error).toBeUndefined();
    return { dn, anchor: String(result?.anchor?.entryUUID) };
  }

  it('creates an empty group, adds and removes members value by value, keeps them through a rename, and deletes the group', async () => {
    await withInstance(config(), async (instance) => {
      const alice = await addUser(instance, 'alice');
      const bob = await addUser(instance, 'bob');
      // The manager is a DN: written as given, read back as the manager's DN.
      const carol = await addUser(instance, 'carol', { manager: alice.dn });
      expect(await valuesAt(slapd, carol.dn, 'manager')).toEqual([alice.dn.toLowerCase()]);

      // Entra creates a group with no members: the directory keeps the group's own DN as its one member.
      const groupDn = `cn=Staff,${groups}`;
      const [created] = await exportBatch(instance, 'groupOfNames', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': groupDn, cn: 'Staff' }) }]);
      expect(created?.error).toBeUndefined();
      const group = { dn: groupDn, anchor: { entryUUID: String(created?.anchor?.entryUUID) } };
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([groupDn.toLowerCase()]);
      let imported = await importAll(instance, 'full');
      expect(valuesOf(entryAt(imported.entries, groupDn), 'member')).toBeUndefined();
      expect(lower(valuesOf(entryAt(imported.entries, carol.dn), 'manager'))).toEqual([alice.dn.toLowerCase()]);

      const members = async (add: string[], remove: string[]) => {
        const [result] = await exportBatch(instance, 'groupOfNames', [{ modification: 'update', dn: group.dn, anchor: group.anchor, attributeChanges: [attributeChange.update('member', { add, delete: remove })] }]);
        expect(result?.error).toBeUndefined();
      };
      await members([alice.dn, bob.dn], []);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([alice.dn, bob.dn].map((d) => d.toLowerCase()).sort());
      // A stale cache: adding a member already there and removing one already gone both succeed and change nothing.
      await members([alice.dn], [carol.dn]);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([alice.dn, bob.dn].map((d) => d.toLowerCase()).sort());
      // A member naming no entry fails the entry, and nothing of it is written.
      const [dangling] = await exportBatch(instance, 'groupOfNames', [{ modification: 'update', dn: group.dn, anchor: group.anchor, attributeChanges: [attributeChange.update('member', { add: [carol.dn, `uid=ghost,${people}`] })] }]);
      expect(dangling?.error).toMatchObject({ code: 'invalid-provisioning-value', attribute: 'member' });
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([alice.dn, bob.dn].map((d) => d.toLowerCase()).sort());
      await members([], [bob.dn]);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([alice.dn.toLowerCase()]);
      // Removing the last member leaves the placeholder, which imports do not show.
      await members([], [alice.dn]);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([groupDn.toLowerCase()]);
      imported = await importAll(instance, 'full');
      expect(valuesOf(entryAt(imported.entries, groupDn), 'member')).toBeUndefined();
      await members([alice.dn, carol.dn], []);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([alice.dn, carol.dn].map((d) => d.toLowerCase()).sort());

      // Renaming a member: refint rewrites the group's member value and carol's manager.
      const renamed = `uid=alice.smith,${people}`;
      const [rename] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'update', dn: alice.dn, newDn: renamed, anchor: { entryUUID: alice.anchor }, attributeChanges: [] }]);
      expect(rename?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([renamed, carol.dn].map((d) => d.toLowerCase()).sort());
      expect(await valuesAt(slapd, carol.dn, 'manager')).toEqual([renamed.toLowerCase()]);

      const [deleted] = await exportBatch(instance, 'groupOfNames', [{ modification: 'delete', dn: group.dn, anchor: group.anchor, attributeChanges: [] }]);
      expect(deleted?.error).toBeUndefined();
      expect(await slapd.ldapsearch(groups, '(cn=Staff)', ['member'])).toBe('');
    });
  });

  it('reports membership changes in delta imports (accesslog) as the group with its whole member list', async () => {
    await withInstance(config({ emptyGroupMember: nobody }), async (instance) => {
      const dave = await addUser(instance, 'dave');
      const erin = await addUser(instance, 'erin');
      const groupDn = `cn=Ops,${groups}`;
      const [created] = await exportBatch(instance, 'groupOfNames', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': groupDn, cn: 'Ops' }) }]);
      const anchor = { entryUUID: String(created?.anchor?.entryUUID) };
      // The configured placeholder instead of the group's own DN.
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([nobody]);
      const { watermark } = await importAll(instance, 'full');

      const [added] = await exportBatch(instance, 'groupOfNames', [{ modification: 'update', dn: groupDn, anchor, attributeChanges: [attributeChange.update('member', { add: [dave.dn, erin.dn] })] }]);
      expect(added?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([dave.dn, erin.dn].map((d) => d.toLowerCase()).sort());
      const first = await importAll(instance, 'delta', watermark);
      const afterAdd = first.entries.filter((e) => e.dn?.toLowerCase() === groupDn.toLowerCase());
      // One record per modify (the members added, then the placeholder removed): each reads the group as it is now.
      expect(new Set(afterAdd.map((e) => e.modification))).toEqual(new Set(['replace']));
      expect(lower(valuesOf(afterAdd.at(-1), 'member'))).toEqual([dave.dn, erin.dn].map((d) => d.toLowerCase()).sort());

      await exportBatch(instance, 'groupOfNames', [{ modification: 'update', dn: groupDn, anchor, attributeChanges: [attributeChange.update('member', { delete: [dave.dn, erin.dn] })] }]);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([nobody]);
      const second = await importAll(instance, 'delta', first.watermark);
      const afterRemove = second.entries.filter((e) => e.dn?.toLowerCase() === groupDn.toLowerCase());
      expect(new Set(afterRemove.map((e) => e.modification))).toEqual(new Set(['replace']));
      // The placeholder is no member: the group reads as empty.
      expect(valuesOf(afterRemove.at(-1), 'member')).toBeUndefined();
    });
  });

  it('serves groupOfUniqueNames the same way: uniqueMember is a reference, with the placeholder when empty', async () => {
    await withInstance(config({ objectClasses: 'inetOrgPerson,groupOfUniqueNames', emptyGroupMember: nobody }), async (instance) => {
      const schema = await instance.getSchema();
      expect(schema.objectTypes.find((t) => t.name === 'groupOfUniqueNames')?.attributes.find((a) => a.name === 'uniqueMember')).toMatchObject({ type: 'reference', multiValued: true });
      const lee = await addUser(instance, 'lee');
      const groupDn = `cn=Auditors,${groups}`;
      const [created] = await exportBatch(instance, 'groupOfUniqueNames', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': groupDn, cn: 'Auditors' }) }]);
      expect(created?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'uniqueMember')).toEqual([nobody]);
      const anchor = { entryUUID: String(created?.anchor?.entryUUID) };
      const change = async (add: string[], remove: string[]) =>
        (await exportBatch(instance, 'groupOfUniqueNames', [{ modification: 'update', dn: groupDn, anchor, attributeChanges: [attributeChange.update('uniqueMember', { add, delete: remove })] }]))[0];
      expect((await change([lee.dn], []))?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'uniqueMember')).toEqual([lee.dn.toLowerCase()]);
      expect((await change([], [lee.dn]))?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'uniqueMember')).toEqual([nobody]);
      const { entries } = await importAll(instance, 'full');
      expect(valuesOf(entryAt(entries, groupDn), 'uniqueMember')).toBeUndefined();
    });
  });

  it('serves posixGroup, whose memberUid values are user names rather than references, value by value', async () => {
    await withInstance(config({ objectClasses: 'inetOrgPerson,groupOfNames,posixGroup' }), async (instance) => {
      const schema = await instance.getSchema();
      expect(schema.objectTypes.find((t) => t.name === 'posixGroup')?.attributes.find((a) => a.name === 'memberUid')).toMatchObject({ type: 'string', multiValued: true });
      const groupDn = `cn=developers,${groups}`;
      const [created] = await exportBatch(instance, 'posixGroup', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': groupDn, cn: 'developers', gidNumber: 5000 }) }]);
      expect(created?.error).toBeUndefined();
      // posixGroup may be empty: no placeholder.
      expect(await valuesAt(slapd, groupDn, 'memberUid')).toEqual([]);
      const anchor = { entryUUID: String(created?.anchor?.entryUUID) };
      const change = async (add: string[], remove: string[]) =>
        (await exportBatch(instance, 'posixGroup', [{ modification: 'update', dn: groupDn, anchor, attributeChanges: [attributeChange.update('memberUid', { add, delete: remove })] }]))[0];
      expect((await change(['ivy', 'jon'], []))?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'memberUid')).toEqual(['ivy', 'jon']);
      expect((await change(['ivy'], ['kim']))?.error).toBeUndefined();
      expect((await change([], ['ivy']))?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'memberUid')).toEqual(['jon']);
      expect((await change([], ['jon']))?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'memberUid')).toEqual([]);
    });
  });
});

describe.skipIf(skip !== undefined)(liveTitle('renames of members on slapd without refint', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd({ seedLdifFile });
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it('rewrites the member and manager values naming a renamed entry itself', async () => {
    await withInstance(valuesFor(slapd, { objectClasses: 'inetOrgPerson,groupOfNames', anchor: 'entryUUID', containers: `${people}\n${groups}` }), async (instance) => {
      const frank = `uid=frank,${people}`;
      const [added] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': frank, uid: 'frank', cn: 'Frank', sn: 'F' }) }]);
      const grace = `uid=grace,${people}`;
      await exportBatch(instance, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': grace, uid: 'grace', cn: 'Grace', sn: 'G', manager: frank }) }]);
      const groupDn = `cn=Leads,${groups}`;
      await exportBatch(instance, 'groupOfNames', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': groupDn, cn: 'Leads', member: [frank, grace] }) }]);
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([frank, grace].sort());

      const renamed = `uid=frank.jones,${people}`;
      const [rename] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'update', dn: frank, newDn: renamed, anchor: { entryUUID: String(added?.anchor?.entryUUID) }, attributeChanges: [] }]);
      expect(rename?.error).toBeUndefined();
      expect(await valuesAt(slapd, groupDn, 'member')).toEqual([renamed, grace].sort());
      expect(await valuesAt(slapd, grace, 'manager')).toEqual([renamed]);
    });
  });
});
