import { readFile, writeFile } from 'node:fs/promises';
import type { AttributeValue, CSEntryChange, ExportEntryResult, ImportEntry } from '@ecmahost/sdk';
import { ConnectorError, applyAttributeChanges, defineConnector, readParameters } from '@ecmahost/sdk';

type Person = Record<string, AttributeValue[]>;

/** Keeps people in a JSON file: `{ "<id>": { "userName": ["ann"], ... } }`. */
export default defineConnector({
  name: '@acme/connector-json-file',
  displayName: 'JSON file',
  version: '1.0.0',
  capabilities: { import: true, export: true, exportType: 'attributeUpdate' },
  parameters: {
    connectivity: [{ type: 'file', name: 'path', label: 'File', required: true }],
  },
  async open(values) {
    const path = readParameters(values).string('path');
    const load = async (): Promise<Record<string, Person>> => {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as Record<string, Person>;
      } catch (cause) {
        throw new ConnectorError('connection-failed', `cannot read ${path}`, { cause, parameter: 'path' });
      }
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
              anchors: ['id'],
              attributes: [
                { name: 'id', type: 'string', multiValued: false },
                { name: 'userName', type: 'string', multiValued: false, required: true },
                { name: 'displayName', type: 'string', multiValued: false },
                { name: 'mail', type: 'string', multiValued: true },
              ],
            },
          ],
        };
      },
      async openImport(runStep) {
        const people = Object.entries(await load());
        let offset = 0;
        return {
          async getEntries() {
            const page = people.slice(offset, offset + runStep.pageSize);
            offset += page.length;
            const entries = page.map(([id, person]): ImportEntry => ({
              objectType: 'person',
              modification: 'add',
              anchor: { id },
              attributes: { ...person, id },
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
            await writeFile(path, JSON.stringify(people));
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
function apply(people: Record<string, Person>, entry: CSEntryChange): ExportEntryResult {
  const { identifier } = entry;
  const id = String(entry.anchor.id);
  const exists = Object.hasOwn(people, id);
  if (entry.modification === 'add' && exists) return { identifier, error: { code: 'existing-object', message: `${id} exists` } };
  if (entry.modification !== 'add' && !exists) return { identifier, error: { code: 'missing-object', message: `no ${id}` } };
  if (entry.modification === 'delete') {
    delete people[id];
    return { identifier };
  }
  const base = entry.modification === 'update' ? (people[id] ?? {}) : {};
  const { id: _anchor, ...person } = applyAttributeChanges(base, entry.attributeChanges);
  if (!person.userName?.length) return { identifier, error: { code: 'syntax-violation', message: 'userName is required', attribute: 'userName' } };
  people[id] = person;
  return { identifier };
}
