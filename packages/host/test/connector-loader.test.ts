import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_VERSION } from '@ecmahost/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnectorDefinition } from '../src/connectors/loader.js';
import type { PluginLoadError } from '../src/plugins/plugin-load-error.js';
import { createHost } from '../src/host.js';
import { TOKEN_A, fixtureConfig } from './fixtures/fixture-host.js';

// Connector packages as a third party publishes them: plain ESM JavaScript in node_modules,
// branded through the Symbol registry (no import of our SDK copy).

let dir: string;

function connectorSource(name: string, apiVersion: number): string {
  return `
const capabilities = { import: true, deltaImport: false, export: false, exportType: 'attributeUpdate', dnStyle: 'none', dnAsAnchor: false,
  objectRename: false, password: false, partitions: false, hierarchy: false, concurrentOperations: true, deleteAddAsReplace: false, normalizations: [] };
export default {
  [Symbol.for('ecmahost.connector')]: true,
  name: ${JSON.stringify(name)}, displayName: 'Test', version: '1.0.0', description: undefined, apiVersion: ${apiVersion},
  capabilities: () => capabilities,
  getParameters: async () => [],
  validate: async () => [],
  open: async () => ({
    testConnection: async () => {},
    getSchema: async () => ({ objectTypes: [{ name: 'person', anchors: ['login'], attributes: [
      { name: 'login', type: 'string', multiValued: false }, { name: 'mail', type: 'string', multiValued: false }, { name: 'firstName', type: 'string', multiValued: false } ] }] }),
    openImport: async () => ({
      getEntries: async () => ({ more: false, entries: [{ objectType: 'person', modification: 'add', anchor: { login: 'pkg-user' },
        attributeChanges: [{ name: 'login', modification: 'add', valueChanges: [{ modification: 'add', value: 'pkg-user' }] }] }] }),
      close: async () => {},
    }),
    close: async () => {},
  }),
};
`;
}

function writePackage(name: string, pkg: Record<string, unknown>, files: Record<string, string>): void {
  const root = path.join(dir, 'node_modules', name);
  mkdirSync(root, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', ...pkg }));
}

/** A valid manifest for a connector module at `entry`, with `extra` fields on top. */
function manifest(entry: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { keywords: ['ecma-connector'], ecmahost: { connector: entry, apiVersion: API_VERSION }, peerDependencies: { '@ecmahost/sdk': '^0.1.0' }, ...extra };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-loader-'));
  writePackage('acme-connector', { ...manifest('./lib/connector.js'), main: './wrong.js' }, { 'lib/connector.js': connectorSource('acme-connector', API_VERSION) });
  writePackage('@scope/main-export', manifest('./main.js'), { 'main.js': connectorSource('@scope/main-export', API_VERSION) });
  writePackage('no-manifest', { exports: { '.': { import: './main.js' } } }, { 'main.js': connectorSource('no-manifest', API_VERSION) });
  writePackage('escaping-entry', manifest('../acme-connector/lib/connector.js'), {});
  writePackage('throwing-connector', manifest('./main.js'), { 'main.js': "throw new Error('driver missing: cannot find libfoo.so');\n" });
  writePackage('old-api-connector', manifest('./main.js'), { 'main.js': connectorSource('old-api-connector', 999) });
  writePackage('future-manifest', manifest('./main.js', { ecmahost: { connector: './main.js', apiVersion: 2 } }), { 'main.js': "throw new Error('must not be imported');\n" });
  writePackage('future-sdk', manifest('./main.js', { peerDependencies: { '@ecmahost/sdk': '^9.0.0' } }), { 'main.js': "throw new Error('must not be imported');\n" });
  writePackage('not-a-connector', manifest('./main.js'), { 'main.js': 'export default { name: "x" };\n' });
  writePackage('broken-json', {}, {});
  writeFileSync(path.join(dir, 'node_modules', 'broken-json', 'package.json'), '{"name": "broken-json", ');
  mkdirSync(path.join(dir, 'local', 'my-connector'), { recursive: true });
  writeFileSync(path.join(dir, 'local', 'my-connector', 'package.json'), JSON.stringify({ name: 'my-connector', version: '1.0.0', type: 'module', ...manifest('./c.js') }));
  writeFileSync(path.join(dir, 'local', 'my-connector', 'c.js'), connectorSource('my-connector', API_VERSION));
  writeFileSync(path.join(dir, 'local', 'module.js'), connectorSource('plain-module', API_VERSION));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadConnectorDefinition', () => {
  it('finds an installed package by its ecmahost manifest field', async () => {
    expect((await loadConnectorDefinition('acme-connector', dir)).name).toBe('acme-connector');
  });

  it('finds scoped packages, looking upwards from a sub-directory', async () => {
    expect((await loadConnectorDefinition('@scope/main-export', path.join(dir, 'local'))).name).toBe('@scope/main-export');
  });

  it('loads a package directory by path, and a module file by path without a manifest', async () => {
    expect((await loadConnectorDefinition('./local/my-connector', dir)).name).toBe('my-connector');
    expect((await loadConnectorDefinition('./local/module.js', dir)).name).toBe('plain-module');
  });

  it('refuses with a code and a message saying what is wrong', async () => {
    const refusal = (spec: string) => loadConnectorDefinition(spec, dir).then(() => undefined, (error: unknown) => ({ code: (error as PluginLoadError).code, message: (error as Error).message }));
    expect(await refusal('missing-connector')).toEqual({ code: 'not-installed', message: `connector missing-connector is not installed (looked for node_modules/missing-connector from ${dir} upwards)` });
    expect(await refusal('./local/nothing-here')).toEqual({ code: 'not-installed', message: `connector ./local/nothing-here: ${path.join(dir, 'local', 'nothing-here')} does not exist` });
    expect(await refusal('no-manifest')).toMatchObject({ code: 'not-a-connector', message: expect.stringContaining('no-manifest@1.0.0 is not an ecmahost connector: package.json "keywords" do not include "ecma-connector"; its package.json has no "ecmahost" manifest field;') });
    expect(await refusal('broken-json')).toMatchObject({ code: 'not-a-connector', message: expect.stringContaining(`connector broken-json: ${path.join(dir, 'node_modules', 'broken-json', 'package.json')} cannot be read as JSON (`) });
    expect(await refusal('escaping-entry')).toMatchObject({ code: 'not-a-connector', message: expect.stringContaining('ecmahost.connector "../acme-connector/lib/connector.js" must be a path inside the package') });
    expect(await refusal('throwing-connector')).toMatchObject({ code: 'load-failed', message: expect.stringContaining('throwing-connector@1.0.0: loading') });
    expect(await refusal('throwing-connector')).toMatchObject({ message: expect.stringContaining('failed: driver missing: cannot find libfoo.so') });
    expect(await refusal('old-api-connector')).toMatchObject({ code: 'incompatible-api-version', message: expect.stringContaining('old-api-connector@1.0.0 was built for connector API version 999; this host supports 1.') });
    expect(await refusal('future-manifest')).toMatchObject({ code: 'incompatible-api-version', message: expect.stringContaining('future-manifest@1.0.0 was built for connector API version 2;') });
    expect(await refusal('future-sdk')).toMatchObject({ code: 'incompatible-sdk', message: expect.stringContaining('future-sdk@1.0.0 supports @ecmahost/sdk ^9.0.0; this host runs @ecmahost/sdk 0.1.0.') });
    expect(await refusal('not-a-connector')).toEqual({ code: 'not-a-connector', message: 'not-a-connector@1.0.0 is not an ecmahost connector: its module has no default export made by defineConnector from @ecmahost/sdk' });
  });
});

describe('a host with a connector that fails to load', () => {
  it('reports it and serves the others', async () => {
    const base = { attributes: [{ name: 'login' }, { name: 'mail' }], scimMapping: { userName: 'login' }, deprovisioning: { disable: { action: 'none' as const }, delete: { action: 'delete' as const } } };
    const host = createHost({
      connectors: [
        fixtureConfig('Good', TOKEN_A, 'unused', { ...base, package: 'acme-connector' }),
        fixtureConfig('Broken', TOKEN_A, 'unused', { ...base, package: 'throwing-connector' }),
        fixtureConfig('Old', TOKEN_A, 'unused', { ...base, package: 'old-api-connector' }),
      ],
      nodeModulesDir: path.join(dir, 'node_modules'),
      logger: pino({ level: 'silent' }),
      certificate: { notAfter: new Date(Date.now() + 10.5 * 86_400_000) },
    });
    await host.start();
    await host.runImport('Good');
    const res = await host.app.request('/ecma2host_Good/scim/Users?filter=userName+eq+"pkg-user"', { headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(await res.json()).toMatchObject({ totalResults: 1 });
    expect(host.connectorStatus('Broken')).toMatchObject({ state: 'failing', lastError: expect.stringContaining('libfoo') });
    expect(host.connectorStatus('Old')).toMatchObject({ state: 'failing', lastError: expect.stringContaining('API version 999') });
    const broken = await host.app.request('/ecma2host_Broken/scim/Users', { headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(broken.status).toBe(503);
    expect(broken.headers.get('retry-after')).toBe('30');
    const ready = await host.app.request('/readyz');
    expect(ready.status).toBe(503);
    const report = (await ready.json()) as Record<string, unknown>;
    expect(report).toMatchObject({ ready: false, connectors: { Good: { state: 'ready', cacheSize: 1 }, Broken: { state: 'failing' } }, certificate: { daysLeft: 10 } });
    // The unauthenticated report says which connector fails, not why (the reason may quote a driver).
    expect(JSON.stringify(report)).not.toContain('libfoo');
    expect(JSON.stringify(await broken.json())).not.toContain('libfoo');
    await host.stop();
  });
});
