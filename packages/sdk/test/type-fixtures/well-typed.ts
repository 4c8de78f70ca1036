// What the helpers allow: no error expected in this file.
import type { ConnectorInstance, ImportEntry } from '@ecmahost/sdk';
import { defineConnector, failedImportEntry } from '@ecmahost/sdk';

// An entry that only carries its error needs neither anchor nor attributeChanges.
export const unreadable: ImportEntry = failedImportEntry({ code: 'parse-error', message: 'line 3 is not JSON' });
export const named: ImportEntry = failedImportEntry({ code: 'missing-anchor', message: 'no id' }, { objectType: 'user', dn: 'CN=x' });

declare const other: { open(): Promise<ConnectorInstance> };

// Delegating to an instance typed ConnectorInstance stays allowed: the host checks it at load.
export const delegating = defineConnector({
  name: 'delegating',
  displayName: 'Delegating',
  version: '1.0.0',
  capabilities: { import: true, password: true },
  open: () => other.open(),
});

// Capabilities computed from the values are checked at load only.
export const computed = defineConnector({
  name: 'computed',
  displayName: 'Computed',
  version: '1.0.0',
  capabilities: () => ({ password: true }),
  async open() {
    return { async testConnection() {}, async getSchema() { return { objectTypes: [] }; }, async close() {} };
  },
});
