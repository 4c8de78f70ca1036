// The example of docs/connectors/contract.md, run through the conformance kit; the docs quote this
// file verbatim, which the last test keeps true.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import { expect, it } from 'vitest';
import connector from './example-json-file-connector.js';

describeConnectorConformance({
  name: 'the JSON file example',
  connector,
  target: async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ecmahost-json-'));
    const file = path.join(dir, 'people.json');
    await writeFile(file, '{}');
    return { values: { path: file }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  objectType: 'person',
  sample: (n) => ({
    attributes: { id: `p${String(n)}`, userName: `user${String(n)}`, displayName: `User ${String(n)}`, mail: [`u${String(n)}@example.com`, `x${String(n)}@example.org`] },
  }),
  singleValued: 'displayName',
  multiValued: 'mail',
  invalid: () => ({ attributes: { id: 'nameless', displayName: 'No user name' } }),
});

it('is quoted verbatim in docs/connectors/contract.md', async () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const source = await readFile(path.join(here, 'example-json-file-connector.ts'), 'utf8');
  const docs = await readFile(path.join(here, '../../../docs/connectors/contract.md'), 'utf8');
  expect(docs).toContain(source.trim());
});
