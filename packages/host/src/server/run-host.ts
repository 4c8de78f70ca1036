import type { Logger } from 'pino';
import { createAdminRoutes } from '../admin/routes.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { loadDefinition } from '../plugins/connector-loading.js';
import { ActivityLog, mountConsole } from '../console/index.js';
import { createHost } from '../host.js';
import type { Host } from '../host.js';
import { createDefaultLogger } from '../logging/default-logger.js';
import { presentsCredential } from '../middleware/admin-credential.js';
import { OpsError } from '../store/errors.js';
import { openStore } from '../store/store.js';
import type { Store } from '../store/store.js';
import type { CertificateInfo } from '../tls/certificate-info.js';
import { EXPIRY_WARNING_DAYS } from '../tls/certificate-info.js';
import { loadTlsMaterial } from '../tls/load-tls.js';
import type { RunningServer } from './start-server.js';
import { startServer } from './start-server.js';

/** Options of {@link runHost}. */
export interface RunHostOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides `ECMAHOST_PORT` and `host.yaml`; 0 picks a free port. */
  port?: number;
  /** Plain HTTP instead of HTTPS (`--insecure-http`, `ECMAHOST_INSECURE_HTTP=1`). */
  insecureHttp?: boolean;
  /** Bind address; all interfaces when absent. */
  bind?: string;
  logger?: Logger;
}

/** A host serving a data directory. */
export interface RunningHost {
  host: Host;
  store: Store;
  server: RunningServer;
  /** `https://<host name>:<port>`, the base of the tenant URLs. */
  baseUrl: string;
  certificate?: CertificateInfo;
  /** Stops serving, then stops the connectors; removes the run record. */
  stop(): Promise<void>;
}

/** The port to serve: the explicit one, else `ECMAHOST_PORT`, else the settings'. */
export function resolvePort(explicit: number | undefined, env: NodeJS.ProcessEnv, fromSettings: number): number {
  if (explicit !== undefined) return explicit;
  const fromEnv = env.ECMAHOST_PORT;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv) || Number(fromEnv) > 65535) throw new OpsError('invalid-argument', `ECMAHOST_PORT must be a port number, got "${fromEnv}".`);
    return Number(fromEnv);
  }
  return fromSettings;
}

/**
 * Serves a data directory: opens the store, loads the certificate (warning when it expires within
 * 30 days), creates the host with every configured connector and the `/admin` routes, starts the
 * server and writes the run record the CLI uses to find it.
 */
export async function runHost(options: RunHostOptions): Promise<RunningHost> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createDefaultLogger();
  const store = await openStore(options.dataDir, env);
  const settings = await store.readSettings();
  // One unreadable connector file must not take the others down: it is logged and not served
  // (as Microsoft's host shows a broken connector in red). A wrong host key already failed above.
  const connectors: ConnectorInstanceConfig[] = [];
  for (const name of await store.listConnectorNames()) {
    try {
      connectors.push(await store.readConnector(name));
    } catch (error) {
      logger.error({ connector: name, err: { message: (error as Error).message } }, 'cannot read the connector configuration; it is not served');
    }
  }
  const port = resolvePort(options.port, env, settings.port);
  const insecure = options.insecureHttp ?? env.ECMAHOST_INSECURE_HTTP === '1';
  const material = insecure ? undefined : await loadTlsMaterial(settings, store.paths);
  if (material) {
    const cert = material.certificate;
    if (material.generated) logger.info({ subject: cert.subject, sans: cert.subjectAltNames, file: store.paths.selfSignedCert }, 'generated a self-signed certificate');
    if (cert.daysLeft < EXPIRY_WARNING_DAYS) logger.warn({ daysLeft: cert.daysLeft, notAfter: cert.validTo.toISOString() }, 'the certificate expires soon: run "ecmahost cert generate" or install a new one');
  } else {
    logger.warn('serving plain HTTP (--insecure-http): Entra\'s agent requires HTTPS; use this only behind a TLS-terminating proxy or for local tests');
  }
  const adminToken = await store.readAdminToken();
  const host = createHost({
    connectors,
    // Load balancers see ready or not; names, states and sizes need the admin credential unless host.yaml says otherwise.
    ...(settings.publicHealthDetails ? {} : { showHealthDetails: (authorization: string | undefined) => presentsCredential(authorization, adminToken) }),
    trustProxy: settings.trustProxy,
    logger,
    loadConnector: (spec) => loadDefinition(spec, store.paths.root),
    stateDir: store.paths.state,
    // A token hash of an older format is replaced by a scrypt one the first time the token is presented.
    onTokenRehash: (name, tokenHash) => {
      host.rotateToken(name, tokenHash);
      void store
        .readConnector(name)
        .then((config) => store.writeConnector({ ...config, tokenHash }))
        .catch((error: unknown) => logger.warn({ connector: name, err: { message: (error as Error).message } }, 'could not store the upgraded token hash'));
    },
    ...(material ? { certificate: { notAfter: material.certificate.validTo } } : {}),
  });
  host.app.route(
    '/admin',
    createAdminRoutes({ host, store, adminToken, allowRemote: settings.adminAllowRemote, trustProxy: settings.trustProxy, loaded: connectors }),
  );
  // Activity is kept only for the connectors this host serves (now, after rotations and removals).
  const activity = new ActivityLog({ isServed: (name) => host.connectorNames().includes(name) });
  const adminConsole = mountConsole(host.app, { host, store, adminToken, allowRemote: settings.adminAllowRemote, trustProxy: settings.trustProxy, activity });
  await host.start();
  let server: RunningServer;
  try {
    server = await startServer({ fetch: adminConsole.wrapFetch(host.app.fetch), port, ...(options.bind === undefined ? {} : { hostname: options.bind }), ...(material ? { tls: material.serverOptions } : {}) });
  } catch (error) {
    await host.stop();
    throw error;
  }
  await store.writeRunRecord({
    pid: process.pid,
    port: server.port,
    protocol: server.protocol,
    ...(material ? { fingerprint256: material.certificate.fingerprint256 } : {}),
    startedAt: new Date().toISOString(),
  });
  const baseUrl = `${server.protocol}://${settings.hostName}:${server.port}`;
  logger.info({ url: baseUrl, connectors: connectors.map((c) => `${baseUrl}/ecma2host_${c.name}/scim`), console: `${baseUrl}/console`, certificate: material?.source }, 'ecmahost is serving');
  let stopped = false;
  return {
    host,
    store,
    server,
    baseUrl,
    ...(material ? { certificate: material.certificate } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await host.stop();
      const record = await store.readRunRecord();
      if (record?.pid === process.pid && record.port === server.port) await store.clearRunRecord();
    },
  };
}
