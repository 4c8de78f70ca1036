import { fileURLToPath } from 'node:url';
import type { ParameterValues } from '@ecmahost/sdk';
import { attributeChange, isConnectorError, secret, silentLogger } from '@ecmahost/sdk';
import type { Client } from 'ldapts';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { rootClient, valuesFor } from './ldap-target.js';
import { exportBatch, importAll } from './sessions.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';
import { withInstance } from './with-instance.js';

// AD LDS's paths on a slapd loaded with AD LDS's attribute names and syntaxes
// (test/fixtures/adlds-schema.ldif): the bytes the connector writes and the text it reads back.
// slapd cannot assign objectGUID or uSNChanged: the tests write them as AD LDS would have.

const skip = slapdSkipReason();
const SCHEMA = fileURLToPath(new URL('./fixtures/adlds-schema.ldif', import.meta.url));
// Microsoft's documented System.Guid pair: the text form and the bytes AD stores.
const ADA_GUID = '35918bc9-196d-40ea-9779-889d79b753f0';
const ADA_BYTES = Buffer.from('C98B91356D19EA409779889D79B753F0', 'hex');
// An AD LDS principal's SID, in MS-DTYP §2.4.2.2's layout (sub-authorities little-endian).
const ADA_SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const ADA_SID_BYTES = Buffer.from('010500000000000515000000c7f7fed77c7755c8945ace01f5030000', 'hex');
const SERVICE = 'cn=svc,dc=example,dc=com';
const GONE_GUID = '00112233-4455-6677-8899-aabbccddeeff';
const GONE_BYTES = Buffer.from('33221100554477668899AABBCCDDEEFF', 'hex');

async function read(client: Client, dn: string, attribute: string): Promise<Buffer[]> {
  const { searchEntries } = await client.search(dn, { scope: 'base', attributes: [attribute], explicitBufferAttributes: [attribute] });
  const values = searchEntries[0]?.[attribute] ?? [];
  return (Array.isArray(values) ? values : [values]).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))));
}

describe.skipIf(skip !== undefined)(liveTitle('AD LDS paths against slapd with the AD LDS schema', skip), () => {
  let slapd: Slapd;
  let root: Client;
  let users: string;
  let values: ParameterValues;
  const ada = () => `cn=Ada Lovelace,${users}`;

  beforeAll(async () => {
    // The root DN reads everything whatever the rules; the service account below may not read the tombstones.
    slapd = await startSlapd({ schemaLdifFile: SCHEMA, accesslog: false, access: ['to dn.subtree="cn=Deleted Objects,dc=example,dc=com" by * none'] });
    root = await rootClient(slapd);
    users = `cn=Users,${slapd.baseDn}`;
    await root.add(users, { objectClass: 'container', cn: 'Users', uSNChanged: '2' });
    await root.add(`CN=Deleted Objects,${slapd.baseDn}`, { objectClass: 'container', cn: 'Deleted Objects', uSNChanged: '3', isDeleted: 'TRUE' });
    await root.add(ada(), [
      new Attribute({ type: 'objectClass', values: ['user'] }),
      new Attribute({ type: 'cn', values: ['Ada Lovelace'] }),
      new Attribute({ type: 'displayName', values: ['Ada'] }),
      new Attribute({ type: 'objectGUID', values: [ADA_BYTES] }),
      new Attribute({ type: 'objectSid', values: [ADA_SID_BYTES] }),
      new Attribute({ type: 'uSNChanged', values: ['10'] }),
    ]);
    values = valuesFor(slapd, { directoryType: 'adlds', containers: users });
    await root.add(SERVICE, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: 'svc', userPassword: 'svc-password' });
  });
  afterAll(async () => {
    await root?.unbind();
    await slapd?.stop();
  });

  it('imports objectGUID and objectSid as the text AD tools show, and offers objectGUID as a server-set anchor', async () => {
    await withInstance(values, async (instance) => {
      const type = (await instance.getSchema()).objectTypes.find((t) => t.name === 'user');
      expect(type?.anchors).toEqual(['objectGUID']);
      expect(type?.attributes.find((a) => a.name === 'objectGUID')).toMatchObject({ type: 'string', operation: 'importOnly' });
      const { entries } = await importAll(instance, 'full');
      const entry = entries.find((e) => e.dn === ada());
      expect(entry?.anchor).toEqual({ objectGUID: ADA_GUID });
      expect(entry?.attributeChanges?.find((c) => c.name === 'objectGUID')?.valueChanges).toEqual([{ modification: 'add', value: ADA_GUID }]);
      expect(entry?.attributeChanges?.find((c) => c.name === 'objectSid')?.valueChanges).toEqual([{ modification: 'add', value: ADA_SID }]);
    });
  });

  it('finds the object by its GUID in braces and upper case, and in place by DN with the GUID asserted as bytes', async () => {
    await withInstance(values, async (instance) => {
      const [byGuid] = await exportBatch(instance, 'user', [{ modification: 'update', anchor: { objectGUID: `{${ADA_GUID.toUpperCase()}}` }, attributeChanges: [attributeChange.replace('displayName', 'Countess')] }]);
      expect(byGuid?.error).toBeUndefined();
      expect((await read(root, ada(), 'displayName'))[0]?.toString()).toBe('Countess');
      const [inPlace] = await exportBatch(instance, 'user', [{ modification: 'update', dn: ada(), anchor: { objectGUID: ADA_GUID }, attributeChanges: [attributeChange.replace('mail', 'ada@contoso.lab')] }]);
      expect(inPlace).toMatchObject({ dn: ada() });
      expect((await read(root, ada(), 'mail'))[0]?.toString()).toBe('ada@contoso.lab');
      // Another object's GUID at Ada's DN: the assertion fails, the search finds nothing, Ada is untouched.
      const [other] = await exportBatch(instance, 'user', [{ modification: 'update', dn: ada(), anchor: { objectGUID: GONE_GUID }, attributeChanges: [attributeChange.replace('mail', 'x@contoso.lab')] }]);
      expect(other?.error?.code).toBe('missing-object');
      expect((await read(root, ada(), 'mail'))[0]?.toString()).toBe('ada@contoso.lab');
    });
  });

  it('refuses an anchor that is not a GUID for that entry alone', async () => {
    await withInstance(values, async (instance) => {
      const [result] = await exportBatch(instance, 'user', [{ modification: 'update', anchor: { objectGUID: 'Ada' }, attributeChanges: [attributeChange.replace('displayName', 'x')] }]);
      expect(result?.error).toMatchObject({ code: 'invalid-provisioning-value', message: expect.stringContaining('"Ada" is not a GUID') as unknown });
    });
  });

  it('writes unicodePwd as the quoted UTF-16LE password on add, on the second call and on update', async () => {
    const grace = `cn=Grace Hopper,${users}`;
    const bytes = (password: string) => Buffer.from(`"${password}"`, 'utf16le');
    await withInstance(values, async (instance) => {
      const [added] = await exportBatch(instance, 'user', [{ modification: 'add', anchor: {}, attributeChanges: [attributeChange.add('-dn-', grace), attributeChange.add('unicodePwd', 'Pa55"wörd')] }]);
      expect(added?.error).toBeUndefined();
      expect((await read(root, grace, 'unicodePwd'))[0]?.toString('hex')).toBe(bytes('Pa55"wörd').toString('hex'));
      const passwords = await instance.openPassword!({});
      expect(await passwords.setPassword({ objectType: 'user', anchor: {}, dn: grace }, secret('Second-call1'), {})).toBeUndefined();
      expect((await read(root, grace, 'unicodePwd'))[0]?.equals(bytes('Second-call1'))).toBe(true);
      const [updated] = await exportBatch(instance, 'user', [{ modification: 'update', dn: grace, anchor: {}, attributeChanges: [attributeChange.replace('unicodePwd', 'Reset-2')] }]);
      expect(updated?.error).toBeUndefined();
      expect((await read(root, grace, 'unicodePwd'))[0]?.equals(bytes('Reset-2'))).toBe(true);
    });
  });

  it('refuses unicodePwd in clear text, per entry, before anything is written', async () => {
    const clear = { ...values, security: 'None', allowUnencrypted: true };
    const linus = `cn=Linus,${users}`;
    await withInstance(clear, async (instance) => {
      const [added] = await exportBatch(instance, 'user', [{ modification: 'add', anchor: {}, attributeChanges: [attributeChange.add('-dn-', linus), attributeChange.add('unicodePwd', 'secret-1')] }]);
      expect(added?.error).toEqual({
        code: 'invalid-provisioning-value',
        message: 'unicodePwd is only sent over an encrypted connection (AD LDS refuses it in clear text): choose StartTLS or LDAPS as the connection security',
        attribute: 'unicodePwd',
      });
      await expect(root.search(linus, { scope: 'base' })).rejects.toMatchObject({ code: 32 });
      const passwords = await instance.openPassword!({});
      expect(await passwords.setPassword({ objectType: 'user', anchor: {}, dn: ada() }, secret('secret-2'), {})).toMatchObject({ code: 'invalid-provisioning-value' });
      expect(await read(root, ada(), 'unicodePwd')).toEqual([]);
    });
  });

  it('disables and enables through msDS-UserAccountDisabled TRUE and FALSE', async () => {
    await withInstance(values, async (instance) => {
      await exportBatch(instance, 'user', [{ modification: 'update', anchor: { objectGUID: ADA_GUID }, attributeChanges: [attributeChange.replace('msDS-UserAccountDisabled', true)] }]);
      expect((await read(root, ada(), 'msDS-UserAccountDisabled'))[0]?.toString()).toBe('TRUE');
      const { entries } = await importAll(instance, 'full');
      expect(entries.find((e) => e.dn === ada())?.attributeChanges?.find((c) => c.name === 'msDS-UserAccountDisabled')?.valueChanges).toEqual([{ modification: 'add', value: true }]);
      await exportBatch(instance, 'user', [{ modification: 'update', anchor: { objectGUID: ADA_GUID }, attributeChanges: [attributeChange.replace('msDS-UserAccountDisabled', false)] }]);
      expect((await read(root, ada(), 'msDS-UserAccountDisabled'))[0]?.toString()).toBe('FALSE');
    });
  });

  it('imports changes by uSNChanged watermark and deletes from the tombstones in CN=Deleted Objects', async () => {
    const tombstone = async (name: string, guid: Buffer, usn: string, parent: string) =>
      root.add(`cn=${name},cn=Deleted Objects,${slapd.baseDn}`, [
        new Attribute({ type: 'objectClass', values: ['user'] }),
        new Attribute({ type: 'cn', values: [name] }),
        new Attribute({ type: 'isDeleted', values: ['TRUE'] }),
        new Attribute({ type: 'objectGUID', values: [guid] }),
        new Attribute({ type: 'uSNChanged', values: [usn] }),
        new Attribute({ type: 'lastKnownParent', values: [parent] }),
      ]);
    await withInstance(values, async (instance) => {
      await instance.testConnection();
      const full = await importAll(instance, 'full');
      // slapd's Root DSE has no highestCommittedUSN: the highest uSNChanged the import read.
      expect(JSON.parse(full.watermark ?? '')).toEqual({ v: 1, method: 'usnChanged', position: '10' });
      await root.modify(ada(), [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: ['Changed'] }) }),
        new Change({ operation: 'replace', modification: new Attribute({ type: 'uSNChanged', values: ['20'] }) }),
      ]);
      await tombstone(`Gone DEL:${GONE_GUID}`, GONE_BYTES, '21', users);
      await tombstone('Elsewhere DEL:1', Buffer.alloc(16, 7), '22', `ou=people,${slapd.baseDn}`);
      await tombstone('Before DEL:2', Buffer.alloc(16, 9), '5', users);
      const delta = await importAll(instance, 'delta', full.watermark);
      expect(delta.entries.map((e) => [e.modification, e.anchor])).toEqual([
        ['replace', { objectGUID: ADA_GUID }],
        ['delete', { objectGUID: GONE_GUID }],
      ]);
      expect(delta.entries[0]?.attributeChanges?.find((c) => c.name === 'displayName')?.valueChanges).toEqual([{ modification: 'add', value: 'Changed' }]);
      expect(JSON.parse(delta.watermark ?? '')).toMatchObject({ position: '22' });
      expect((await importAll(instance, 'delta', delta.watermark)).entries).toEqual([]);
    });
  });

  it('fails the connection test naming the delta method when a container has no readable uSNChanged', async () => {
    const people = `ou=people,${slapd.baseDn}`;
    const failure = await withInstance({ ...values, containers: people }, (i) => i.testConnection()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isConnectorError(failure) && { code: failure.code, parameter: failure.parameter, message: failure.message }).toEqual({
      code: 'invalid-configuration',
      parameter: 'deltaMethod',
      message: `uSNChanged is not readable on ${people}: the entry came back without it. AD LDS keeps uSNChanged on every object: give the bind identity read access to it (Read Property), or check that the server is AD LDS, or choose another delta method (Delta import).`,
    });
  });

  it('reports changes but no deletes, with a warning, when the bind account may not read CN=Deleted Objects', async () => {
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (_: object | string, message?: string) => void warnings.push(message ?? '') };
    const instance = await connector.open({ ...values, bindDn: SERVICE, bindPassword: secret('svc-password') }, { log, signal: new AbortController().signal });
    try {
      const full = await importAll(instance, 'full');
      await root.modify(ada(), [new Change({ operation: 'replace', modification: new Attribute({ type: 'uSNChanged', values: ['100'] }) })]);
      await root.add(`cn=Hidden DEL:3,cn=Deleted Objects,${slapd.baseDn}`, [
        new Attribute({ type: 'objectClass', values: ['user'] }),
        new Attribute({ type: 'cn', values: ['Hidden DEL:3'] }),
        new Attribute({ type: 'isDeleted', values: ['TRUE'] }),
        new Attribute({ type: 'objectGUID', values: [Buffer.alloc(16, 3)] }),
        new Attribute({ type: 'uSNChanged', values: ['101'] }),
      ]);
      const delta = await importAll(instance, 'delta', full.watermark);
      expect(delta.entries.map((e) => [e.modification, e.anchor])).toEqual([['replace', { objectGUID: ADA_GUID }]]);
      expect(warnings.filter((w) => w.includes('Deleted Objects'))).toEqual([
        `deleted objects are not readable in CN=Deleted Objects,dc=example,dc=com (search CN=Deleted Objects,dc=example,dc=com: noSuchObject (32)); deletes are found by full imports only`,
      ]);
    } finally {
      await instance.close();
    }
  });
});
