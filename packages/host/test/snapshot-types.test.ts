// The persisted connector space of a connector serving two object types (people as Users, teams as
// Groups): one snapshot file per type, both restored at the next start, and both refused when the
// configuration's types change.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashToken } from '../src/auth/token.js';
import type { ConnectorInstanceConfig } from '../src/config/connector-config.js';
import { createHost } from '../src/host.js';
import type { Host } from '../src/host.js';
import { tempDir } from './cli-harness.js';
import { scimRequest } from './fixtures/fixture-host.js';
import { teamsConnectorSource } from './fixtures/teams-connector.js';

const TOKEN = 'snapshot-types-token-0123456789-abcdef';
let dir: string;
let cleanup: () => Promise<void>;
let config: ConnectorInstanceConfig;
const hosts: Host[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('ecmahost-snapshot-types-'));
  const connector = path.join(dir, 'teams.mjs');
  const dataFile = path.join(dir, 'teams.json');
  await writeFile(connector, teamsConnectorSource());
  await writeFile(dataFile, JSON.stringify({ person: { alice: { login: ['alice'] } }, team: { eng: { code: ['eng'], name: ['Engineering'], member: ['alice'] } } }));
  config = {
    name: 'Teams',
    package: connector,
    autosyncMinutes: 0,
    tokenHash: hashToken(TOKEN),
    parameters: { file: dataFile },
    objectType: 'person',
    anchor: ['login'],
    dn: { autogenerate: true },
    attributes: [{ name: 'login' }, { name: 'mail' }],
    scimMapping: { userName: 'login' },
    deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
    runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 50 } },
    additionalTypes: [
      {
        objectType: 'team',
        resourceType: 'Group',
        anchor: ['code'],
        dn: { autogenerate: true },
        attributes: [{ name: 'code' }, { name: 'name' }, { name: 'member' }],
        scimMapping: { displayName: 'name', members: 'member', externalId: 'code' },
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
      },
    ],
  };
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop();
  await cleanup();
});

async function started(served: ConnectorInstanceConfig): Promise<Host> {
  const host = createHost({ connectors: [served], logger: pino({ level: 'silent' }), stateDir: path.join(dir, 'state') });
  hosts.push(host);
  await host.start();
  return host;
}

it('keeps one file per served type and restores both, the group with its members', async () => {
  const first = await started(config);
  await first.runImport('Teams');
  await first.stop();
  hosts.length = 0;
  expect((await readdir(path.join(dir, 'state'))).filter((f) => f.endsWith('.space')).sort()).toEqual(['Teams.person.space', 'Teams.team.space']);

  const second = await started(config);
  expect(second.connectorStatus('Teams')?.restored?.objects).toBe(2);
  const groups = (await (await scimRequest(second, TOKEN, '/ecma2host_Teams/scim/Groups?filter=displayName eq "Engineering"')).json()) as { Resources: { members?: { value: string }[] }[] };
  const users = (await (await scimRequest(second, TOKEN, '/ecma2host_Teams/scim/Users?filter=userName eq "alice"')).json()) as { Resources: { id: string }[] };
  expect(groups.Resources[0]?.members).toEqual([expect.objectContaining({ value: users.Resources[0]!.id })]);
});

it('refuses every file when a served type is removed from the configuration', async () => {
  const first = await started(config);
  await first.runImport('Teams');
  await first.stop();
  hosts.length = 0;

  const { additionalTypes: _removed, ...usersOnly } = config;
  const second = await started(usersOnly);
  expect(second.connectorStatus('Teams')?.restored).toBeUndefined();
});

it('keeps no snapshot and logs none without a state directory', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const host = createHost({ connectors: [config], logger });
  await host.start();
  expect((await host.runImport('Teams')).objects).toBe(2);
  await host.stop();
  expect(host.connectorStatus('Teams')?.snapshot).toBeUndefined();
  expect(lines.filter((line) => line.includes('snapshot'))).toEqual([]);
  // The logger did hear the host: the imports are there.
  const imports = lines.filter((line) => line.includes('"msg":"import finished"'));
  expect(imports.length).toBeGreaterThanOrEqual(1);
  // Each key once: the connector's name comes from the logger's binding only.
  for (const line of imports) expect(line.match(/"connector":/g)).toHaveLength(1);
  expect(JSON.parse(imports[0]!)).toMatchObject({ connector: 'Teams', type: 'full', objects: 2, msg: 'import finished' });
});
