import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSecret } from '@ecmahost/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/store.js';
import { KEYS, Terminal, hasScript, printedToken, useCliWorkspace, writeFixture } from './cli-harness.js';

const { ENTER, BACKSPACE, DOWN, SPACE } = KEYS;

describe.skipIf(!hasScript())(
  `ecmahost connector add on a TTY walks the connector's own pages${hasScript() ? '' : ' — skipped: util-linux "script" is needed for a pseudo-terminal'}`,
  () => {
    const workspace = useCliWorkspace({ prefix: 'ecmahost-wizard-' });
    const { env, run } = workspace;
    let fixture: { connector: string; dataFile: string };

    beforeAll(async () => {
      fixture = await writeFixture(workspace.dir, { alice: { login: 'alice', firstName: 'Alice', enabled: true } });
      expect((await run('init', '--host-name', 'localhost')).code).toBe(0);
    });

    it('asks every page, re-asks what is refused without looping, then asks the schema choices, SCIM mapping and DN', async () => {
      const term = new Terminal(['-d', workspace.dataDir, 'connector', 'add', 'Wizard', '--package', fixture.connector, '--autosync', '30'], env, workspace.dir);
      try {
        await term.waitFor('JSON people file (fixture) 1.2.3');
        await term.waitFor('connectivity parameters');
        await term.answer('Data file', `people.txt${ENTER}`);
        await term.answer('API key', `not-a-key${ENTER}`);
        await term.waitFor('The data file is created when it does not exist.');
        await term.answer('Region', DOWN + ENTER);
        await term.answer('Pretty-print the file', ENTER);
        await term.answer('Transport', DOWN + ENTER);
        await term.answer('Allow plain http', ENTER);
        // The SDK's declarative check (pattern) fails first; only the faulty field is asked again.
        await term.waitFor('invalid values on the connectivity page');
        await term.waitFor('API key must look like key-abc123.');
        await term.answer('API key', `key-abc123${ENTER}`);
        // Then the connector's own validate() rejects the file name: its rules may span the page,
        // so the whole page is asked again, each prompt starting from what was typed.
        await term.waitFor('The data file must end in .json.');
        await term.answer('Data file', `${BACKSPACE.repeat(12)}${fixture.dataFile}${ENTER}`);
        await term.answer('API key (empty keeps the value typed before)', ENTER);
        await term.answer('Region', ENTER);
        await term.answer('Pretty-print the file', ENTER);
        await term.answer('Transport', ENTER);
        await term.answer('Allow plain http', ENTER);
        // The admin finding: a rule naming "transport" but needing "Allow plain http" used to
        // re-ask only the transport, for ever. Now the box it needs is asked again too.
        await term.waitFor('Plain http must be allowed explicitly');
        await term.answer('Data file', ENTER);
        await term.answer('API key (empty keeps the value typed before)', ENTER);
        await term.answer('Region', ENTER);
        await term.answer('Pretty-print the file', ENTER);
        await term.answer('Transport', ENTER);
        await term.answer('Allow plain http', 'y');
        await term.waitFor('global parameters');
        await term.answer('Login prefix', `UPPER${ENTER}`);
        await term.waitFor('Login prefix: lowercase letters only.');
        await term.answer('Login prefix', `${BACKSPACE.repeat(8)}emp${ENTER}`);
        await term.waitFor('global parameters (page 2)');
        await term.answer('Comment', `typed in a terminal${ENTER}`);
        // Schema discovery: one object type (taken), its anchor, the attributes to serve.
        await term.answer('Anchor attribute(s)', ENTER);
        await term.waitFor('Attributes to serve');
        // Preselected: everything but the hidden and the binary attribute.
        await term.waitFor(/nicknames/);
        const screen = term.text.slice(term.text.lastIndexOf('Attributes to serve'));
        expect(screen).toMatch(/◼ login[\s\S]*◼ enabled[\s\S]*◻ internalNote[\s\S]*◻ photo[\s\S]*◼ nicknames/);
        await term.type(ENTER);
        await term.answer('Treat as single value', SPACE + ENTER);
        await term.answer('DN source', DOWN + ENTER);
        // The SCIM mapping, one target after the other, each starting from the proposal.
        await term.answer('SCIM userName', ENTER);
        await term.answer('SCIM externalId', ENTER);
        await term.answer('SCIM displayName', ENTER);
        await term.answer('SCIM name.givenName', ENTER);
        await term.answer('SCIM name.familyName', ENTER);
        await term.answer('SCIM emails[type eq "work"].value', ENTER);
        await term.answer('Disable flow', DOWN + DOWN + ENTER);
        await term.answer('Does enabled hold true for a disabled user', ENTER);
        await term.answer('Delete flow', ENTER);
        await term.waitFor('Added connector Wizard');
        expect(await term.exited).toBe(0);
      } finally {
        term.kill();
      }
      const token = printedToken(term.text);
      const file = await readFile(path.join(workspace.dataDir, 'connectors', 'Wizard.yaml'), 'utf8');
      expect(file).not.toContain('key-abc123');
      expect(file).not.toContain(token);
      const saved = await (await openStore(workspace.dataDir, env)).readConnector('Wizard');
      expect(saved.parameters).toMatchObject({ file: fixture.dataFile, region: 'us', pretty: false, transport: 'http', allowHttp: true, prefix: 'emp', comment: 'typed in a terminal' });
      expect(isSecret(saved.parameters.apiKey) && saved.parameters.apiKey.reveal()).toBe('key-abc123');
      expect(saved).toMatchObject({
        objectType: 'person',
        anchor: ['login'],
        dn: { attribute: 'login' },
        attributes: [{ name: 'login' }, { name: 'firstName' }, { name: 'lastName' }, { name: 'mail' }, { name: 'enabled' }, { name: 'nicknames', singleValue: true }],
        scimMapping: { userName: 'login', 'name.givenName': 'firstName', 'name.familyName': 'lastName', 'emails[type eq "work"].value': 'mail' },
        deprovisioning: { disable: { action: 'attribute', attribute: 'enabled' }, delete: { action: 'delete' } },
        runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 5000 } },
      });
      const test = await run('connector', 'test', 'Wizard');
      expect(test.stdout).toContain('succeeded');
    });

    it('Ctrl+C at a prompt cancels without saving anything', async () => {
      const term = new Terminal(['-d', workspace.dataDir, 'connector', 'add', 'Cancelled', '--package', fixture.connector], env, workspace.dir);
      try {
        await term.waitFor('Data file');
        await term.type(KEYS.CTRL_C);
        expect(await term.exited).toBe(1);
        expect(term.text).toContain('cancelled: nothing was changed.');
      } finally {
        term.kill();
      }
      expect((await run('connector', 'list')).stdout).not.toContain('Cancelled');
    });
  },
);
