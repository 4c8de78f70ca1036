import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import { openStore } from '../src/store/store.js';
import { SDK_DIST, printedToken, useCliWorkspace } from './cli-harness.js';
import { scimRequest } from './fixtures/fixture-host.js';

/**
 * A connector with people and groups in one JSON file: groups hold their members' logins (the
 * anchor-form references of a SQL-like target).
 */
function groupsConnectorSource(): string {
  return `import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { applyAttributeChanges, attributeChangesOf, defineConnector } from ${JSON.stringify(new URL(`file://${SDK_DIST}`).href)};

const schema = { objectTypes: [
  { name: 'person', anchors: ['login'], attributes: [
    { name: 'login', type: 'string', multiValued: false, required: true },
    { name: 'mail', type: 'string', multiValued: false },
  ] },
  { name: 'team', anchors: ['code'], attributes: [
    { name: 'code', type: 'string', multiValued: false, required: true },
    { name: 'title', type: 'string', multiValued: false },
    { name: 'member', type: 'reference', multiValued: true },
  ] },
] };
const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { person: {}, team: {} });
const anchorOf = { person: 'login', team: 'code' };

export default defineConnector({
  name: 'fixture-json-teams',
  displayName: 'JSON people and teams (fixture)',
  version: '1.0.0',
  capabilities: { import: true, export: true, deltaImport: false, exportType: 'attributeUpdate' },
  parameters(request) {
    return request.page === 'connectivity' ? [{ name: 'file', type: 'file', label: 'Data file', required: true }] : [];
  },
  async open(values) {
    const file = String(values.file);
    return {
      async testConnection() {},
      async getSchema() { return schema; },
      async openImport() {
        const data = read(file);
        let done = false;
        return {
          async getEntries() {
            const entries = done ? [] : Object.entries(data).flatMap(([type, objects]) => Object.values(objects).map((o) => ({ objectType: type, modification: 'add', anchor: { [anchorOf[type]]: o[anchorOf[type]][0] }, attributeChanges: attributeChangesOf(o) })));
            done = true;
            return { entries, more: false };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            const data = read(file);
            const results = batch.map((change) => {
              const key = String(change.anchor[anchorOf[change.objectType]]);
              const objects = data[change.objectType];
              if (change.modification === 'delete') delete objects[key];
              else objects[key] = { ...applyAttributeChanges(change.modification === 'add' ? {} : objects[key], change.attributeChanges), [anchorOf[change.objectType]]: [key] };
              return { identifier: change.identifier };
            });
            writeFileSync(file, JSON.stringify(data));
            return results;
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});
`;
}

describe('ecmahost connector add serving Users and Groups (built binary)', () => {
  const workspace = useCliWorkspace();
  const { env, run } = workspace;
  let connector: string;
  let dataFile: string;

  beforeAll(async () => {
    connector = path.join(workspace.dir, 'teams-connector.mjs');
    dataFile = path.join(workspace.dir, 'teams.json');
    await writeFile(connector, groupsConnectorSource());
    await writeFile(dataFile, JSON.stringify({ person: { alice: { login: ['alice'] } }, team: {} }));
    expect((await run('init', '--host-name', 'ecma.contoso.test')).code).toBe(0);
  });

  it('saves both types from the --group-* flags, and the saved configuration serves /Users and /Groups', async () => {
    const result = await run(
      'connector', 'add', 'Teams', '--package', connector, '--param', `file=${dataFile}`,
      '--object-type', 'person', '--anchor', 'login', '--attributes', 'login,mail', '--scim', 'userName=login',
      '--group-object-type', 'team', '--group-anchor', 'code', '--group-attributes', 'code,title,member',
      '--group-scim', 'displayName=title', '--group-scim', 'members=member', '--group-scim', 'externalId=code',
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
        attributes: [{ name: 'code' }, { name: 'title' }, { name: 'member' }],
        scimMapping: { displayName: 'title', members: 'member', externalId: 'code' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      },
    ]);

    // The configuration the CLI saved, served by a host: both resource types answer.
    const host = createHost({ connectors: [config], logger: pino({ level: 'silent' }) });
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
    } finally {
      await host.stop();
    }
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(dataFile, 'utf8')).team).toEqual({ eng: { code: ['eng'], title: ['Engineering'], member: ['alice'] } });
  });

  it('refuses group choices that do not fit the type, naming them', async () => {
    const result = await run('connector', 'add', 'Bad', '--package', connector, '--param', `file=${dataFile}`, '--object-type', 'person', '--group-object-type', 'team', '--group-scim', 'members=nope');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the group choices do not fit team');
    expect(result.stderr).toContain('members is mapped to nope');
  });
});
