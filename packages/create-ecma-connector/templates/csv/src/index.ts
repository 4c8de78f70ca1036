import { readFileSync } from 'node:fs';
import { defineConnector } from '@ecmahost/sdk';
// #if !delta
import { ConnectorError } from '@ecmahost/sdk';
// #endif
// #if delta
import { openDeltaImport } from './delta.js';
// #endif
// #if export
import { openExport } from './export.js';
// #endif
import { openFullImport } from './import.js';
// #if password
import { openPassword } from './password.js';
// #endif
import { CONNECTIVITY, readSettings } from './settings.js';
import { UsersFile } from './users-file.js';

// Name, version and description come from package.json (one level up from both src/ and dist/),
// so `npm version` is the only place a release changes them.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; description?: string };

/**
 * The connector: it keeps users in a CSV file, one row per user, the
 * columns named by the header row (`Name`, `Name:integer`, `Name:boolean`, `Name:datetime`, `[]` for several values).
 */
export default defineConnector({
  name: pkg.name,
  displayName: '{{displayName}}',
  version: pkg.version,
  ...(pkg.description === undefined ? {} : { description: pkg.description }),
  capabilities: {
    import: true,
    // #if delta
    deltaImport: true,
    // #endif
    // #if export
    export: true,
    // Multi-valued columns get value adds and deletes, which applyAttributeChanges handles.
    exportType: 'attributeUpdate',
    // #endif
    // #if password
    password: true,
    // #endif
    dnStyle: 'none',
    // Every write replaces the whole file: two sessions writing at once could lose each other's changes.
    concurrentOperations: false,
  },
  parameters: { connectivity: CONNECTIVITY },
  async open(values, context) {
    const settings = readSettings(values);
    context.log.debug({ filePath: settings.filePath }, 'opening CSV connector');
    return {
      async testConnection() {
        await UsersFile.load(settings);
      },
      async getSchema() {
        return (await UsersFile.load(settings)).schema();
      },
      async openImport(runStep) {
        // #if delta
        if (runStep.type === 'delta') return openDeltaImport(settings, runStep);
        // #endif
        // #if !delta
        if (runStep.type === 'delta') throw new ConnectorError('not-supported', 'This connector has no delta import; run a full import');
        // #endif
        return openFullImport(settings, runStep);
      },
      // #if export
      openExport: async () => openExport(settings),
      // #endif
      // #if password
      openPassword: async () => openPassword(settings),
      // #endif
      async close() {},
    };
  },
});
