import type { Capabilities, ConnectorDefinition, ConnectorInstance } from '@ecmahost/sdk';
import { findObjectType, instanceProblems } from '@ecmahost/sdk';
import type { Logger } from 'pino';
import { ConnectorCache } from '../cache/connector-cache.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { ignoredFeatures } from './ignored-features.js';
import { checkConnectorDefinition } from './loader.js';
import { ServedSchema } from './served-schema.js';

/**
 * A connector instance opened with one configuration and checked against it: everything the host
 * needs to serve it, complete from the start and never changed afterwards.
 */
export interface OpenConnector {
  /** The connector package's name and version. */
  readonly package: { readonly name: string; readonly version: string };
  readonly instance: ConnectorInstance;
  /** The capabilities for the configured parameter values. */
  readonly capabilities: Capabilities;
  /** The served object types, by name; the configuration selects one today (see {@link schema}). */
  readonly schemas: ReadonlyMap<string, ServedSchema>;
  /** The served schema of the configured object type. */
  readonly schema: ServedSchema;
  /** The connector space, empty until the first import. */
  readonly cache: ConnectorCache;
}

/** What {@link openConnector} needs from the host. */
export interface OpenOptions {
  load: (spec: string) => Promise<ConnectorDefinition>;
  log: Logger;
  /** Aborted when the host stops the instance; handed to the connector. */
  signal: AbortSignal;
  maxValueLength: number;
}

/**
 * Loads the configured package, opens an instance, and checks it against the configuration: its
 * capabilities and methods agree, the object type exists, every selected and mapped attribute
 * exists. Rejects with the connector's or the check's message, after closing an instance it
 * opened; logs one warning naming the declared features this host does not use.
 */
export async function openConnector(config: ConnectorInstanceConfig, options: OpenOptions): Promise<OpenConnector> {
  // Checked again here for definitions handed over by a custom loader (tests, embedding apps).
  const definition = checkConnectorDefinition(await options.load(config.package), config.package);
  const capabilities = definition.capabilities(config.parameters);
  const instance = await definition.open(config.parameters, { log: options.log, signal: options.signal });
  try {
    const problems = instanceProblems(capabilities, instance);
    if (problems.length > 0) throw new Error(`${definition.name} is inconsistent: ${problems.join('; ')}`);
    const discovered = await instance.getSchema();
    const objectType = findObjectType(discovered, config.objectType);
    if (objectType === undefined) {
      throw new Error(`object type ${config.objectType} is not in the connector's schema (${discovered.objectTypes.map((t) => t.name).join(', ')})`);
    }
    const schema = new ServedSchema(config, objectType, capabilities.exportType, options.maxValueLength);
    const ignored = ignoredFeatures(capabilities, instance);
    if (ignored.length > 0) {
      options.log.warn({ package: definition.name, ignored }, `connector declares features this host does not use: ${ignored.join(', ')}`);
    }
    return Object.freeze({
      package: Object.freeze({ name: definition.name, version: definition.version }),
      instance,
      capabilities,
      schemas: new Map([[schema.name, schema]]),
      schema,
      cache: new ConnectorCache(schema.indexed),
    });
  } catch (error) {
    await instance.close().catch(() => undefined);
    throw error;
  }
}
