// Entra's group flow (azure-scim-client.md §1.2: G1–G7, the manager PATCH in both of Entra's forms
// and the `id eq … and manager eq …` check) replayed over HTTP through the host against the real
// first-party connectors: Generic LDAP on a private slapd with refint, Generic SQL on PostgreSQL,
// MariaDB and an SQLite file. After each request the directory entry or the rows are read directly.
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valuesFor } from '../../../../plugins/generic-ldap/test/ldap-target.js';
import { liveTitle, type Slapd, slapdSkipReason, startSlapd } from '../../../../plugins/generic-ldap/test/slapd.js';
import { createGroupsTables, groupsValues, membershipRows } from '../../../../plugins/generic-sql/test/support/groups.js';
import { describeLive, type LiveServer } from '../../../../plugins/generic-sql/test/support/live.js';
import { createTestDatabase, probeMysql, probePg, type LocalDialect, type TestDatabase } from '../../../../plugins/generic-sql/test/support/targets.js';
import { hashToken } from '../../src/auth/token.js';
import type { ConnectorInstanceConfig } from '../../src/config/connector-config.js';
import { createHost, type Host } from '../../src/host.js';
import { scimRequest } from '../fixtures/fixture-host.js';

const HOST_DIR = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'groups-entra-replay-token-0123456789';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const HOST_USER_EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const HOST_GROUP_EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USERS = ['alice', 'bob', 'carol'] as const;
type Login = (typeof USERS)[number];

/** What the replay needs to know of one target: the connector's name, the bodies Entra's mappings make for it, and how to read it back. */
interface ReplayTarget {
  connector: string;
  /** What the admin's attribute mappings add to Entra's user create (U1) for this target, such as the DN expression. */
  userExtra(login: Login): Record<string, unknown>;
  /** The same for the group create (G1). */
  groupExtra(externalId: string): Record<string, unknown>;
  /** The reference the target keeps for a user: its DN (lower-cased) or its anchor. */
  ref(login: Login): string;
  /** The group as the target holds it, found by the externalId Entra sent: its name and its members' references, sorted; undefined when gone. */
  group(externalId: string): Promise<{ displayName: string; members: string[] } | undefined>;
  /** The user's manager reference in the target, or null. */
  manager(login: Login): Promise<string | null>;
}

/** SCIM requests to connector `name` of `host`, paths relative to its base; `patch` wraps Operations in a PatchOp. */
function scimClient(host: Host, name: string) {
  const base = `/ecma2host_${name}/scim`;
  const request = (url: string, init: RequestInit = {}): Promise<Response> => scimRequest(host, TOKEN, `${base}${url}`, init);
  const patch = (url: string, operations: unknown[]): Promise<Response> =>
    request(url, { method: 'PATCH', body: JSON.stringify({ schemas: [PATCH_OP], Operations: operations }) });
  return { base, request, patch };
}

/** One Entra provisioning cycle for users and a group, each response and the target checked after every request. */
async function replay(host: Host, target: ReplayTarget): Promise<void> {
  const { base, request, patch } = scimClient(host, target.connector);
  const json = async (res: Response): Promise<Record<string, unknown>> => (await res.json()) as Record<string, unknown>;

  // U1 for each user, with the quirks Entra sends: client meta, an empty roles list.
  const ids = {} as Record<Login, string>;
  for (const [n, login] of USERS.entries()) {
    const res = await request('/Users', {
      method: 'POST',
      body: JSON.stringify({
        schemas: [USER, ENTERPRISE],
        externalId: `0a21f0f2-8d2a-4f8e-bf98-7363c4aed4e${String(n)}`,
        userName: login,
        active: true,
        emails: [{ primary: true, type: 'work', value: `${login}@contoso.com` }],
        meta: { resourceType: 'User' },
        name: { familyName: login.toUpperCase(), givenName: login },
        roles: [],
        ...target.userExtra(login),
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    ids[login] = String((await json(res)).id);
    expect(await target.manager(login)).toBeNull();
  }

  // G1: Microsoft's non-URN schema beside the core one, externalId from Entra's default mapping, no members.
  const externalId = '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159';
  const g1 = await request('/Groups', {
    method: 'POST',
    body: JSON.stringify({
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId,
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
      ...target.groupExtra(externalId),
    }),
  });
  expect(g1.status, await g1.clone().text()).toBe(201);
  const created = await json(g1);
  const id = String(created.id);
  // Ids of the second served type carry its resource type (docs/decisions/019).
  expect(id.startsWith('Group.')).toBe(true);
  expect(created).toMatchObject({ externalId, displayName: 'displayName', meta: { resourceType: 'Group' } });
  expect(created.schemas).toContain(GROUP);
  expect(created.members ?? []).toEqual([]);
  expect(await target.group(externalId)).toEqual({ displayName: 'displayName', members: [] });

  // G2 and G3: no members in either answer.
  const g2 = await request(`/Groups/${id}?excludedAttributes=members`);
  expect(g2.status).toBe(200);
  const got = await json(g2);
  expect(got).toMatchObject({ id, externalId, displayName: 'displayName' });
  expect(got).not.toHaveProperty('members');
  const g3 = await request(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`);
  expect(g3.status).toBe(200);
  const listed = await json(g3);
  expect(listed).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, Resources: [{ id, displayName: 'displayName' }] });
  expect((listed.Resources as Record<string, unknown>[])[0]).not.toHaveProperty('members');

  // G4: the new name reaches the target; 204 without a body.
  const renamed = '1879db59-3fdf-4490-b22a-3b1ca9d0f9cbupdatedDisplayName';
  const g4 = await patch(`/Groups/${id}`, [{ op: 'Replace', path: 'displayName', value: renamed }]);
  expect(g4.status, await g4.clone().text()).toBe(204);
  expect(await g4.text()).toBe('');
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: [] });

  // G5: several members in one operation, `$ref: null` as Entra sends it.
  const g5 = await patch(`/Groups/${id}`, [{ op: 'Add', path: 'members', value: USERS.map((login) => ({ $ref: null, value: ids[login] })) }]);
  expect(g5.status, await g5.clone().text()).toBe(204);
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: USERS.map((login) => target.ref(login)).sort() });
  expect(((await json(await request(`/Groups/${id}`))).members as { value: string }[]).map((m) => m.value).sort()).toEqual(USERS.map((login) => ids[login]).sort());

  // A member the host does not know (Entra has not provisioned that user yet): 400 naming it, nothing written.
  const dangling = await patch(`/Groups/${id}`, [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }]);
  expect(dangling.status).toBe(400);
  expect(await json(dangling)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('f648f8d5ea4e4cd38e9c') });
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: USERS.map((login) => target.ref(login)).sort() });

  // G6 by value list, then by a value filter path.
  const g6 = await patch(`/Groups/${id}`, [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: ids.alice }] }]);
  expect(g6.status, await g6.clone().text()).toBe(204);
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: [target.ref('bob'), target.ref('carol')].sort() });
  const g6b = await patch(`/Groups/${id}`, [{ op: 'Remove', path: `members[value eq "${ids.bob}"]` }]);
  expect(g6b.status, await g6b.clone().text()).toBe(204);
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: [target.ref('carol')] });
  // The last member out and back in: the group is empty in between (groupOfNames' placeholder is checked by `group`).
  expect((await patch(`/Groups/${id}`, [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: ids.carol }] }])).status).toBe(204);
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: [] });
  expect(await json(await request(`/Groups/${id}`))).not.toHaveProperty('members');
  expect((await patch(`/Groups/${id}`, [{ op: 'Add', path: 'members', value: [{ $ref: null, value: ids.carol }] }])).status).toBe(204);
  expect(await target.group(externalId)).toEqual({ displayName: renamed, members: [target.ref('carol')] });

  // The manager PATCH: TUT example 5's form (unqualified path, a list of one {$ref, value}), then the bare string, URN-qualified.
  const m1 = await patch(`/Users/${ids.alice}`, [{ op: 'Add', path: 'manager', value: [{ $ref: `http://localhost${base}/Users/${ids.bob}`, value: ids.bob }] }]);
  expect(m1.status, await m1.clone().text()).toBe(200);
  expect(((await json(m1))[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: ids.bob });
  expect(await target.manager('alice')).toBe(target.ref('bob'));
  const m2 = await patch(`/Users/${ids.alice}`, [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: ids.carol }]);
  expect(m2.status, await m2.clone().text()).toBe(200);
  expect(await target.manager('alice')).toBe(target.ref('carol'));
  expect(await target.manager('bob')).toBeNull();

  // The manager check, quoted (TUT) and unquoted (TUT-2017).
  const check = async (filter: string) => json(await request(`/Users?filter=${encodeURIComponent(filter)}&attributes=id`));
  expect(await check(`id eq "${ids.alice}" and manager eq "${ids.carol}"`)).toMatchObject({ totalResults: 1, Resources: [{ id: ids.alice }] });
  expect(await check(`id eq ${ids.alice} and manager eq ${ids.carol}`)).toMatchObject({ totalResults: 1, Resources: [{ id: ids.alice }] });
  expect(await check(`id eq "${ids.alice}" and manager eq "${ids.bob}"`)).toMatchObject({ totalResults: 0, Resources: [] });

  // G7: the group goes, the users and alice's manager stay.
  const g7 = await request(`/Groups/${id}`, { method: 'DELETE' });
  expect(g7.status).toBe(204);
  expect(await target.group(externalId)).toBeUndefined();
  expect((await request(`/Groups/${id}`)).status).toBe(404);
  expect(await target.manager('alice')).toBe(target.ref('carol'));
}

// --- Generic LDAP on slapd with refint -------------------------------------------------------------

const skip = slapdSkipReason();
const LDAP_BASE = 'dc=example,dc=com';
const PEOPLE = `ou=people,${LDAP_BASE}`;
const GROUPS = `ou=groups,${LDAP_BASE}`;
const NOBODY = `cn=nobody,${LDAP_BASE}`;

/**
 * The values of `attribute` at `dn` as ldapsearch prints them, sorted, DN values lower-cased (the
 * directory compares them case-insensitively); undefined when there is no such entry.
 */
async function ldapValues(slapd: Slapd, dn: string, attribute: string): Promise<string[] | undefined> {
  const isDn = attribute === 'member' || attribute === 'manager';
  const ldif = await slapd.ldapsearch(dn, '(objectClass=*)', [attribute], 'base').catch((error: unknown) => {
    if (String(error).includes('No such object')) return undefined;
    throw error;
  });
  if (ldif === undefined || ldif.trim() === '') return undefined;
  const prefix = `${attribute.toLowerCase()}: `;
  return ldif
    .split('\n')
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => (isDn ? line.slice(prefix.length).toLowerCase() : line.slice(prefix.length)))
    .sort();
}

/**
 * inetOrgPerson and groupOfNames in one configuration. A group's DN is made by the admin's Entra
 * expression from its objectId (`cn=<externalId>,ou=groups,…`), so a G4 rename changes the
 * `description` the displayName is mapped to and never moves the entry. `groupMapping` changes that
 * choice (see BY_NAME).
 */
function ldapConfig(slapd: Slapd, name = 'OpenLDAP', groupMapping: Record<string, string> = { externalId: 'cn', displayName: 'description', members: 'member' }): ConnectorInstanceConfig {
  return {
    name,
    package: '@ecmahost/connector-generic-ldap',
    autosyncMinutes: 0,
    tokenHash: hashToken(TOKEN),
    parameters: valuesFor(slapd, { objectClasses: 'inetOrgPerson,groupOfNames', anchor: 'entryUUID', containers: `${PEOPLE}\n${GROUPS}`, emptyGroupMember: NOBODY, deltaMethod: 'none' }),
    objectType: 'inetOrgPerson',
    anchor: ['entryUUID'],
    dn: { attribute: '-dn-' },
    attributes: [
      { name: '-dn-' },
      { name: 'entryUUID' },
      { name: 'uid', singleValue: true },
      { name: 'cn', singleValue: true },
      { name: 'sn', singleValue: true },
      { name: 'givenName', singleValue: true },
      { name: 'mail', singleValue: true },
      { name: 'employeeNumber', singleValue: true },
      { name: 'manager', singleValue: true },
    ],
    deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
    runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 100 }, deltaImport: { pageSize: 100 } },
    scimMapping: {
      userName: 'uid',
      externalId: 'employeeNumber',
      'name.formatted': 'cn',
      'name.givenName': 'givenName',
      'name.familyName': 'sn',
      'emails[type eq "work"].value': 'mail',
      [`${ENTERPRISE}:manager`]: 'manager',
    },
    additionalTypes: [
      {
        objectType: 'groupOfNames',
        resourceType: 'Group',
        anchor: ['entryUUID'],
        dn: { attribute: '-dn-' },
        attributes: [{ name: '-dn-' }, { name: 'entryUUID' }, { name: 'cn', singleValue: true }, { name: 'description', singleValue: true }, { name: 'member' }],
        scimMapping: groupMapping,
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      },
    ],
  };
}

/** displayName in the group's naming attribute, externalId in description. */
const BY_NAME = { displayName: 'cn', externalId: 'description', members: 'member' };

describe.skipIf(skip !== undefined)(liveTitle('Entra group replay through the host: Generic LDAP on slapd with refint', skip), () => {
  let slapd: Slapd;
  let host: Host;
  beforeAll(async () => {
    slapd = await startSlapd({ seedLdifFile: fileURLToPath(new URL('../../../../plugins/generic-ldap/test/fixtures/groups-base.ldif', import.meta.url)), refint: true, refintNothing: NOBODY });
    // The second instance names its groups by displayName (cn=<displayName>), the other common choice.
    host = createHost({ connectors: [ldapConfig(slapd), ldapConfig(slapd, 'ByName', BY_NAME)], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR });
    await host.start();
    await host.runImport('OpenLDAP');
    await host.runImport('ByName');
  });
  afterAll(async () => {
    await host?.stop();
    await slapd?.stop();
  });

  it('renames a group named by its displayName only together with its DN, as the directory requires; the members stay', async () => {
    const { request, patch } = scimClient(host, 'ByName');
    const created = async (res: Response): Promise<string> => {
      expect(res.status, await res.clone().text()).toBe(201);
      return String(((await res.json()) as { id: string }).id);
    };
    const gina = await created(
      await request('/Users', { method: 'POST', body: JSON.stringify({ userName: 'gina', name: { formatted: 'gina', familyName: 'G' }, [HOST_USER_EXT]: { '-dn-': `uid=gina,${PEOPLE}` } }) }),
    );
    const group = await created(
      await request('/Groups', { method: 'POST', body: JSON.stringify({ schemas: [GROUP], externalId: 'sales-id', displayName: 'Sales', members: [{ value: gina }], [HOST_GROUP_EXT]: { '-dn-': `cn=Sales,${GROUPS}` } }) }),
    );
    expect(await ldapValues(slapd, `cn=Sales,${GROUPS}`, 'member')).toEqual([`uid=gina,${PEOPLE}`]);

    // G4 alone would remove the entry's naming value: the directory refuses it, the host says why, nothing changes.
    const alone = await patch(`/Groups/${group}`, [{ op: 'Replace', path: 'displayName', value: 'Sales EMEA' }]);
    expect(alone.status).toBe(400);
    expect(await alone.json()).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('namingViolation') });
    expect(await ldapValues(slapd, `cn=Sales,${GROUPS}`, 'cn')).toEqual(['Sales']);

    // With the new DN from the admin's DN expression in the same PATCH, the entry moves.
    const moved = await patch(`/Groups/${group}`, [
      { op: 'Replace', path: 'displayName', value: 'Sales EMEA' },
      { op: 'Replace', path: `${HOST_GROUP_EXT}:-dn-`, value: `cn=Sales EMEA,${GROUPS}` },
    ]);
    expect(moved.status, await moved.clone().text()).toBe(204);
    expect(await ldapValues(slapd, `cn=Sales,${GROUPS}`, 'cn')).toBeUndefined();
    expect(await ldapValues(slapd, `cn=Sales EMEA,${GROUPS}`, 'cn')).toEqual(['Sales EMEA']);
    expect(await ldapValues(slapd, `cn=Sales EMEA,${GROUPS}`, 'member')).toEqual([`uid=gina,${PEOPLE}`]);
    const found = (await (await request(`/Groups?filter=${encodeURIComponent('displayName eq "Sales EMEA"')}`)).json()) as { Resources: Record<string, unknown>[] };
    expect(found.Resources).toMatchObject([{ id: group, externalId: 'sales-id', members: [{ value: gina }] }]);
  });

  it('keeps memberships and the manager through a rename of the member (refint), on the wire and in the directory', async () => {
    const { request, patch } = scimClient(host, 'OpenLDAP');
    const create = async (url: string, body: Record<string, unknown>): Promise<string> => {
      const res = await request(url, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBe(201);
      return String(((await res.json()) as { id: string }).id);
    };
    const user = (login: string, manager?: string) => ({
      schemas: [USER, ENTERPRISE],
      userName: login,
      name: { formatted: login, familyName: login },
      [HOST_USER_EXT]: { '-dn-': `uid=${login},${PEOPLE}` },
      ...(manager === undefined ? {} : { [ENTERPRISE]: { manager: { value: manager } } }),
    });
    const dave = await create('/Users', user('dave'));
    const erin = await create('/Users', user('erin', dave));
    const groupDn = `cn=rename-check,${GROUPS}`;
    const group = await create('/Groups', { schemas: [GROUP], externalId: 'rename-check', displayName: 'Rename check', [HOST_GROUP_EXT]: { '-dn-': groupDn } });
    expect((await patch(`/Groups/${group}`, [{ op: 'Add', path: 'members', value: [{ value: dave }, { value: erin }] }])).status).toBe(204);

    const renamed = `cn=dave,${PEOPLE}`;
    const rename = await patch(`/Users/${dave}`, [{ op: 'Replace', path: `${HOST_USER_EXT}:-dn-`, value: renamed }]);
    expect(rename.status, await rename.clone().text()).toBe(200);
    // refint rewrote the group's member value and erin's manager.
    expect(await ldapValues(slapd, groupDn, 'member')).toEqual([renamed.toLowerCase(), `uid=erin,${PEOPLE}`].sort());
    expect(await ldapValues(slapd, `uid=erin,${PEOPLE}`, 'manager')).toEqual([renamed.toLowerCase()]);

    const answers = async () => {
      const members = ((await (await request(`/Groups/${group}`)).json()) as { members?: { value: string }[] }).members?.map((m) => m.value).sort();
      const check = (await (await request(`/Users?filter=${encodeURIComponent(`id eq "${erin}" and manager eq "${dave}"`)}&attributes=id`)).json()) as { totalResults: number };
      const manager = ((await (await request(`/Users/${erin}`)).json()) as Record<string, { manager?: { value: string } }>)[ENTERPRISE]?.manager;
      return { members, managerCheck: check.totalResults, manager };
    };
    const expected = { members: [dave, erin].sort(), managerCheck: 1, manager: { value: dave } };
    // Before any import, and after a full import reads the directory back.
    expect(await answers()).toEqual(expected);
    await host.runImport('OpenLDAP');
    expect(await answers()).toEqual(expected);
    // Removing the renamed member reaches the directory under its new DN.
    expect((await patch(`/Groups/${group}`, [{ op: 'Remove', path: `members[value eq "${dave}"]` }])).status).toBe(204);
    expect(await ldapValues(slapd, groupDn, 'member')).toEqual([`uid=erin,${PEOPLE}`]);
  });

  it('replays G1–G7, the manager PATCH and the manager check; member and manager values are the users\' DNs', async () => {
    const groupDn = (externalId: string) => `cn=${externalId},${GROUPS}`;
    await replay(host, {
      connector: 'OpenLDAP',
      // inetOrgPerson requires cn: the admin maps name.formatted, which Entra's U1 carries.
      userExtra: (login) => ({ [HOST_USER_EXT]: { '-dn-': `uid=${login},${PEOPLE}` }, name: { formatted: `${login} ${login.toUpperCase()}`, familyName: login.toUpperCase(), givenName: login } }),
      groupExtra: (externalId) => ({ [HOST_GROUP_EXT]: { '-dn-': groupDn(externalId) } }),
      ref: (login) => `uid=${login},${PEOPLE}`.toLowerCase(),
      async group(externalId) {
        const description = await ldapValues(slapd, groupDn(externalId), 'description');
        if (description === undefined) return undefined;
        const member = (await ldapValues(slapd, groupDn(externalId), 'member')) ?? [];
        // groupOfNames needs a member (RFC 4519 §3.5): an empty group holds the placeholder, which Entra never sees.
        if (member.length === 0 || (member.length === 1 && member[0] === NOBODY)) {
          expect(member).toEqual([NOBODY]);
          return { displayName: description[0]!, members: [] };
        }
        return { displayName: description[0]!, members: member };
      },
      async manager(login) {
        return (await ldapValues(slapd, `uid=${login},${PEOPLE}`, 'manager'))?.[0] ?? null;
      },
    });
  });
});

// --- Generic SQL on PostgreSQL, MariaDB and SQLite --------------------------------------------------

/**
 * Employees, Groups and GroupMembers with their foreign keys (GROUPS_DDL), plus the columns Entra's
 * default user mappings need. Groups are anchored on GroupId, which receives Entra's objectId
 * through `externalId`: the one value Entra sends that is stable and unique per group.
 */
function sqlConfig(db: TestDatabase): ConnectorInstanceConfig {
  return {
    name: `GenericSQL_${db.dialect}`,
    package: '@ecmahost/connector-generic-sql',
    autosyncMinutes: 0,
    tokenHash: hashToken(TOKEN),
    parameters: groupsValues(db),
    objectType: 'User',
    anchor: ['ContosoLogin'],
    dn: { autogenerate: true },
    attributes: ['ContosoLogin', 'FirstName', 'LastName', 'Email', 'AzureID', 'Manager'].map((name) => ({ name })),
    deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
    runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 100 }, deltaImport: { pageSize: 100 } },
    scimMapping: {
      userName: 'ContosoLogin',
      externalId: 'AzureID',
      'name.givenName': 'FirstName',
      'name.familyName': 'LastName',
      'emails[type eq "work"].value': 'Email',
      [`${ENTERPRISE}:manager`]: 'Manager',
    },
    additionalTypes: [
      {
        objectType: 'Group',
        resourceType: 'Group',
        anchor: ['GroupId'],
        dn: { autogenerate: true },
        attributes: [{ name: 'GroupId' }, { name: 'DisplayName' }, { name: 'MemberId' }],
        scimMapping: { externalId: 'GroupId', displayName: 'DisplayName', members: 'MemberId' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      },
    ],
  };
}

const labels: Record<LocalDialect, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' };
const servers: Record<LocalDialect, LiveServer> = {
  postgresql: await probePg(),
  mysql: await probeMysql(),
  sqlite: { name: 'SQLite', url: 'file', available: true },
};

for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) {
  describeLive(servers[dialect], `Entra group replay through the host: Generic SQL on ${labels[dialect]}`, () => {
    let db: TestDatabase;
    let host: Host;
    let config: ConnectorInstanceConfig;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      await createGroupsTables(db);
      for (const column of ['Email', 'AzureID']) await db.exec(`ALTER TABLE ${db.prefix}${db.id('Employees')} ADD COLUMN ${db.id(column)} varchar(200)`);
      config = sqlConfig(db);
      host = createHost({ connectors: [config], logger: pino({ level: 'silent' }), resolveFrom: HOST_DIR });
      await host.start();
      await host.runImport(config.name);
    });
    afterAll(async () => {
      await host?.stop();
      await db?.drop();
    });

    it('replays G1–G7, the manager PATCH and the manager check; membership rows and Manager hold the users\' anchors', async () => {
      const t = (name: string) => `${db.prefix}${db.id(name)}`;
      await replay(host, {
        connector: config.name,
        userExtra: () => ({}),
        groupExtra: () => ({}),
        ref: (login) => login,
        async group(externalId) {
          const [row] = await db.query(`SELECT ${db.id('DisplayName')} AS d FROM ${t('Groups')} WHERE ${db.id('GroupId')} = ?`, [externalId]);
          if (row === undefined) return undefined;
          const members = (await membershipRows(db)).filter((r) => r.startsWith(`${externalId}:`)).map((r) => r.slice(externalId.length + 1));
          return { displayName: String(row.d), members };
        },
        async manager(login) {
          const [row] = await db.query(`SELECT ${db.id('Manager')} AS m FROM ${t('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, [login]);
          expect(row).toBeDefined();
          return row!.m === null ? null : String(row!.m);
        },
      });
      // G7 left no membership rows behind (the foreign key cascades, and the connector removed them anyway).
      expect(await membershipRows(db)).toEqual([]);
    });
  });
}
