import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../src/audit/audit-event.js';
import { createHost } from '../src/host.js';
import { openStore } from '../src/store/store.js';
import { printedToken, useCliWorkspace } from './cli-harness.js';
import { scimRequest } from './fixtures/fixture-host.js';
import { teamsConnectorSource } from './fixtures/teams-connector.js';

describe('ecmahost connector add serving Users and Groups (built binary)', () => {
  const workspace = useCliWorkspace();
  const { env, run } = workspace;
  let connector: string;
  let dataFile: string;

  beforeAll(async () => {
    connector = path.join(workspace.dir, 'teams-connector.mjs');
    dataFile = path.join(workspace.dir, 'teams.json');
    await writeFile(connector, teamsConnectorSource());
    await writeFile(dataFile, JSON.stringify({ person: { alice: { login: ['alice'] } }, team: {} }));
    expect((await run('init', '--host-name', 'ecma.contoso.test')).code).toBe(0);
  });

  it('saves both types from the --group-* flags, and the saved configuration serves /Users and /Groups', async () => {
    const result = await run(
      'connector', 'add', 'Teams', '--package', connector, '--param', `file=${dataFile}`,
      '--object-type', 'person', '--anchor', 'login', '--attributes', 'login,mail', '--scim', 'userName=login',
      '--group-object-type', 'team', '--group-anchor', 'code', '--group-attributes', 'code,name,member',
      '--group-scim', 'displayName=name', '--group-scim', 'members=member', '--group-scim', 'externalId=code',
      '--group-delete-flow', 'delete',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('serving person with anchor login and team as SCIM Groups');
    const token = printedToken(result.stdout);

    const config = await (await openStore(workspace.dataDir, env)).readConnector('Teams');
    expect(config.additionalTypes).toEqual([
      {
        objectType: 'team',
        resourceType: 'Group',
        anchor: ['code'],
        dn: { autogenerate: true },
        attributes: [{ name: 'code' }, { name: 'name' }, { name: 'member' }],
        scimMapping: { displayName: 'name', members: 'member', externalId: 'code' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      },
    ]);

    // The configuration the CLI saved, served by a host: both resource types answer.
    const audited: AuditEvent[] = [];
    const host = createHost({ connectors: [config], logger: pino({ level: 'silent' }), audit: { record: (event) => audited.push(event) } });
    await host.start();
    try {
      await host.runImport('Teams');
      const users = (await (await scimRequest(host, token, '/ecma2host_Teams/scim/Users?filter=userName eq "alice"')).json()) as { Resources: { id: string }[] };
      const alice = users.Resources[0]!.id;
      const created = await scimRequest(host, token, '/ecma2host_Teams/scim/Groups', {
        method: 'POST',
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], externalId: 'eng', displayName: 'Engineering', members: [{ value: alice }] }),
      });
      expect(created.status).toBe(201);
      const group = (await created.json()) as Record<string, unknown>;
      expect(group).toMatchObject({ displayName: 'Engineering', externalId: 'eng', members: [{ value: alice }], meta: { resourceType: 'Group' } });
      const types = (await (await scimRequest(host, token, '/ecma2host_Teams/scim/ResourceTypes')).json()) as { Resources: { name: string }[] };
      expect(types.Resources.map((t) => t.name)).toEqual(['User', 'Group']);
      // A group write is audited like a user's, under the group's SCIM id.
      expect(audited.filter((e) => e.action.startsWith('scim.'))).toMatchObject([{ action: 'scim.create', connector: 'Teams', id: group.id, status: 201, attributes: expect.arrayContaining(['name', 'member']) }]);
    } finally {
      await host.stop();
    }
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(dataFile, 'utf8')).team).toEqual({ eng: { code: ['eng'], name: ['Engineering'], member: ['alice'] } });
  });

  it('refuses group choices that do not fit the type, naming them', async () => {
    const result = await run('connector', 'add', 'Bad', '--package', connector, '--param', `file=${dataFile}`, '--object-type', 'person', '--group-object-type', 'team', '--group-scim', 'members=nope');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the group choices do not fit team');
    expect(result.stderr).toContain('members is mapped to nope');
  });
});
