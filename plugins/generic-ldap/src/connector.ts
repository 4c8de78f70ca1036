import type { Capabilities, ParameterDefinition, ParameterRequest, ParameterValues } from '@ecmahost/sdk';
import { defineConnector } from '@ecmahost/sdk';
import { openConnection } from './client.js';
import { readConfig } from './config.js';
import { readableChangeLogs } from './delta-source.js';
import { readRootDse } from './discovery.js';
import { createInstance } from './instance.js';
import { parametersOf, validateParameters } from './parameters.js';
import { withPresetDefaults } from './presets.js';
import { OID, featureWarnings } from './root-dse.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * As many writes at once as the pool has bound connections (`poolSize`, 4 by default, as
 * `readConfig` reads it). An unreadable size says nothing here: `open` refuses it with its name.
 */
function poolBound(values: ParameterValues): Pick<Capabilities, 'maxConcurrentOperations'> {
  const text = str(values.poolSize).trim();
  if (text === '') return { maxConcurrentOperations: 4 };
  return /^\d+$/.test(text) ? { maxConcurrentOperations: Math.max(1, Number(text)) } : {};
}

/**
 * The Global page starts with what the server says about itself, as Microsoft's connector shows
 * it: vendor, naming contexts, and the "Mandatory Features Not Found" warnings.
 */
async function serverLabel(values: ParameterValues): Promise<ParameterDefinition> {
  try {
    const config = await readConfig({ ...values, connectTimeout: str(values.connectTimeout) || '10', operationTimeout: str(values.operationTimeout) || '10' });
    const connection = await openConnection(config);
    try {
      const info = await readRootDse(connection);
      const logs = await readableChangeLogs(connection, info);
      const lines = [
        `Server: ${info.vendorName ?? info.vendor}${info.vendorVersion ? ` ${info.vendorVersion}` : ''}`,
        `Naming contexts: ${info.namingContexts.join('; ') || 'none'}`,
        `Change logs for delta import: ${logs.join('; ') || 'none readable by this identity (choose modifyTimestamp or none)'}`,
        `Password Modify operation: ${info.supportedExtensions.has(OID.passwordModify) ? 'offered' : 'not offered'}`,
        `SASL mechanisms: ${info.saslMechanisms.join(', ') || 'none'}`,
        ...featureWarnings(info).map((w) => `Warning: ${w}`),
      ];
      return { name: 'serverInfo', type: 'label', label: 'Server', text: lines.join('\n') };
    } finally {
      await connection.close();
    }
  } catch (error) {
    return { name: 'serverInfo', type: 'label', label: 'Server', text: `The server could not be read: ${(error as Error).message}` };
  }
}

/**
 * Generic LDAP: OpenLDAP, 389 Directory Server, AD LDS and other LDAP v3 directories, after
 * Microsoft's Generic LDAP connector (`Microsoft.IAM.Connector.GenericLdap`).
 */
export const genericLdap = defineConnector({
  name: '@ecmahost/connector-generic-ldap',
  displayName: 'Generic LDAP',
  version: '0.1.0',
  description: 'LDAP v3 directories (OpenLDAP, 389 DS, AD LDS): schema discovery, paged and delta import, export with rename, passwords.',
  capabilities: (given) => {
    // The AD LDS preset decides the anchor and delta method when they are left out.
    const values = withPresetDefaults(given);
    return {
      import: true,
      deltaImport: str(values.deltaMethod) !== 'none',
      export: true,
      exportType: 'attributeUpdate',
      dnStyle: 'ldap',
      dnAsAnchor: (str(values.anchor) || '-dn-') === '-dn-',
      objectRename: true,
      password: true,
      partitions: true,
      hierarchy: true,
      concurrentOperations: true,
      ...poolBound(values),
      deleteAddAsReplace: false,
    };
  },
  async parameters(request: ParameterRequest) {
    const definitions = parametersOf(request);
    if (request.page === 'global' && request.pageNumber === 1 && str(request.values.host) !== '') return [await serverLabel(request.values), ...definitions];
    return definitions;
  },
  validate: (request) => validateParameters(request),
  async open(values, context) {
    return createInstance(await readConfig(values), context);
  },
});
