import path from 'node:path';
import type { ConnectorDefinition } from '@ecmahost/sdk';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { NO_AUDIT } from './audit/audit-event.js';
import type { AuditSink } from './audit/audit-event.js';
import type { QueryPlan } from './cache/connector-cache.js';
import type { ConnectorInstanceConfig } from './config/connector-config.js';
import { servedTypesOf } from './config/connector-config.js';
import { connectorNameProblem } from './configure/connector-name.js';
import { loadConnectorDefinition } from './connectors/loader.js';
import { ConnectorRuntime } from './connectors/runtime.js';
import type { ConnectorStatus, ImportOptions, ImportSummary } from './connectors/runtime.js';
import { UserOperations } from './connectors/user-operations.js';
import { createDefaultLogger } from './logging/default-logger.js';
import { HostMetrics } from './metrics/host-metrics.js';
import { handleError } from './middleware/error-handler.js';
import { requestLog } from './middleware/request-log.js';
import { scimWriteAudit } from './middleware/scim-write-audit.js';
import { scimJson } from './middleware/scim-response.js';
import { tokenBackoff } from './middleware/bearer-auth.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import type { HealthDetailsCheck, ReadinessReport } from './routes/health-routes.js';
import type { HostEnv, ServedConnector } from './routes/host-env.js';
import { registerScimRoutes } from './routes/scim-routes.js';
import { ScimError } from './scim/errors.js';
import { readPaging } from './scim/list-response.js';
import type { ScimResource } from './scim/resource-path.js';

/** Default largest request body: far above any SCIM user, far below what could hurt the host. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** Default longest attribute value (characters) accepted from SCIM. */
export const DEFAULT_MAX_VALUE_LENGTH = 8192;

/** Options of {@link createHost}. */
export interface HostOptions {
  /** The configured connector instances. Names must be unique (case-sensitive). */
  connectors: ConnectorInstanceConfig[];
  /** pino logger; default JSON lines on stdout at `ECMAHOST_LOG_LEVEL` (default `info`). */
  logger?: Logger;
  /** Where installed connector packages are looked up (`node_modules` from here upwards) and relative paths resolve; default the working directory. */
  resolveFrom?: string;
  /** A `node_modules` directory to load connector packages from; shorthand for `resolveFrom: dirname(nodeModulesDir)`. */
  nodeModulesDir?: string;
  /** Replaces the package loader (tests, embedding apps). */
  loadConnector?: (spec: string) => Promise<ConnectorDefinition>;
  /** The serving certificate's expiry, reported by `/readyz` and `status()`. */
  certificate?: { notAfter: Date };
  /** Directory for watermarks kept across restarts; none kept when absent. */
  stateDir?: string;
  /** Largest request body in bytes (default 1 MiB); larger bodies get 413. */
  bodyLimitBytes?: number;
  /** Longest attribute value in characters accepted from SCIM (default 8192); longer ones get 400. */
  maxValueLength?: number;
  /** Called after a request verified a connector's token against an old hash format, with a stronger hash to store. */
  onTokenRehash?: (name: string, tokenHash: string) => void;
  /** Who sees connector names and sizes in `/readyz` and `/metrics` (see `registerHealthRoutes`); default everyone. */
  showHealthDetails?: HealthDetailsCheck;
  /** Addresses of trusted TLS proxies (`trustProxy` in host.yaml): the client of their requests is the `X-Forwarded-For` one, for the token backoff. */
  trustProxy?: readonly string[];
  /** Where SCIM writes and scheduled imports are recorded (the data directory's audit file); none when absent. */
  audit?: AuditSink;
}

/** What `host.queryCache` returns. */
export interface CacheQueryResult {
  resources: ScimResource[];
  totalResults: number;
  plan: QueryPlan;
}

/** What `host.status()` returns. */
export interface HostStatus {
  /** Every connector is `ready`: none loading, importing its first import, degraded or failing. */
  ready: boolean;
  connectors: ConnectorStatus[];
  certificate?: { notAfter: string; daysLeft: number };
}

/** A running (or startable) host. */
export interface Host {
  /** The Hono app: `app.fetch` for a server, `app.request()` in tests. `/admin/*` is left free for admin routes. */
  readonly app: Hono<HostEnv>;
  readonly metrics: HostMetrics;
  /** Loads and opens every connector; first imports continue in the background. Never rejects for a failing connector. */
  start(): Promise<void>;
  /** Stops timers, imports and connector instances. */
  stop(): Promise<void>;
  /** Runs an import of one connector now (or joins the running one). */
  runImport(name: string, options?: ImportOptions): Promise<ImportSummary>;
  connectorStatus(name: string): ConnectorStatus | undefined;
  status(): HostStatus;
  /** Queries a connector's cache as `GET /Users?filter=` does, without HTTP. */
  queryCache(name: string, filter?: string, paging?: { startIndex?: number; count?: number }): CacheQueryResult;
  /** Adds and starts a connector instance. */
  addConnector(config: ConnectorInstanceConfig): Promise<void>;
  /** Stops and removes a connector instance. */
  removeConnector(name: string): Promise<void>;
  /**
   * Replaces a connector instance's configuration. On a started host the new configuration is
   * loaded and opened first (package, instance, schema, object type, attributes): when that fails
   * the call rejects with the reason and the old instance keeps serving; else the new instance
   * takes over and the old one is stopped.
   */
  replaceConnector(config: ConnectorInstanceConfig): Promise<void>;
  /** Replaces a connector's token hash; the next request uses it. */
  rotateToken(name: string, tokenHash: string): void;
  /** Names of the configured connectors. */
  connectorNames(): string[];
}


/**
 * Creates the host: the SCIM routes of every connector, `/healthz`, `/readyz`, `/metrics`, one
 * error renderer. Nothing runs until `start()`.
 */
export function createHost(options: HostOptions): Host {
  const logger = options.logger ?? createDefaultLogger();
  const metrics = new HostMetrics();
  const resolveFrom = options.resolveFrom ?? (options.nodeModulesDir !== undefined ? path.dirname(path.resolve(options.nodeModulesDir)) : process.cwd());
  const load = options.loadConnector ?? ((spec: string) => loadConnectorDefinition(spec, resolveFrom));
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const maxValueLength = options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH;
  const served = new Map<string, ServedConnector>();
  const audit = options.audit ?? NO_AUDIT;
  let started = false;

  const entryFor = (config: ConnectorInstanceConfig): ServedConnector => {
    const problem = connectorNameProblem(config.name);
    if (problem !== undefined) throw new Error(problem);
    const runtime = new ConnectorRuntime(config, { load, logger, metrics, stateDir: options.stateDir, maxValueLength, audit });
    const resources = servedTypesOf(config).map((type) => new UserOperations(runtime, type.objectType));
    return { runtime, users: resources[0]!, resources };
  };
  const create = (config: ConnectorInstanceConfig): ServedConnector => {
    if (served.has(config.name)) throw new Error(`connector ${config.name} is configured twice`);
    const entry = entryFor(config);
    served.set(config.name, entry);
    return entry;
  };
  for (const config of options.connectors) create(config);
  // Every served type's space counts (a connector serving Users and Groups).
  metrics.trackCacheSizes(() => Object.fromEntries([...served].map(([name, s]) => [name, [...(s.runtime.opened?.open.caches.values() ?? [])].reduce((size, cache) => size + cache.size, 0)])));

  const require = (name: string): ServedConnector => {
    const entry = served.get(name);
    if (entry === undefined) throw new Error(`no connector named ${name}`);
    return entry;
  };

  const certificate = (): HostStatus['certificate'] => {
    if (options.certificate === undefined) return undefined;
    const notAfter = options.certificate.notAfter;
    return { notAfter: notAfter.toISOString(), daysLeft: Math.floor((notAfter.getTime() - Date.now()) / 86_400_000) };
  };

  const status = (): HostStatus => {
    const connectors = [...served.values()].map((s) => s.runtime.status());
    const out: HostStatus = { ready: connectors.every((c) => c.state === 'ready'), connectors };
    const cert = certificate();
    if (cert) out.certificate = cert;
    return out;
  };

  const app = new Hono<HostEnv>();
  app.use('*', requestLog(logger, metrics));
  if (options.audit) app.use('*', scimWriteAudit(options.audit));
  registerHealthRoutes(
    app,
    (): ReadinessReport => {
      const s = status();
      const report: ReadinessReport = {
        ready: s.ready,
        connectors: Object.fromEntries(
          s.connectors.map((c) => [
            c.name,
            // No lastError here: /readyz needs no token, and an error may quote a driver or a configuration.
            { state: c.state, cacheSize: c.cacheSize, ...(c.lastImport ? { lastImport: c.lastImport } : {}), ...(c.nextImports ? { nextImports: c.nextImports } : {}) },
          ]),
        ),
      };
      if (s.certificate) report.certificate = s.certificate;
      return report;
    },
    metrics,
    options.showHealthDetails,
  );
  registerScimRoutes(app, {
    lookup: (name) => served.get(name),
    logger,
    bodyLimitBytes,
    ...(options.onTokenRehash ? { onTokenRehash: options.onTokenRehash } : {}),
    tokenBackoff: tokenBackoff(),
    trustProxy: options.trustProxy ?? [],
  });
  app.notFound((c) => scimJson(new ScimError(404, undefined, `Nothing at ${c.req.path.slice(0, 200)}; connectors are served at /ecma2host_<name>/scim.`).toJSON(), 404));
  app.onError(handleError(logger));

  return {
    app,
    metrics,
    async start() {
      started = true;
      await Promise.all([...served.values()].map((s) => s.runtime.start()));
    },
    async stop() {
      started = false;
      await Promise.all([...served.values()].map((s) => s.runtime.stop()));
    },
    runImport(name, importOptions = {}) {
      return require(name).runtime.runImport(importOptions);
    },
    connectorStatus(name) {
      return served.get(name)?.runtime.status();
    },
    status,
    queryCache(name, filter, paging = {}) {
      const page = require(name).users.query(filter, readPaging(paging.startIndex?.toString(), paging.count?.toString()), `/ecma2host_${name}/scim`);
      return { resources: page.resources, totalResults: page.total, plan: page.plan };
    },
    async addConnector(config) {
      const entry = create(config);
      if (started) await entry.runtime.start();
    },
    async removeConnector(name) {
      const entry = require(name);
      served.delete(name);
      await entry.runtime.stop();
    },
    async replaceConnector(config) {
      const old = served.get(config.name);
      if (old === undefined || !started) {
        if (old) {
          served.delete(config.name);
          await old.runtime.stop();
        }
        const entry = create(config);
        if (started) await entry.runtime.start();
        return;
      }
      // The new configuration is opened while the old instance serves: a configuration that cannot
      // open (a wrong password, a missing object type) is refused and takes nothing down.
      const entry = entryFor(config);
      await entry.runtime.open();
      served.set(config.name, entry);
      await old.runtime.stop();
      entry.runtime.begin();
    },
    rotateToken(name, tokenHash) {
      require(name).runtime.setTokenHash(tokenHash);
    },
    connectorNames() {
      return [...served.keys()];
    },
  };
}
