// A connector whose export result has a mistyped error code, deep in the instance literal.
import { defineConnector, entryError } from '@ecmahost/sdk';

export default defineConnector({
  name: 'typo',
  displayName: 'Typo',
  version: '1.0.0',
  capabilities: { import: false, export: true },
  async open() {
    return {
      async testConnection() {},
      async getSchema() {
        return { objectTypes: [] };
      },
      async openExport() {
        return {
          async putEntries(batch) {
            return batch.map((entry) => ({ identifier: entry.identifier, error: entryError('missing-objekt', 'no such row') }));
          },
          async close() {},
        };
      },
      async close() {},
    };
  },
});
