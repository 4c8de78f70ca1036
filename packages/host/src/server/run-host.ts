import path from 'node:path';
import type { Logger } from 'pino';
import { reloadConnectors } from '../admin/connector-reload.js';
import type { AuditActor } from '../audit/audit-event.js';
import { AuditLog } from '../audit/audit-log.js';
import { auditErrorCode } from '../audit/import-audit.js';
import type { ConnectorReloadResult } from '../admin/connector-reload.js';
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
import { watchCertificateExpiry } from '../tls/expiry-watch.js';
import { loadTlsMaterial } from '../tls/load-tls.js';
import type { TlsMaterial } from '../tls/load-tls.js';
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
  /**
   * Called as soon as the server listens, before anything else is awaited: a caller that stops the
   * host on a signal installs its handlers here, so a SIGTERM that arrives while the run record is
   * being written still stops the host gracefully (final snapshot, exit 0).
   */
  onListening?: (running: RunningHost) => void;
}

/** A host serving a data directory. */
export interface RunningHost {
  host: Host;
  store: Store;
  server: RunningServer;
  /** `https://<host name>:<port>`, the base of the tenant URLs. */
  baseUrl: string;
  /** The certificate served to new connections (changes on reload); none over plain HTTP. */
  readonly certificate: CertificateInfo | undefined;
  /**
   * Stops within the `shutdownTimeoutSeconds` setting: stops accepting, lets running requests
   * finish (answering 503 those still running at the deadline), then stops imports and closes the
   * connectors; removes the run record.
   */
  stop(): Promise<void>;
  /**
   * Re-reads the connector files and the certificate (SIGHUP, `ecmahost reload`) without dropping
   * connections or the cache of unchanged connectors.
   */
  reload(): Promise<HostReloadResult>;
  /** The audit file of the data directory (`audit/audit.jsonl`). */
  readonly audit: AuditLog;
}

/** What {@link RunningHost.reload} did. */
export interface HostReloadResult extends ConnectorReloadResult {
  /** The certificate now served to new connections. */
  certificate?: { fingerprint256: string; daysLeft: number };
  /** Why the certificate was kept as it was (the file could not be read or used). */
  certificateError?: string;
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
  } else {
    logger.warn('serving plain HTTP (--insecure-http): Entra\'s agent requires HTTPS; use this only behind a TLS-terminating proxy or for local tests');
  }
  const adminToken = await store.readAdminToken();
  const audit = new AuditLog({
    dir: path.join(store.paths.root, 'audit'),
    maxFileBytes: Math.round(settings.audit.maxFileMegabytes * 1024 * 1024),
    keepFiles: settings.audit.keepFiles,
    // Logged once until writes work again; every lost line is counted in ecmahost_audit_lines_lost_total.
    onError: (error) => logger.error({ err: { message: error.message } }, 'cannot write the audit file; audit lines are lost until it works again'),
  });
  const host = createHost({
    audit,
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
    // Read through a getter: a reload changes the served certificate.
    ...(material ? { certificate: { get notAfter() { return served.certificate?.validTo ?? new Date(0); } } } : {}),
  });
  host.metrics.trackAudit(() => ({ dropped: audit.dropped, failed: audit.failed }));
  const served: { certificate?: CertificateInfo } = material ? { certificate: material.certificate } : {};
  const stopExpiryWatch = material ? watchCertificateExpiry(() => served.certificate?.validTo ?? new Date(0), logger, host.metrics.registry) : () => undefined;
  const loaded = new Map(connectors.map((c) => [c.name, c]));
  let reload: () => Promise<HostReloadResult> = () => Promise.reject(new Error('the host is not serving yet'));
  host.app.route(
    '/admin',
    createAdminRoutes({ host, store, adminToken, allowRemote: settings.adminAllowRemote, trustProxy: settings.trustProxy, loaded, reload: () => reload(), audit }),
  );
  // Activity is kept only for the connectors this host serves (now, after rotations and removals).
  const activity = new ActivityLog({ isServed: (name) => host.connectorNames().includes(name) });
  const adminConsole = mountConsole(host.app, { host, store, adminToken, allowRemote: settings.adminAllowRemote, trustProxy: settings.trustProxy, activity, audit });
  await host.start();
  let server: RunningServer;
  try {
    server = await startServer({ fetch: adminConsole.wrapFetch(host.app.fetch), port, ...(options.bind === undefined ? {} : { hostname: options.bind }), ...(material ? { tls: material.serverOptions } : {}) });
  } catch (error) {
    stopExpiryWatch();
    await host.stop();
    await audit.close();
    throw error;
  }
  const runningServer = server;
  reload = () => reloadServing({ host, store, loaded, server: runningServer, served, logger, tls: material !== undefined });
  // Started now, awaited below: stop() waits for it, so a stop in between never leaves the record behind.
  const recorded = store.writeRunRecord({
    pid: process.pid,
    port: server.port,
    protocol: server.protocol,
    ...(material ? { fingerprint256: material.certificate.fingerprint256 } : {}),
    startedAt: new Date().toISOString(),
  });
  const baseUrl = `${server.protocol}://${settings.hostName}:${server.port}`;
  let stopping: Promise<void> | undefined;
  const running: RunningHost = {
    host,
    store,
    server,
    baseUrl,
    get certificate() {
      return served.certificate;
    },
    stop() {
      stopping ??= (async () => {
        stopExpiryWatch();
        await stopWithinDeadline(host, runningServer, Date.now() + settings.shutdownTimeoutSeconds * 1000, logger);
        await recorded.catch(() => undefined);
        const record = await store.readRunRecord();
        if (record?.pid === process.pid && record.port === runningServer.port) await store.clearRunRecord();
        await audit.close();
        // The bin exits right after: the asynchronous log destination would lose the last lines.
        await new Promise<void>((resolve) => logger.flush(() => resolve()));
      })();
      return stopping;
    },
    reload: () => audited(audit, 'signal', reload),
    audit,
  };
  options.onListening?.(running);
  try {
    await recorded;
  } catch (error) {
    await running.stop();
    throw error;
  }
  logger.info({ url: baseUrl, connectors: connectors.map((c) => `${baseUrl}/ecma2host_${c.name}/scim`), console: `${baseUrl}/console`, certificate: material?.source }, 'ecmahost is serving');
  return running;
}

/** Runs a reload that came without an HTTP request (SIGHUP) and records it as `/admin/reload`'s are. */
async function audited(audit: AuditLog, actor: AuditActor, reload: () => Promise<HostReloadResult>): Promise<HostReloadResult> {
  try {
    const result = await reload();
    audit.record({
      actor,
      action: 'reload',
      result: 'ok',
      detail: { reloaded: result.reloaded, failed: result.failed.map((f) => f.name), ...(result.certificate ? { certificate: result.certificate.fingerprint256 } : {}) },
    });
    return result;
  } catch (error) {
    audit.record({ actor, action: 'reload', result: 'failed', error: auditErrorCode(error) });
    throw error;
  }
}

/**
 * The shutdown order: stop accepting and let running requests finish (cut with 503 at the
 * deadline), then stop imports and close the connectors — bounded by the same deadline, since a
 * connector stuck in a call must not keep a service manager waiting until it kills the host.
 */
async function stopWithinDeadline(host: Host, server: RunningServer, deadline: number, logger: Logger): Promise<void> {
  const { cut } = await server.shutdown(deadline);
  if (cut > 0) logger.warn({ requests: cut }, 'the shutdown deadline passed: requests still running were answered 503');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
    timer.unref();
  });
  const outcome = await Promise.race([host.stop().then(() => 'stopped' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') logger.warn('the shutdown deadline passed before every connector closed; exiting anyway');
}

/**
 * Reloads the certificate (one that cannot be used keeps the old one serving), then the connectors.
 * The certificate goes first: replacing a connector waits for the writes running on the old
 * instance, and a new certificate must not wait for them.
 */
async function reloadServing(options: {
  host: Host;
  store: Store;
  loaded: Map<string, ConnectorInstanceConfig>;
  server: RunningServer;
  served: { certificate?: CertificateInfo };
  logger: Logger;
  tls: boolean;
}): Promise<HostReloadResult> {
  const { store, server, served, logger } = options;
  const certificate = options.tls ? await reloadCertificate(store, server, served, logger) : {};
  const result: HostReloadResult = { ...(await reloadConnectors(options.host, store, options.loaded)), ...certificate };
  logger.info({ reloaded: result.reloaded, failed: result.failed.map((f) => f.name) }, 'reloaded the configuration');
  return result;
}

/** Serves the certificate the settings name now to new connections, and records its fingerprint for the CLI. */
async function reloadCertificate(store: Store, server: RunningServer, served: { certificate?: CertificateInfo }, logger: Logger): Promise<Pick<HostReloadResult, 'certificate' | 'certificateError'>> {
  let material: TlsMaterial;
  try {
    material = await loadTlsMaterial(await store.readSettings(), store.paths, { generate: false });
    server.setCertificate(material.serverOptions);
  } catch (error) {
    const certificateError = (error as Error).message;
    logger.error({ err: { message: certificateError } }, 'the new certificate cannot be used; the old one is still served');
    return { certificateError };
  }
  const changed = material.certificate.fingerprint256 !== served.certificate?.fingerprint256;
  served.certificate = material.certificate;
  if (changed) {
    logger.info({ subject: material.certificate.subject, fingerprint256: material.certificate.fingerprint256, source: material.source }, 'serving a new certificate');
    const record = await store.readRunRecord();
    if (record?.pid === process.pid && record.port === server.port) await store.writeRunRecord({ ...record, fingerprint256: material.certificate.fingerprint256 });
  }
  return { certificate: { fingerprint256: material.certificate.fingerprint256, daysLeft: material.certificate.daysLeft } };
}
