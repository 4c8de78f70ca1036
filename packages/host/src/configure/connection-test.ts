import type { ConnectorDefinition, ParameterValue, Schema } from '@ecmahost/sdk';
import { withInstance } from '../plugins/connector-loading.js';

/**
 * Opens the connector with a configuration's parameters, runs its `testConnection` (which checks
 * what the configuration will use: the bind, the delta source...) and discovers the schema, as the
 * wizard does before Object Types. Every front-end runs it before storing a new or changed
 * configuration; a failure is an `OpsError('connector-failed')` with the connector's message.
 */
export async function testAndDiscover(definition: ConnectorDefinition, parameters: Readonly<Record<string, ParameterValue>>): Promise<Schema> {
  return withInstance(definition, { ...parameters }, async (instance) => {
    await instance.testConnection();
    return instance.getSchema();
  });
}
