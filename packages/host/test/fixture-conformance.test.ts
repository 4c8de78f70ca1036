import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import connector from './fixtures/file-store-connector.js';

// The fixture the SCIM tests write through is held to the same contract as real connectors, so a
// SCIM test can trust what it reads back from the store.
describeConnectorConformance({
  name: 'host test fixture: JSON file store',
  connector,
  target: async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-fixture-conformance-'));
    return { values: { file: path.join(dir, 'store.json') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  objectType: 'person',
  sample: (n) => ({
    dn: `CN=user${n},OBJECT=PERSON`,
    attributes: {
      login: `user${n}`,
      firstName: `First${n}`,
      mail: `user${n}@example.com`,
      employeeNumber: 1000 + n,
      accountDisabled: n % 2 === 0,
      objectClass: ['person', `class${n}`],
    },
  }),
  singleValued: 'mail',
  multiValued: 'objectClass',
  invalid: () => ({ attributes: { login: 'invalid', mail: 'no-first-name@example.com' } }),
  skip: { 'generated-anchor': 'the fixture’s anchor (login) is always given by the host, never generated' },
});
