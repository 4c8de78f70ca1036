import type { ConnectorContext, ConnectorInstance, Partition, Schema } from '@ecmahost/sdk';
import { ConnectorError, isConnectorError } from '@ecmahost/sdk';
import type { LdapPool } from './client.js';
import { createPool, openConnection } from './client.js';
import type { LdapConfig } from './config.js';
import { checkSources } from './delta-source.js';
import type { Discovery } from './discovery.js';
import { discover, readRootDse } from './discovery.js';
import { connectorErrorOf, isLdapOperationError } from './errors.js';
import { dnKey } from './escape.js';
import { openExportSession } from './export-session.js';
import { CONTAINER_FILTER, buildHierarchy } from './hierarchy.js';
import { openImportSession } from './import-session.js';
import { openPasswordSession } from './password-session.js';
import type { ServerInfo } from './root-dse.js';
import { featureWarnings } from './root-dse.js';
import { buildSchema } from './schema-builder.js';

const CHANGE_LOGS = new Set(['cn=accesslog', 'cn=changelog']);

/** The naming contexts that hold data (the change log suffixes are not partitions). */
export function dataPartitions(config: LdapConfig, server: ServerInfo): Partition[] {
  const skip = new Set([...CHANGE_LOGS, ...(config.changeLogDn === undefined ? [] : [dnKey(config.changeLogDn)])]);
  return server.namingContexts.filter((dn) => !skip.has(dnKey(dn))).map((dn) => ({ id: dn, dn, name: dn }));
}

/** Opens an instance: a pool of bound connections and discovery done once, on first need. */
export function createInstance(config: LdapConfig, context: ConnectorContext): ConnectorInstance {
  const pool: LdapPool = createPool(config);
  let discovery: Promise<Discovery> | undefined;

  const discovered = async (refresh = false): Promise<Discovery> => {
    if (discovery === undefined || refresh) {
      const next = pool.use((connection) => discover(connection));
      discovery = next;
      next.then(
        (d) => {
          for (const warning of featureWarnings(d.server)) context.log.warn({ url: config.url }, warning);
          for (const problem of d.problems) context.log.warn({ url: config.url }, `schema description skipped: ${problem}`);
        },
        () => {
          // A failed discovery is retried on the next call rather than remembered.
          if (discovery === next) discovery = undefined;
        },
      );
    }
    try {
      return await discovery;
    } catch (error) {
      throw connectorErrorOf(error, 'schema discovery');
    }
  };

  const basesOf = (server: ServerInfo) => (config.containers.length > 0 ? config.containers : dataPartitions(config, server).map((p) => p.dn));
  const bases = (d: Discovery) => basesOf(d.server);

  return {
    async testConnection() {
      let connection;
      try {
        connection = await openConnection(config);
        const server = await readRootDse(connection);
        await checkSources(connection, config, server, basesOf(server));
      } catch (error) {
        if (isConnectorError(error)) throw error;
        const failure = connectorErrorOf(error, `Cannot connect to ${config.url}`);
        if (failure.code === 'server-down' || failure.code === 'internal') throw new ConnectorError('connection-failed', failure.message, { cause: error });
        throw failure;
      } finally {
        await connection?.close();
      }
    },
    async getSchema(): Promise<Schema> {
      const d = await discovered(true);
      return buildSchema(d.schema, {
        objectClasses: config.objectClasses,
        anchor: config.anchor,
        includeOperational: config.includeOperational,
        aliases: config.aliases,
        passwordAttribute: config.passwordAttribute,
      });
    },
    async getPartitions() {
      return dataPartitions(config, (await discovered()).server);
    },
    async getHierarchy(partition) {
      try {
        return await pool.use(async (connection) => {
          const containers = [];
          for await (const page of connection.searchPages(partition.dn, { scope: 'sub', filter: CONTAINER_FILTER, attributes: ['1.1'] }, 500)) containers.push(...page);
          return buildHierarchy(partition.dn, containers);
        });
      } catch (error) {
        throw isLdapOperationError(error) ? connectorErrorOf(error, `reading the containers of ${partition.dn}`) : error;
      }
    },
    async openImport(runStep) {
      const d = await discovered();
      return openImportSession({ pool, config, discovery: d, log: context.log, signal: context.signal, partitions: dataPartitions(config, d.server).map((p) => p.dn) }, runStep);
    },
    async openExport(runStep) {
      return openExportSession({ pool, config, discover: () => discovered(), log: context.log, bases }, runStep);
    },
    async openPassword() {
      return openPasswordSession({ pool, config, discover: () => discovered(), log: context.log, bases });
    },
    async close() {
      await pool.close();
    },
  };
}
