import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { AttributeValue, CSEntryChange, ExportEntryResult, ImportEntry } from '@ecmahost/sdk';
import { ConnectorError, applyAttributeChanges, defineConnector, readParameters } from '@ecmahost/sdk';

// Name, version and description come from package.json (one level up from both src/ and dist/),
// so `npm version` is the only place a release changes them.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; description?: string };

type Person = Record<string, AttributeValue[]>;
type People = Record<string, Person>;

/**
 * {{description}}
 *
 * This skeleton keeps people in a JSON file, `{ "<userName>": { "displayName": ["Ann"], ... } }`.
 * Replace `load` and `save` with calls to your system; the conformance kit tells you whether the
 * connector still behaves as the host expects.
 */
export default defineConnector({
  name: pkg.name,
  displayName: '{{displayName}}',
  version: pkg.version,
  ...(pkg.description === undefined ? {} : { description: pkg.description }),
  capabilities: { import: true, export: true, exportType: 'attributeUpdate', dnStyle: 'none' },
  parameters: {
    connectivity: [{ type: 'file', name: 'FilePath', label: 'JSON file (created on the first export when missing)', required: true }],
  },
  async open(values) {
    const path = readParameters(values).string('FilePath');
    const load = async (): Promise<People> => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (cause) {
        // A missing file is an empty directory of people, so a fresh install works at once.
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw new ConnectorError('connection-failed', `cannot read ${path}`, { cause, parameter: 'FilePath' });
      }
      try {
        return JSON.parse(text) as People;
      } catch (cause) {
        throw new ConnectorError('connection-failed', `${path} is not JSON`, { cause, parameter: 'FilePath' });
      }
    };
    // Written beside the file and renamed over it, so a crash never leaves half a file.
    const save = async (people: People): Promise<void> => {
      await writeFile(`${path}.tmp`, `${JSON.stringify(people, null, 2)}\n`);
      await rename(`${path}.tmp`, path);
    };
    return {
      async testConnection() {
        await load();
      },
      async getSchema() {
        return {
          objectTypes: [
            {
              name: 'person',
              anchors: ['userName'],
              attributes: [
                { name: 'userName', type: 'string', multiValued: false, required: true },
                { name: 'displayName', type: 'string', multiValued: false },
                { name: 'mail', type: 'string', multiValued: true },
                { name: 'active', type: 'boolean', multiValued: false },
              ],
            },
          ],
        };
      },
      async openImport(runStep) {
        if (runStep.type === 'delta') throw new ConnectorError('not-supported', 'This connector has no delta import; run a full import');
        const people = Object.entries(await load());
        let offset = 0;
        return {
          async getEntries() {
            const page = people.slice(offset, offset + runStep.pageSize);
            offset += page.length;
            const entries = page.map(([userName, person]): ImportEntry => ({
              objectType: 'person',
              modification: 'add',
              anchor: { userName },
              attributes: { ...person, userName },
            }));
            return { entries, more: offset < people.length };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            const people = await load();
            const results = batch.map((entry) => apply(people, entry));
            await save(people);
            return results;
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});

/** Applies one entry; expected failures become that entry's result, never an exception. */
function apply(people: People, entry: CSEntryChange): ExportEntryResult {
  const { identifier } = entry;
  const userName = String(entry.anchor.userName);
  const exists = Object.hasOwn(people, userName);
  if (entry.modification === 'add' && exists) return { identifier, error: { code: 'existing-object', message: `${userName} exists` } };
  if (entry.modification !== 'add' && !exists) return { identifier, error: { code: 'missing-object', message: `no user ${userName}` } };
  if (entry.modification === 'delete') {
    delete people[userName];
    return { identifier };
  }
  const base = entry.modification === 'update' ? (people[userName] ?? {}) : {};
  const { userName: _anchor, ...person } = applyAttributeChanges(base, entry.attributeChanges);
  if (person.active !== undefined && person.active.some((v) => typeof v !== 'boolean')) {
    return { identifier, error: { code: 'syntax-violation', message: 'active must be true or false', attribute: 'active' } };
  }
  people[userName] = person;
  return { identifier };
}
