import type { Capabilities, ConnectorDefinition, ConnectorInstance, Schema } from '@ecmahost/sdk';
import { findObjectType, instanceProblems } from '@ecmahost/sdk';
import type { Logger } from 'pino';
import { ConnectorCache } from '../cache/connector-cache.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { resourceTypeName, servedTypesOf } from '../config/connector-config.js';
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
  /** The served object types, by object type name, in configuration order. */
  readonly schemas: ReadonlyMap<string, ServedSchema>;
  /** The served schema of the top-level (first) object type. */
  readonly schema: ServedSchema;
  /** The connector space of each served object type, by object type name; empty until the first import. */
  readonly caches: ReadonlyMap<string, ConnectorCache>;
  /** The connector space of the top-level object type. */
  readonly cache: ConnectorCache;
  /** The connector schema restricted to every served type and attribute: what import and export sessions are opened with. */
  readonly sessionSchema: Schema;
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
    const schemas = new Map<string, ServedSchema>();
    const endpoints = new Set<string>();
    for (const type of servedTypesOf(config)) {
      const objectType = findObjectType(discovered, type.objectType);
      if (objectType === undefined) {
        throw new Error(`object type ${type.objectType} is not in the connector's schema (${discovered.objectTypes.map((t) => t.name).join(', ')})`);
      }
      if (schemas.has(objectType.name)) throw new Error(`object type ${objectType.name} is served twice`);
      // '.' is not in base64url, so a prefixed id never equals an id of the first type.
      const prefix = schemas.size === 0 ? '' : `${resourceTypeName(type)}.`;
      const served = new ServedSchema(type, objectType, capabilities.exportType, options.maxValueLength, prefix);
      const endpoint = served.resource.endpoint.toLowerCase();
      if (endpoints.has(endpoint)) throw new Error(`two object types are served at /${served.resource.endpoint}`);
      endpoints.add(endpoint);
      schemas.set(objectType.name, served);
    }
    const schema = schemas.values().next().value!;
    const ignored = ignoredFeatures(capabilities, instance);
    if (ignored.length > 0) {
      options.log.warn({ package: definition.name, ignored }, `connector declares features this host does not use: ${ignored.join(', ')}`);
    }
    const caches = new Map([...schemas].map(([name, served]) => [name, new ConnectorCache(served.indexed, [...served.kept.keys()])]));
    return Object.freeze({
      package: Object.freeze({ name: definition.name, version: definition.version }),
      instance,
      capabilities,
      schemas,
      schema,
      caches,
      cache: caches.get(schema.name)!,
      sessionSchema: { objectTypes: [...schemas.values()].flatMap((s) => s.sessionSchema.objectTypes) },
    });
  } catch (error) {
    await instance.close().catch(() => undefined);
    throw error;
  }
}
