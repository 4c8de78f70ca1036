import { describe, expect, it } from 'vitest';
import { API_VERSION } from './api-version.js';
import type { ConnectorInstance } from './connector.js';
import { assertApiVersion, defineConnector, instanceProblems, isConnectorDefinition } from './connector.js';
import { resolveCapabilities } from './capabilities.js';
import { isConnectorError } from './errors.js';
import { silentLogger } from './context.js';

const instance: ConnectorInstance = {
  async testConnection() {},
  async getSchema() {
    return { objectTypes: [] };
  },
  async close() {},
};

const spec = {
  name: '@acme/connector-csv',
  displayName: 'CSV file',
  version: '1.2.3',
  capabilities: { export: true },
  open: async () => instance,
};

describe('defineConnector', () => {
  it('stamps the contract version and normalises the spec', async () => {
    const connector = defineConnector(spec);
    expect(connector.apiVersion).toBe(API_VERSION);
    expect(Number.isInteger(connector.apiVersion)).toBe(true);
    expect(connector).toMatchObject({ name: '@acme/connector-csv', displayName: 'CSV file', version: '1.2.3', description: undefined });
    expect(await connector.validate({ page: 'connectivity', pageNumber: 1, values: {} })).toEqual([]);
    expect(await connector.getParameters({ page: 'global', pageNumber: 1, values: {} })).toEqual([]);
  });

  it('fills capabilities with defaults, from data or from the configured values', () => {
    expect(defineConnector(spec).capabilities({})).toEqual(resolveCapabilities({ export: true }));
    const computed = defineConnector({ ...spec, capabilities: (values) => ({ deltaImport: values.changeLog === true }) });
    expect(computed.capabilities({ changeLog: true }).deltaImport).toBe(true);
    expect(computed.capabilities({}).deltaImport).toBe(false);
    expect(computed.capabilities({}).import).toBe(true);
  });

  it('serves static parameter pages on page number 1 only', async () => {
    const connector = defineConnector({ ...spec, parameters: { connectivity: [{ type: 'string', name: 'path', required: true }] } });
    expect(await connector.getParameters({ page: 'connectivity', pageNumber: 1, values: {} })).toHaveLength(1);
    expect(await connector.getParameters({ page: 'connectivity', pageNumber: 2, values: {} })).toEqual([]);
    expect(await connector.getParameters({ page: 'schema', pageNumber: 1, values: {} })).toEqual([]);
  });

  it('passes earlier values to computed parameter pages and the connector validation', async () => {
    const connector = defineConnector({
      ...spec,
      parameters: ({ page, values }) => (page === 'global' && values.mode === 'sql' ? [{ type: 'text', name: 'query' }] : []),
      validate: ({ values }) => (values.path === '/nope' ? [{ parameter: 'path', message: 'No such file.' }] : []),
    });
    expect(await connector.getParameters({ page: 'global', pageNumber: 1, values: { mode: 'sql' } })).toEqual([{ type: 'text', name: 'query' }]);
    expect(await connector.getParameters({ page: 'global', pageNumber: 1, values: {} })).toEqual([]);
    expect(await connector.validate({ page: 'connectivity', pageNumber: 1, values: { path: '/nope' } })).toEqual([{ parameter: 'path', message: 'No such file.' }]);
  });

  it('opens through the spec with the values and context', async () => {
    let seen: unknown;
    const connector = defineConnector({ ...spec, open: async (values) => ((seen = values), instance) });
    const opened = await connector.open({ path: '/x' }, { log: silentLogger, signal: new AbortController().signal });
    expect(opened).toBe(instance);
    expect(seen).toEqual({ path: '/x' });
  });

  it.each(['name', 'displayName', 'version'] as const)('refuses a spec without %s', (key) => {
    expect(() => defineConnector({ ...spec, [key]: '' })).toThrow(`defineConnector: ${key} is required`);
  });

  it('is recognised by brand, not by class', () => {
    expect(isConnectorDefinition(defineConnector(spec))).toBe(true);
    expect(isConnectorDefinition({ ...spec, apiVersion: 1 })).toBe(false);
    expect(isConnectorDefinition({ [Symbol.for('ecmahost.connector')]: true })).toBe(true);
    expect(isConnectorDefinition(undefined)).toBe(false);
  });
});

describe('assertApiVersion', () => {
  it('accepts a supported version', () => {
    expect(() => assertApiVersion(defineConnector(spec))).not.toThrow();
    expect(() => assertApiVersion({ name: 'x', apiVersion: 2 }, [1, 2])).not.toThrow();
  });

  it('refuses another version with an error naming both versions', () => {
    let error: unknown;
    try {
      assertApiVersion({ name: '@acme/connector-csv', apiVersion: 7 }, [1]);
    } catch (e) {
      error = e;
    }
    expect(isConnectorError(error) && error.code).toBe('unsupported-api-version');
    expect((error as Error).message).toMatch(/@acme\/connector-csv was built for connector API version 7, but this host supports version 1/);
  });
});

describe('instanceProblems', () => {
  it('is empty when the capabilities match the instance', () => {
    expect(instanceProblems(resolveCapabilities({ import: false }), instance)).toEqual([]);
  });

  it('names each declared capability whose method is missing', () => {
    const caps = resolveCapabilities({ import: true, export: true, password: true, dnStyle: 'ldap', partitions: true, hierarchy: true });
    expect(instanceProblems(caps, instance)).toEqual([
      'capability import is declared but openImport is missing',
      'capability export is declared but openExport is missing',
      'capability password is declared but openPassword is missing',
      'capability partitions is declared but getPartitions is missing',
      'capability hierarchy is declared but getHierarchy is missing',
    ]);
  });

  it('includes contradictions inside the capabilities', () => {
    const caps = resolveCapabilities({ import: false, deltaImport: true, partitions: true, objectRename: true, dnAsAnchor: true });
    expect(instanceProblems(caps, { ...instance, getPartitions: async () => [] })).toEqual([
      'deltaImport needs import',
      "partitions need dnStyle 'ldap'",
      "dnAsAnchor needs a dnStyle other than 'none'",
      "objectRename needs a dnStyle other than 'none'",
    ]);
  });

  it('accepts a positive whole maxConcurrentOperations and names any other', () => {
    const problems = (max: number) => instanceProblems(resolveCapabilities({ import: false, maxConcurrentOperations: max }), instance);
    expect(problems(1)).toEqual([]);
    expect(problems(8)).toEqual([]);
    expect(problems(0)).toEqual(['maxConcurrentOperations must be a positive integer (got 0)']);
    expect(problems(2.5)).toEqual(['maxConcurrentOperations must be a positive integer (got 2.5)']);
    expect(problems(Number.NaN)).toEqual(['maxConcurrentOperations must be a positive integer (got NaN)']);
  });
});

describe('resolveCapabilities', () => {
  it('keeps defaults for members given as undefined', () => {
    const partial = JSON.parse('{"export": true}') as Record<string, unknown>;
    partial.import = undefined;
    expect(resolveCapabilities(partial).import).toBe(true);
  });
});
