// Microsoft's OpenLDAP tutorial end to end: Entra's SCIM requests through the host's routes, the
// Generic LDAP connector loaded by package name as an admin installs it, and the entries checked
// directly in a slapd started for this file (ldapsearch, and binds as the provisioned user).
import { fileURLToPath } from 'node:url';
import { Attribute, Change, Client } from 'ldapts';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshContainer, rootClient, valuesFor } from '../../../../plugins/generic-ldap/test/ldap-target.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../../plugins/generic-ldap/test/slapd.js';
import type { ConnectorInstanceConfig } from '../../src/config/connector-config.js';
import { createHost, type Host } from '../../src/host.js';
import { scimRequest } from '../fixtures/fixture-host.js';
import { ldapInstanceConfig } from '../fixtures/ldap-instance.js';

const TOKEN = 'generic-ldap-e2e-token-0123456789';
const BASE = '/ecma2host_OpenLDAP/scim';
const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const HOST_DIR = fileURLToPath(new URL('../..', import.meta.url));
const skip = slapdSkipReason();

/**
 * The tutorial's instance: inetOrgPerson with the posixAccount and shadowAccount auxiliaries
 * through objectClass, the DN from `-dn-`, entryUUID as anchor (OpenLDAP's stable ID, so a rename
 * keeps the SCIM id), accesslog deltas, and uid, cn, sn, mail treated as single values.
 */
function openldapConfig(slapd: Slapd, ou: string): ConnectorInstanceConfig {
  return ldapInstanceConfig(slapd, ou, {
    name: 'OpenLDAP',
    token: TOKEN,
    deltaMethod: 'accesslog',
    attributes: [
      { name: '-dn-' },
      { name: 'objectClass' },
      { name: 'entryUUID' },
      { name: 'uid', singleValue: true },
      { name: 'cn', singleValue: true },
      { name: 'sn', singleValue: true },
      { name: 'mail', singleValue: true },
      { name: 'uidNumber' },
      { name: 'gidNumber' },
      { name: 'homeDirectory' },
    ],
    exportBatchSize: 10,
    scimMapping: { userName: 'uid', displayName: 'cn', 'name.familyName': 'sn', 'emails[type eq "work"].value': 'mail' },
  });
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

describe.skipIf(skip !== undefined)(liveTitle('OpenLDAP tutorial through SCIM (Generic LDAP on slapd)', skip), () => {
  let slapd: Slapd;
  let host: Host;
  let ou: string;
  const request = (url: string, init: RequestInit = {}): Promise<Response> => scimRequest(host, TOKEN, url, init);
  const count = async (userName: string): Promise<number> =>
    ((await (await request(`${BASE}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).json()) as { totalResults: number }).totalResults;
  const patch = (id: string, operations: unknown[]) =>
    request(`${BASE}/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations }) });
  const user = (login: string, n: number) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT],
    userName: login,
    displayName: `Test ${login}`,
    name: { familyName: 'Doe' },
    emails: [{ type: 'work', value: `${login}@contoso.com`, primary: true }],
    [EXT]: {
      '-dn-': `uid=${login},${ou}`,
      objectClass: ['inetOrgPerson', 'posixAccount', 'shadowAccount'],
      uidNumber: 20_000 + n,
      gidNumber: 10_000,
      homeDirectory: `/home/${login}`,
      export_password: 'Initial-Passw0rd!',
    },
  });

  beforeAll(async () => {
    slapd = await startSlapd();
    ou = await freshContainer(slapd, 'entra');
    host = createHost({ connectors: [openldapConfig(slapd, ou)], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR });
    await host.start();
    await host.runImport('OpenLDAP');
  });
  afterAll(async () => {
    await host?.stop();
    await slapd?.stop();
  });

  it('creates, changes, renames and deletes the entry; the initial password lets the user bind', async () => {
    const created = await request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(user('jdoe', 1)) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const ldif = await slapd.ldapsearch(ou, '(uid=jdoe)', ['objectClass', 'cn', 'sn', 'mail', 'uidNumber', 'gidNumber', 'homeDirectory']);
    expect(ldif).toContain(`dn: uid=jdoe,${ou}`);
    for (const line of ['objectClass: inetOrgPerson', 'objectClass: posixAccount', 'objectClass: shadowAccount', 'cn: Test jdoe', 'sn: Doe', 'mail: jdoe@contoso.com', 'uidNumber: 20001', 'gidNumber: 10000', 'homeDirectory: /home/jdoe']) {
      expect(ldif).toContain(line);
    }
    expect(await canBind(slapd, `uid=jdoe,${ou}`, 'Initial-Passw0rd!')).toBe(true);

    expect((await patch(id, [{ op: 'Replace', path: 'name.familyName', value: 'Doe-Smith' }])).status).toBe(200);
    expect(await slapd.ldapsearch(ou, '(uid=jdoe)', ['sn'])).toContain('sn: Doe-Smith');

    const renamed = `cn=Test jdoe,${ou}`;
    const rename = await patch(id, [{ op: 'Replace', path: `${EXT}:-dn-`, value: renamed }]);
    expect(rename.status, await rename.clone().text()).toBe(200);
    expect(await slapd.ldapsearch(ou, '(uid=jdoe)', ['cn'])).toContain(`dn: ${renamed}`);
    expect(await slapd.ldapsearch(ou, `(entryDN=uid=jdoe,${ou})`, ['cn'])).toBe('');
    const fetched = (await (await request(`${BASE}/Users/${id}`)).json()) as Record<string, Record<string, unknown>>;
    expect(fetched[EXT]?.['-dn-']).toBe(renamed);
    expect(await canBind(slapd, renamed, 'Initial-Passw0rd!')).toBe(true);

    expect((await request(`${BASE}/Users/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await slapd.ldapsearch(ou, '(uid=jdoe)', ['cn'])).toBe('');
    expect((await request(`${BASE}/Users/${id}`)).status).toBe(404);
  });

  it('serves the DN as anchor (dnAsAnchor): the id derives from the DN, and userName and id lookups find the entry', async () => {
    const dnOu = await freshContainer(slapd, 'dn-anchor');
    const base = openldapConfig(slapd, dnOu);
    await host.addConnector({
      ...base,
      name: 'OpenLDAPDn',
      parameters: { ...valuesFor(slapd, { objectClasses: 'inetOrgPerson', containers: dnOu, anchor: '-dn-', deltaMethod: 'accesslog' }) },
      anchor: ['-dn-'],
      // With the DN as anchor the connector does not serve entryUUID.
      attributes: base.attributes.filter((a) => a.name !== 'entryUUID'),
    });
    try {
      await host.runImport('OpenLDAPDn');
      const dnBase = '/ecma2host_OpenLDAPDn/scim';
      const dn = `uid=dnanchor,${dnOu}`;
      const body = { ...user('dnanchor', 7), [EXT]: { ...user('dnanchor', 7)[EXT], '-dn-': dn } };
      const created = await request(`${dnBase}/Users`, { method: 'POST', body: JSON.stringify(body) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(Buffer.from(id, 'base64url').toString('utf8')).toBe(dn.toLowerCase());
      expect(await slapd.ldapsearch(dnOu, '(uid=dnanchor)', ['uid'])).toContain(`dn: ${dn}`);
      const found = await request(`${dnBase}/Users?filter=${encodeURIComponent('userName eq "dnanchor"')}`);
      expect(await found.json()).toMatchObject({ totalResults: 1, Resources: [{ id, userName: 'dnanchor', [EXT]: { '-dn-': dn } }] });
      // After a full import the id is the same: the DN read back from slapd gives it.
      await host.runImport('OpenLDAPDn');
      const fetched = await request(`${dnBase}/Users/${id}`);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toMatchObject({ id, userName: 'dnanchor' });
    } finally {
      await host.removeConnector('OpenLDAPDn');
    }
  });

  it('sees entries added and changed behind its back after a delta import from the accesslog', async () => {
    const root = await rootClient(slapd);
    try {
      await root.add(`uid=behind,${ou}`, { objectClass: 'inetOrgPerson', uid: 'behind', cn: 'Be Hind', sn: 'Hind' });
      expect(await count('behind')).toBe(0);
      const delta = await host.runImport('OpenLDAP', { delta: true });
      expect(delta.type).toBe('delta');
      expect(await count('behind')).toBe(1);

      await root.modify(`uid=behind,${ou}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'sn', values: ['Changed'] }) }));
      await host.runImport('OpenLDAP', { delta: true });
      const list = (await (await request(`${BASE}/Users?filter=${encodeURIComponent('userName eq "behind"')}`)).json()) as { Resources: { name?: { familyName?: string } }[] };
      expect(list.Resources[0]?.name?.familyName).toBe('Changed');

      await root.del(`uid=behind,${ou}`);
      await host.runImport('OpenLDAP', { delta: true });
      expect(await count('behind')).toBe(0);
    } finally {
      await root.unbind();
    }
  });

  it('answers 503 while slapd is down and succeeds once it is back, without restarting the host', async () => {
    await slapd.stop({ hard: true, keepFiles: true });
    const refused = await request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(user('outage', 2)) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    // Refused for a new connection, or closed under a pooled one the kill has not yet reported.
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/connection refused|Connection closed/);
    expect(await slapd.ldapsearch(ou, '(uid=outage)', ['uid']).catch(() => 'slapd is down')).toBe('slapd is down');

    await slapd.start();
    const created = await request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(user('outage', 2)) });
    expect(created.status).toBe(201);
    expect(await slapd.ldapsearch(ou, '(uid=outage)', ['uid'])).toContain(`dn: uid=outage,${ou}`);
  });

  it('killed in the middle of a run of exports: 201 or 503 for each request, and the 503s succeed once slapd is back', async () => {
    const logins = Array.from({ length: 100 }, (_, i) => `burst${String(i)}`);
    const responses = Promise.all(logins.map((login, i) => request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(user(login, 100 + i)) })));
    const root = await rootClient(slapd);
    const deadline = Date.now() + 20_000;
    while ((await root.search(ou, { filter: '(uid=burst*)', attributes: ['1.1'] })).searchEntries.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await root.unbind().catch(() => undefined);
    await slapd.stop({ hard: true, keepFiles: true });
    const statuses = (await responses).map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);

    await slapd.start();
    const retried = logins.filter((_, i) => statuses[i] === 503);
    const again = await Promise.all(retried.map((login) => request(`${BASE}/Users`, { method: 'POST', body: JSON.stringify(user(login, 100 + logins.indexOf(login))) })));
    // The entry whose add slapd committed just before it died (its password call then failed) is
    // answered 409 on retry; Entra then matches it.
    expect(again.filter((r) => r.status === 409).length).toBeLessThanOrEqual(1);
    expect(again.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const ldif = await slapd.ldapsearch(ou, '(uid=burst*)', ['uid']);
    expect(ldif.match(/^dn: /gm)).toHaveLength(logins.length);
  });
});
