import { readFileSync } from 'node:fs';
import type { AttributeValues, CSEntryChange, ExportEntryResult, ImportEntry } from '@ecmahost/sdk';
import { ConnectorError, applyAttributeChanges, defineConnector, readParameters, toValueArray } from '@ecmahost/sdk';
import type { ApiUser } from './api-client.js';
import { ApiClient, ApiError } from './api-client.js';

// Name, version and description come from package.json (one level up from both src/ and dist/),
// so `npm version` is the only place a release changes them.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; description?: string };

/** {{description}} */
export default defineConnector({
  name: pkg.name,
  displayName: '{{displayName}}',
  version: pkg.version,
  ...(pkg.description === undefined ? {} : { description: pkg.description }),
  capabilities: { import: true, export: true, exportType: 'attributeUpdate', dnStyle: 'none' },
  parameters: {
    connectivity: [
      { type: 'string', name: 'BaseUrl', label: 'API base URL', required: true, pattern: 'https?://.+', patternMessage: 'API base URL must start with http:// or https://.' },
      { type: 'encryptedString', name: 'ApiKey', label: 'API key (sent as a Bearer token; empty: none)' },
    ],
  },
  async open(values) {
    const params = readParameters(values);
    const key = params.secret('ApiKey');
    const apiKey = key === undefined || key.isEmpty ? undefined : key.reveal();
    const api = new ApiClient(params.string('BaseUrl'), apiKey);
    return {
      async testConnection() {
        await api.list(0, 1);
      },
      async getSchema() {
        return {
          objectTypes: [
            {
              name: 'user',
              anchors: ['userName'],
              attributes: [
                { name: 'userName', type: 'string', multiValued: false, required: true },
                { name: 'displayName', type: 'string', multiValued: false },
                { name: 'emails', type: 'string', multiValued: true },
                { name: 'active', type: 'boolean', multiValued: false },
              ],
            },
          ],
        };
      },
      async openImport(runStep) {
        if (runStep.type === 'delta') throw new ConnectorError('not-supported', 'This connector has no delta import; run a full import');
        let offset = 0;
        return {
          async getEntries() {
            const { users, total } = await api.list(offset, runStep.pageSize);
            offset += users.length;
            const entries = users.map((user): ImportEntry => ({
              objectType: 'user',
              modification: 'add',
              anchor: { userName: user.userName },
              attributes: toAttributes(user),
            }));
            return { entries, more: users.length > 0 && offset < total };
          },
          async close() {},
        };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            const results: ExportEntryResult[] = [];
            for (const entry of batch) results.push(await exportOne(api, entry));
            return results;
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});

function toAttributes(user: ApiUser): AttributeValues {
  const attributes: AttributeValues = { userName: user.userName };
  if (user.displayName !== undefined) attributes.displayName = user.displayName;
  if (user.emails !== undefined && user.emails.length > 0) attributes.emails = user.emails;
  if (user.active !== undefined) attributes.active = user.active;
  return attributes;
}

function toApiUser(userName: string, attributes: AttributeValues): ApiUser {
  const user: ApiUser = { userName };
  const displayName = toValueArray(attributes.displayName)[0];
  if (displayName !== undefined) user.displayName = String(displayName);
  const emails = toValueArray(attributes.emails).map(String);
  if (emails.length > 0) user.emails = emails;
  // Sent as given: the API decides what an active flag may hold, and its 400 becomes this entry's result.
  const active = toValueArray(attributes.active)[0];
  if (active !== undefined) user.active = active as boolean;
  return user;
}

/** Exports one entry; the API's 400, 404 and 409 become that entry's result, never an exception. */
async function exportOne(api: ApiClient, entry: CSEntryChange): Promise<ExportEntryResult> {
  const { identifier } = entry;
  const userName = String(entry.anchor.userName);
  try {
    if (entry.modification === 'delete') await api.remove(userName);
    else if (entry.modification === 'add') await api.create(toApiUser(userName, applyAttributeChanges({}, entry.attributeChanges)));
    else {
      const base = entry.modification === 'update' ? toAttributes(await api.get(userName)) : {};
      await api.replace(toApiUser(userName, applyAttributeChanges(base, entry.attributeChanges)));
    }
    return { identifier };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const code = error.status === 404 ? 'missing-object' : error.status === 409 ? 'existing-object' : error.status === 400 ? 'syntax-violation' : 'connected-directory-error';
    return { identifier, error: { code, message: error.message } };
  }
}
