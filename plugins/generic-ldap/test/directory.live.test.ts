import type { ConnectorInstance, ParameterValues } from '@ecmahost/sdk';
import { attributeChange, attributeChangesOf, secret, silentLogger } from '@ecmahost/sdk';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector, { escapeDnValue, parseDn } from '../src/index.js';
import { freshContainer, rootClient, valuesFor } from './ldap-target.js';
import { exportBatch, importAll } from './sessions.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();
const context = { log: silentLogger, signal: new AbortController().signal };

async function open(values: ParameterValues): Promise<ConnectorInstance> {
  return connector.open(values, context);
}

async function canBind(slapd: Slapd, dn: string, password: string): Promise<boolean> {
  const client = new Client({ url: slapd.url });
  try {
    await client.startTLS({ ca: slapd.caPem, host: '127.0.0.1' });
    await client.bind(dn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

describe.skipIf(skip !== undefined)(liveTitle('export and import against slapd', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it("exports Microsoft's OpenLDAP mapping: add, modify, rename, move, password bind, delete", async () => {
    const ou = await freshContainer(slapd, 'mapping');
    const other = await freshContainer(slapd, 'moved');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: `${ou}\n${other}` }));
    try {
      const dn = `cn=Alice Smith,${ou}`;
      const [added] = await exportBatch(instance, 'inetOrgPerson', [
        {
          modification: 'add',
          anchor: {},
          attributeChanges: attributeChangesOf({
            '-dn-': dn,
            objectClass: ['inetOrgPerson', 'posixAccount', 'shadowAccount'],
            cn: 'Alice Smith',
            sn: 'Smith',
            mail: 'alice@example.com',
            uid: 'alice',
            uidNumber: 10001,
            gidNumber: 10000,
            homeDirectory: '/home/alice',
            userPassword: 'Initial-Passw0rd',
          }),
        },
      ]);
      expect(added).toMatchObject({ dn, anchor: { '-dn-': dn } });
      const ldif = await slapd.ldapsearch(ou, '(uid=alice)', ['objectClass', 'uidNumber', 'gidNumber', 'homeDirectory', 'userPassword']);
      expect(ldif).toContain(`dn: ${dn}`);
      expect(ldif).toMatch(/objectClass: posixAccount/);
      expect(ldif).toMatch(/objectClass: shadowAccount/);
      expect(ldif).toMatch(/uidNumber: 10001/);
      expect(ldif).toMatch(/homeDirectory: \/home\/alice/);
      // Password Modify: the server hashed it, and the user can bind with it.
      expect(ldif).toMatch(/userPassword:: /);
      expect(ldif).not.toContain('Initial-Passw0rd');
      expect(await canBind(slapd, dn, 'Initial-Passw0rd')).toBe(true);

      const [modified] = await exportBatch(instance, 'inetOrgPerson', [
        {
          modification: 'update',
          dn,
          anchor: { '-dn-': dn },
          attributeChanges: [attributeChange.replace('sn', 'Jones'), attributeChange.update('mail', { add: ['a.jones@example.com'], delete: ['alice@example.com'] }), attributeChange.add('title', 'Engineer')],
        },
      ]);
      expect(modified?.error).toBeUndefined();
      const afterModify = await slapd.ldapsearch(ou, '(uid=alice)', ['sn', 'mail', 'title']);
      expect(afterModify).toMatch(/sn: Jones/);
      expect(afterModify).toMatch(/mail: a.jones@example.com/);
      expect(afterModify).not.toMatch(/alice@example.com/);
      expect(afterModify).toMatch(/title: Engineer/);

      const renamed = `cn=Alice Jones,${ou}`;
      const [rename] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'update', dn, anchor: { '-dn-': dn }, attributeChanges: [attributeChange.replace('-dn-', renamed)] }]);
      expect(rename).toMatchObject({ dn: renamed });
      expect(await slapd.ldapsearch(ou, '(uid=alice)', ['cn'])).toContain(`dn: ${renamed}`);

      // A new naming attribute keeps the old naming value: posixAccount still needs uid.
      const byUid = `uid=alice,${ou}`;
      const [toUid] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'update', dn: renamed, anchor: { '-dn-': renamed }, attributeChanges: [attributeChange.replace('-dn-', byUid)] }]);
      expect(toUid?.error).toBeUndefined();
      expect(await slapd.ldapsearch(ou, '(uid=alice)', ['cn'])).toContain('cn: Alice Jones');
      const [back] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'update', dn: byUid, anchor: { '-dn-': byUid }, attributeChanges: [attributeChange.replace('-dn-', renamed)] }]);
      expect(back?.error).toBeUndefined();
      const moved = `cn=Alice Jones,${other}`;
      const [move] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'update', dn: renamed, newDn: moved, anchor: { '-dn-': renamed }, attributeChanges: [] }]);
      expect(move).toMatchObject({ dn: moved });
      expect(await slapd.ldapsearch(ou, '(uid=alice)', ['cn'])).toBe('');
      expect(await slapd.ldapsearch(other, '(uid=alice)', ['cn'])).toContain(`dn: ${moved}`);
      expect(await canBind(slapd, moved, 'Initial-Passw0rd')).toBe(true);

      const [removed] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'delete', dn: moved, anchor: { '-dn-': moved }, attributeChanges: [] }]);
      expect(removed?.error).toBeUndefined();
      expect(await slapd.ldapsearch(other, '(uid=alice)', ['cn'])).toBe('');
    } finally {
      await instance.close();
    }
  });

  it('applies an object replace: given attributes replaced, the others cleared, the naming value kept', async () => {
    const ou = await freshContainer(slapd, 'replace');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}` }));
    try {
      const [added] = await exportBatch(instance, 'inetOrgPerson', [
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'rep', cn: 'Rep', sn: 'Old', title: 'Boss', mail: ['a@x', 'b@x'] }) },
      ]);
      const dn = String(added?.dn);
      const [replaced] = await exportBatch(instance, 'inetOrgPerson', [
        { modification: 'replace', dn, anchor: { '-dn-': dn }, attributeChanges: attributeChangesOf({ cn: 'Rep', sn: 'New', mail: 'c@x' }) },
      ]);
      expect(replaced?.error).toBeUndefined();
      const ldif = await slapd.ldapsearch(ou, '(uid=rep)', ['uid', 'sn', 'title', 'mail']);
      expect(ldif).toMatch(/sn: New/);
      expect(ldif).toMatch(/uid: rep/);
      expect(ldif).not.toMatch(/title:/);
      expect(ldif.match(/^mail: /gm)).toEqual(['mail: ']);
    } finally {
      await instance.close();
    }
  });

  it('writes pre-hashed {SSHA} passwords as the attribute when asked to', async () => {
    const ou = await freshContainer(slapd, 'ssha');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}`, passwordMethod: 'attributeSsha' }));
    try {
      const [result] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'bob', cn: 'Bob', sn: 'B', userPassword: 'Hashed-0nce' }) }]);
      expect(result).toMatchObject({ dn: `uid=bob,${ou}` });
      const ldif = await slapd.ldapsearch(ou, '(uid=bob)', ['userPassword']);
      const encoded = /userPassword:: (\S+)/.exec(ldif)?.[1] ?? '';
      expect(Buffer.from(encoded, 'base64').toString()).toMatch(/^\{SSHA\}/);
      expect(await canBind(slapd, `uid=bob,${ou}`, 'Hashed-0nce')).toBe(true);
      const passwords = await instance.openPassword!({});
      expect(await passwords.setPassword({ objectType: 'inetOrgPerson', anchor: { '-dn-': `uid=bob,${ou}` } }, secret('Changed-0nce'), {})).toBeUndefined();
      await passwords.close();
      expect(await canBind(slapd, `uid=bob,${ou}`, 'Changed-0nce')).toBe(true);
    } finally {
      await instance.close();
    }
  });

  it('reports rejected values with the server diagnostic, and refused writes as permission issues', async () => {
    const ou = await freshContainer(slapd, 'errors');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}` }));
    const anonymous = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}`, binding: 'Anonymous', bindDn: '' }));
    try {
      const results = await exportBatch(instance, 'inetOrgPerson', [
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ objectClass: ['inetOrgPerson', 'posixAccount'], uid: 'u1', cn: 'U', sn: 'U', uidNumber: 1, gidNumber: 1, homeDirectory: '/home/ü' }) },
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'u2', cn: 'U' }) },
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'u3', cn: 'U', sn: 'U', uidNumber: 'many' }) },
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ cn: 'no uid', sn: 'U' }) },
      ]);
      expect(results[0]?.error).toMatchObject({ code: 'syntax-violation' });
      expect(results[0]?.error?.message).toMatch(/invalidAttributeSyntax \(21\): homeDirectory: value #0 invalid per syntax/);
      expect(results[1]?.error).toMatchObject({ code: 'syntax-violation' });
      expect(results[1]?.error?.message).toMatch(/objectClassViolation \(65\).*'sn'/);
      expect(results[2]?.error).toMatchObject({ code: 'invalid-provisioning-value' });
      expect(results[2]?.error?.message).toMatch(/uidNumber takes an integer/);
      expect(results[3]?.error).toMatchObject({ code: 'invalid-provisioning-value' });
      expect(results[3]?.error?.message).toMatch(/needs a value for uid/);
      const [refused] = await exportBatch(anonymous, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'anon', cn: 'A', sn: 'A' }) }]);
      expect(refused?.error).toMatchObject({ code: 'permission-issue' });
      expect(await slapd.ldapsearch(ou, '(objectClass=inetOrgPerson)', ['uid'])).toBe('');
    } finally {
      await instance.close();
      await anonymous.close();
    }
  });

  it('creates and finds entries whose values need escaping in DNs and filters, exactly', async () => {
    const hostile = ['*', '(', ')', '\\', 'ends\\', 'nul\0byte', 'a,b', 'a+b', 'a=b', '#lead', ' lead', 'trail ', '*)(uid=*'];
    const ou = await freshContainer(slapd, 'escaping');
    // employeeNumber (single-valued) as the anchor makes every update and delete look the entry up
    // with an equality filter on the hostile value.
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `cn={cn},${ou}`, anchor: 'employeeNumber' }));
    try {
      const adds = await exportBatch(
        instance,
        'inetOrgPerson',
        hostile.map((value) => ({ modification: 'add' as const, anchor: { employeeNumber: value }, attributeChanges: attributeChangesOf({ cn: value, sn: 'S', employeeNumber: value }) })),
      );
      expect(adds.map((r) => r.error)).toEqual(hostile.map(() => undefined));
      // The anchor an add reports is the one the directory holds (imports find the same objects by it).
      expect(adds.map((r) => r.anchor)).toEqual(hostile.map((value) => ({ employeeNumber: value })));
      const { entries } = await importAll(instance, 'full');
      expect(entries.map((e) => e.anchor.employeeNumber).sort()).toEqual([...hostile].sort());
      for (const entry of entries) {
        const cn = entry.attributeChanges?.find((c) => c.name === 'cn')?.valueChanges.map((v) => v.value);
        expect(cn).toEqual([entry.anchor.employeeNumber]);
      }
      const updates = await exportBatch(
        instance,
        'inetOrgPerson',
        hostile.map((value) => ({ modification: 'update' as const, anchor: { employeeNumber: value }, attributeChanges: [attributeChange.replace('description', `for ${value}`)] })),
      );
      expect(updates.map((r) => r.error)).toEqual(hostile.map(() => undefined));
      const after = await importAll(instance, 'full');
      for (const entry of after.entries) {
        const description = entry.attributeChanges?.find((c) => c.name === 'description')?.valueChanges.map((v) => v.value);
        expect(description).toEqual([`for ${String(entry.anchor.employeeNumber)}`]);
      }
      // Renames to DNs that need escaping (a value ending in a backslash included).
      const renames = await exportBatch(
        instance,
        'inetOrgPerson',
        hostile.map((value) => ({ modification: 'update' as const, anchor: { employeeNumber: value }, attributeChanges: [attributeChange.replace('-dn-', `cn=${escapeDnValue(`${value}\\`)},${ou}`)] })),
      );
      expect(renames.map((r) => r.error)).toEqual(hostile.map(() => undefined));
      const renamed = await importAll(instance, 'full');
      for (const entry of renamed.entries) {
        const value = String(entry.anchor.employeeNumber);
        expect(parseDn(String(entry.dn))[0]).toEqual([{ type: 'cn', value: `${value}\\` }]);
        expect(entry.attributeChanges?.find((c) => c.name === 'cn')?.valueChanges.map((v) => v.value)).toEqual([`${value}\\`]);
      }
      const [missing] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'delete', anchor: { employeeNumber: '**' }, attributeChanges: [] }]);
      expect(missing?.error?.code).toBe('missing-object');
      const deletes = await exportBatch(
        instance,
        'inetOrgPerson',
        hostile.map((value) => ({ modification: 'delete' as const, anchor: { employeeNumber: value }, attributeChanges: [] })),
      );
      expect(deletes.map((r) => r.error)).toEqual(hostile.map(() => undefined));
      expect((await importAll(instance, 'full')).entries).toEqual([]);
    } finally {
      await instance.close();
    }
  });

  it('imports changes made behind its back from the accesslog: add, modify, modrdn, delete', async () => {
    const ou = await freshContainer(slapd, 'delta');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, anchor: 'entryUUID' }));
    const root = await rootClient(slapd);
    try {
      await root.add(`uid=keep,${ou}`, { objectClass: 'inetOrgPerson', uid: 'keep', cn: 'Keep', sn: 'K' });
      await root.add(`uid=gone,${ou}`, { objectClass: 'inetOrgPerson', uid: 'gone', cn: 'Gone', sn: 'G' });
      await root.add(`uid=old,${ou}`, { objectClass: 'inetOrgPerson', uid: 'old', cn: 'Old', sn: 'O' });
      const full = await importAll(instance, 'full');
      expect(full.entries).toHaveLength(3);
      const uuidOf = (uid: string) => full.entries.find((e) => e.dn === `uid=${uid},${ou}`)?.anchor.entryUUID;

      await root.modify(`uid=keep,${ou}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'sn', values: ['Changed'] }) }));
      await root.add(`uid=new,${ou}`, { objectClass: 'inetOrgPerson', uid: 'new', cn: 'New', sn: 'N' });
      await root.modifyDN(`uid=old,${ou}`, `uid=renamed,${ou}`);
      await root.del(`uid=gone,${ou}`);
      // Outside the configured container: not reported.
      await root.add(`uid=elsewhere,ou=people,${slapd.baseDn}`, { objectClass: 'inetOrgPerson', uid: 'elsewhere', cn: 'E', sn: 'E' });

      const delta = await importAll(instance, 'delta', full.watermark);
      const summary = delta.entries.map((e) => `${e.modification} ${String(e.dn)}`);
      expect(summary).toEqual([`replace uid=keep,${ou}`, `add uid=new,${ou}`, `replace uid=renamed,${ou}`, `delete uid=gone,${ou}`]);
      expect(delta.entries[0]?.attributeChanges?.find((c) => c.name === 'sn')?.valueChanges[0]?.value).toBe('Changed');
      expect(delta.entries[2]?.anchor.entryUUID).toBe(uuidOf('old'));
      expect(delta.entries[3]).toMatchObject({ objectType: 'inetOrgPerson', anchor: { entryUUID: uuidOf('gone') } });

      const quiet = await importAll(instance, 'delta', delta.watermark);
      expect(quiet.entries).toEqual([]);
    } finally {
      await root.unbind();
      await instance.close();
    }
  });

  it('falls back to modifyTimestamp deltas, which see adds and changes but not deletes', async () => {
    const ou = await freshContainer(slapd, 'timestamp');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, deltaMethod: 'modifyTimestamp' }));
    const root = await rootClient(slapd);
    try {
      await root.add(`uid=one,${ou}`, { objectClass: 'inetOrgPerson', uid: 'one', cn: 'One', sn: 'O' });
      const full = await importAll(instance, 'full');
      await new Promise((r) => setTimeout(r, 1100)); // modifyTimestamp has one-second resolution
      await root.add(`uid=two,${ou}`, { objectClass: 'inetOrgPerson', uid: 'two', cn: 'Two', sn: 'T' });
      await root.del(`uid=one,${ou}`);
      const delta = await importAll(instance, 'delta', full.watermark);
      expect(delta.entries.map((e) => `${e.modification} ${String(e.dn)}`)).toContain(`replace uid=two,${ou}`);
      expect(delta.entries.some((e) => e.modification === 'delete')).toBe(false);
    } finally {
      await root.unbind();
      await instance.close();
    }
  });

  it('stops an import the host cancels, before reading the next page', async () => {
    const ou = await freshContainer(slapd, 'cancel');
    const controller = new AbortController();
    const instance = await connector.open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou }), { log: silentLogger, signal: controller.signal });
    try {
      const session = await instance.openImport!({ type: 'full', schema: await instance.getSchema(), pageSize: 10 });
      controller.abort();
      await expect(session.getEntries()).rejects.toMatchObject({ code: 'stop-run', message: 'The import was cancelled by the host.' });
      await session.close('terminatedByUser');
    } finally {
      await instance.close();
    }
  });

  it('updates at the DN the host knows only when the entry there still has the anchor, else finds the object by its anchor', async () => {
    const ou = await freshContainer(slapd, 'in-place');
    const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `uid={uid},${ou}`, anchor: 'uid' }));
    const root = await rootClient(slapd);
    const descriptionOf = async (uid: string): Promise<string> => slapd.ldapsearch(ou, `(uid=${uid})`, ['description']);
    try {
      const adds = await exportBatch(instance, 'inetOrgPerson', [
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'ip1', cn: 'One', sn: 'O' }) },
        { modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ uid: 'ip2', cn: 'Two', sn: 'T' }) },
      ]);
      expect(adds.map((r) => r.anchor)).toEqual([{ uid: 'ip1' }, { uid: 'ip2' }]);
      const describe = (dn: string, uid: string, text: string) => ({ modification: 'update' as const, dn, anchor: { uid }, attributeChanges: [attributeChange.replace('description', text)] });
      // The DN is right: applied there.
      const [inPlace] = await exportBatch(instance, 'inetOrgPerson', [describe(`uid=ip1,${ou}`, 'ip1', 'first')]);
      expect(inPlace).toMatchObject({ dn: `uid=ip1,${ou}` });
      expect(inPlace?.error).toBeUndefined();
      expect(await descriptionOf('ip1')).toContain('description: first');
      // The DN belongs to another object: that object is left alone and the anchor's object changes.
      const [other] = await exportBatch(instance, 'inetOrgPerson', [describe(`uid=ip2,${ou}`, 'ip1', 'second')]);
      expect(other?.error).toBeUndefined();
      expect(other?.dn?.toLowerCase()).toBe(`uid=ip1,${ou}`.toLowerCase());
      expect(await descriptionOf('ip1')).toContain('description: second');
      expect(await descriptionOf('ip2')).not.toContain('description:');
      // Renamed behind the host's back: the old DN is gone, the anchor finds the entry.
      await root.modifyDN(`uid=ip1,${ou}`, `cn=One Renamed,${ou}`);
      // ldapts' modifyDN drops the old naming value: the anchor goes back as the admin would keep it.
      await root.modify(`cn=One Renamed,${ou}`, new Change({ operation: 'add', modification: new Attribute({ type: 'uid', values: ['ip1'] }) }));
      const [stale] = await exportBatch(instance, 'inetOrgPerson', [describe(`uid=ip1,${ou}`, 'ip1', 'third')]);
      expect(stale?.error).toBeUndefined();
      expect(stale?.dn?.toLowerCase()).toBe(`cn=One Renamed,${ou}`.toLowerCase());
      expect(await descriptionOf('ip1')).toContain('description: third');
      // Neither the DN nor the anchor exists: missing-object, nothing written.
      const [gone] = await exportBatch(instance, 'inetOrgPerson', [describe(`uid=nobody,${ou}`, 'nobody', 'x')]);
      expect(gone?.error?.code).toBe('missing-object');
    } finally {
      await root.unbind();
      await instance.close();
    }
  });

  describe('DNs sent over SCIM stay in the containers (issue 15, finding 8)', () => {
    const person = (dn: string) => ({ modification: 'add' as const, anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': dn, cn: 'Mallory', sn: 'M' }) });
    const exists = async (dn: string) => (await slapd.ldapsearch(dn, '(objectClass=*)', ['1.1'], 'base').catch(() => '')).includes(`dn: ${dn}`);

    it('refuses an add outside the containers as a per-entry error, writing nothing', async () => {
      const ou = await freshContainer(slapd, 'confined');
      const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou }));
      try {
        const sibling = `cn=Mallory,ou=people,${slapd.baseDn}`;
        // An escaped comma is part of the value: this entry would sit directly under ou=people.
        const disguised = `cn=Mallory\\,${ou}`;
        const results = await exportBatch(instance, 'inetOrgPerson', [person(sibling), person(disguised), person(`CN=Bob,  ${ou.toUpperCase()}`)]);
        expect(results[0]?.error).toEqual({
          code: 'invalid-provisioning-value',
          attribute: '-dn-',
          message: `add of inetOrgPerson: ${sibling} is outside the containers of this connector (${ou}); nothing was written. Correct the DN (the -dn- mapping or the DN template), or add its container to "Containers".`,
        });
        expect(results[1]?.error).toMatchObject({ code: 'invalid-provisioning-value', attribute: '-dn-' });
        expect(await exists(sibling)).toBe(false);
        expect(await slapd.ldapsearch(`ou=people,${slapd.baseDn}`, '(cn=Mallory*)', ['1.1'], 'one')).toBe('');
        // Another spelling of a DN inside the container is inside.
        expect(results[2]?.error).toBeUndefined();
        expect(await exists(`cn=Bob,${ou}`)).toBe(true);
      } finally {
        await instance.close();
      }
    });

    it('refuses a DN from the DN template that lands outside, and a DN in no naming context when no container is set', async () => {
      const ou = await freshContainer(slapd, 'templated');
      const templated = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, dnTemplate: `cn={cn},ou=people,${slapd.baseDn}` }));
      const anywhere = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson' }));
      try {
        const [fromTemplate] = await exportBatch(templated, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ cn: 'Trudy', sn: 'T' }) }]);
        expect(fromTemplate?.error?.message).toMatch(/^add of inetOrgPerson: cn=Trudy,ou=people,dc=example,dc=com is outside the containers of this connector/);
        expect(await exists(`cn=Trudy,ou=people,${slapd.baseDn}`)).toBe(false);
        // The accesslog is a naming context, but not one the connector writes to.
        const [inLog] = await exportBatch(anywhere, 'inetOrgPerson', [person('cn=Mallory,cn=accesslog')]);
        expect(inLog?.error?.message).toBe(
          'add of inetOrgPerson: cn=Mallory,cn=accesslog is outside the containers of this connector (dc=example,dc=com); nothing was written. Correct the DN (the -dn- mapping or the DN template), or add its container to "Containers".',
        );
      } finally {
        await templated.close();
        await anywhere.close();
      }
    });

    it('refuses a rename out of the containers and leaves the entry where it was', async () => {
      const ou = await freshContainer(slapd, 'stay');
      const outside = await freshContainer(slapd, 'elsewhere');
      for (const anchor of ['-dn-', 'entryUUID']) {
        const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou, anchor }));
        try {
          const dn = `cn=Eve ${anchor},${ou}`;
          const [added] = await exportBatch(instance, 'inetOrgPerson', [{ modification: 'add', anchor: {}, attributeChanges: attributeChangesOf({ '-dn-': dn, sn: 'E' }) }]);
          expect(added?.error).toBeUndefined();
          const target = `cn=Eve ${anchor},${outside}`;
          const [moved] = await exportBatch(instance, 'inetOrgPerson', [
            { modification: 'update', dn, anchor: added?.anchor ?? {}, attributeChanges: [attributeChange.replace('-dn-', target), attributeChange.replace('sn', 'Changed')] },
          ]);
          expect(moved?.error).toMatchObject({ code: 'invalid-provisioning-value', attribute: '-dn-' });
          expect(moved?.error?.message).toMatch(new RegExp(`^rename of ${dn}: ${target} is outside the containers of this connector \\(${ou}\\); nothing was written\\.`));
          expect(await exists(target)).toBe(false);
          expect(await slapd.ldapsearch(dn, '(objectClass=*)', ['sn'], 'base')).toMatch(/sn: E$/m);
        } finally {
          await instance.close();
        }
      }
    });

    it('refuses to delete or change an entry outside the containers at a DN the host sends', async () => {
      const ou = await freshContainer(slapd, 'keep');
      const outside = await freshContainer(slapd, 'foreign');
      const victim = `cn=Victim,${outside}`;
      const root = await rootClient(slapd);
      try {
        await root.add(victim, { objectClass: 'inetOrgPerson', cn: 'Victim', sn: 'V' });
      } finally {
        await root.unbind();
      }
      const instance = await open(valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: ou }));
      try {
        const [changed, deleted] = await exportBatch(instance, 'inetOrgPerson', [
          { modification: 'update', dn: victim, anchor: { '-dn-': victim }, attributeChanges: [attributeChange.replace('sn', 'Owned')] },
          { modification: 'delete', dn: victim, anchor: { '-dn-': victim }, attributeChanges: [] },
        ]);
        expect(changed?.error?.message).toMatch(/^update of inetOrgPerson: cn=Victim,.* is outside the containers of this connector/);
        expect(deleted?.error?.message).toMatch(/^delete of inetOrgPerson: cn=Victim,.* is outside the containers of this connector/);
        const session = await instance.openPassword!({});
        expect(await session.setPassword({ objectType: 'inetOrgPerson', anchor: { '-dn-': victim }, dn: victim }, secret('Owned-1234'), {})).toMatchObject({ code: 'invalid-provisioning-value' });
        await session.close();
        expect(await slapd.ldapsearch(victim, '(objectClass=*)', ['sn', 'userPassword'], 'base')).toBe(`dn: ${victim}\nsn: V\n\n`);
      } finally {
        await instance.close();
      }
    });
  });

  it('offers partitions and the container hierarchy', async () => {
    const ou = await freshContainer(slapd, 'tree');
    const instance = await open(valuesFor(slapd));
    try {
      const partitions = await instance.getPartitions!();
      expect(partitions.map((p) => p.dn)).toEqual([slapd.baseDn]);
      const tree = await instance.getHierarchy!(partitions[0]!);
      const people = tree.find((n) => n.dn === `ou=people,${slapd.baseDn}`);
      expect(people?.children?.some((c) => c.dn === ou)).toBe(true);
    } finally {
      await instance.close();
    }
  });
});
