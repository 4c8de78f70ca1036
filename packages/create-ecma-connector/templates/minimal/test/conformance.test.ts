import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import connector from '../src/index.js';

describeConnectorConformance({
  name: '{{displayName}}',
  connector,
  // Each check gets its own folder; the JSON file is created by the first export.
  target: async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ecma-connector-'));
    return { values: { FilePath: path.join(dir, 'people.json') }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  objectType: 'person',
  sample: (n) => ({ attributes: { userName: `user${String(n)}`, displayName: `User ${String(n)}`, mail: [`u${String(n)}@example.com`], active: true } }),
  singleValued: 'displayName',
  multiValued: 'mail',
  invalid: () => ({ attributes: { userName: 'bad', active: 'not a boolean' } }),
});
