import type { ConnectorDefinition, ParameterValue } from '@ecmahost/sdk';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { generateToken, hashToken } from '../auth/token.js';
import type { DisableFlow, SelectedAttribute } from '../config/connector-config.js';
import { createHost } from '../host.js';
import { startServer } from '../server/start-server.js';

/** Options of {@link startTestHost}: one connector instance, configured as an admin would. */
export interface TestHostOptions {
  /** The connector under test: the default export of its package. */
  connector: ConnectorDefinition;
  /** The values of its parameter pages, as `connector.open` receives them. */
  parameters: Record<string, ParameterValue>;
  /** The object type served as SCIM Users. */
  objectType: string;
  /** Its anchor attribute(s). */
  anchor: readonly string[];
  /**
   * The attributes served, each reachable through the ECMA2Host extension schema; `singleValue`
   * serves a multi-valued one as single-valued (a directory's `uid` that `userName` maps to).
   */
  attributes: readonly SelectedAttribute[];
  /** Core SCIM paths onto connector attributes, e.g. `{ userName: 'login' }`. */
  scimMapping?: Record<string, string>;
  /** What `active: false` does; default nothing (the connector sees no change). */
  disable?: DisableFlow;
  /** Where the host logs; default nowhere. */
  logger?: Logger;
}

/** A host serving one connector over HTTP on loopback, for tests. */
export interface TestHost {
  /** The SCIM base URL of the connector, e.g. `http://127.0.0.1:41234/ecma2host_conformance/scim`. */
  baseUrl: string;
  /** The bearer token it accepts. */
  token: string;
  /** Stops the server and the host, closing the connector instance. */
  close(): Promise<void>;
}

/** The instance name in the URL: `/ecma2host_conformance/scim`. */
const NAME = 'conformance';

/**
 * Starts `@ecmahost/host` in this process on one connector, listening on 127.0.0.1 (a free port,
 * plain HTTP), and waits for its first full import. The conformance kit of `@ecmahost/sdk/testing`
 * drives Entra's user sequence through it; embedders' tests can use it the same way.
 *
 * Throws when the connector does not open or its first import fails, with the host's message.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const token = generateToken();
  const host = createHost({
    connectors: [
      {
        name: NAME,
        package: options.connector.name,
        autosyncMinutes: 0,
        tokenHash: hashToken(token),
        parameters: options.parameters,
        objectType: options.objectType,
        anchor: [...options.anchor],
        dn: { autogenerate: true },
        attributes: options.attributes.map((a) => ({ ...a })),
        deprovisioning: { disable: options.disable ?? { action: 'none' }, delete: { action: 'delete' } },
        runProfiles: { export: { batchSize: 1 }, fullImport: { pageSize: 100 } },
        ...(options.scimMapping === undefined ? {} : { scimMapping: options.scimMapping }),
      },
    ],
    // The connector is given, not installed: the loader hands it over whatever the package name.
    loadConnector: async () => options.connector,
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  await host.start();
  try {
    await host.runImport(NAME);
  } catch (error) {
    await host.stop();
    throw error;
  }
  const status = host.connectorStatus(NAME);
  if (status?.state !== 'ready') {
    await host.stop();
    throw new Error(`the host could not serve the connector (state ${String(status?.state)}): ${status?.lastError ?? 'no error recorded'}`);
  }
  const running = await startServer({ fetch: host.app.fetch, port: 0, hostname: '127.0.0.1' }).catch(async (error: unknown) => {
    await host.stop();
    throw error;
  });
  return {
    baseUrl: `http://127.0.0.1:${String(running.port)}/ecma2host_${NAME}/scim`,
    token,
    async close() {
      await running.close();
      await host.stop();
    },
  };
}
