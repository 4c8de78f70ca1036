import { shownParameters } from '../configure/shown-parameters.js';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MIN_TOKEN_LENGTH, generateToken, hashToken } from '../auth/token.js';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { additionalSchemaAnswersOf, buildConnectorConfig, runProfileAnswersOf, schemaAnswersOf } from '../configure/build-config.js';
import type { RunProfileAnswers } from '../configure/build-config.js';
import { testAndDiscover } from '../configure/connection-test.js';
import { connectorNameProblem } from '../configure/connector-name.js';
import { DEFAULT_AUTOSYNC_MINUTES, DEFAULT_PAGE_SIZE } from '../configure/defaults.js';
import { KeyedLock } from '../connectors/keyed-lock.js';
import { parametersFromGiven } from '../configure/parameter-pages.js';
import { applySchemaChoices, checkSchemaAnswers, objectTypeOf } from '../configure/schema-choices.js';
import type { SchemaAnswers } from '../configure/schema-choices.js';
import type { Schema } from '@ecmahost/sdk';
import type { Host } from '../host.js';
import { loadDefinition, normalizePackageSpec } from '../plugins/connector-loading.js';
import { isOpsError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { ConnectorRequest, TypeRequest } from './connector-request.js';
import { parseConnectorRequest } from './connector-request.js';

/** What {@link createConnectorRoutes} changes: the running host, the store and the admin routes' record of what is loaded. */
export interface ConnectorRoutesOptions {
  host: Host;
  store: Store;
  /** The configuration each running connector was last loaded with (`/admin/reload` compares against it). */
  loaded: Map<string, ConnectorInstanceConfig>;
}

/** The largest body `PUT` reads: a configuration is a few kilobytes (a certificate or two at most). */
export const MAX_CONNECTOR_BODY_BYTES = 256 * 1024;

type AdminEnv = { Bindings: Partial<HttpBindings> };

/** Why a request was refused: the status, and the message and problems the caller is told. */
class Refusal extends Error {
  constructor(
    readonly status: 400 | 404 | 422,
    message: string,
    readonly problems?: readonly string[],
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

const refuse = (c: Context, refusal: Refusal): Response => c.json(refusal.problems === undefined ? { error: refusal.message } : { error: refusal.message, problems: refusal.problems }, refusal.status);

/** The stored configuration as the API shows it: secrets masked, no token hash. */
function maskedConfig(config: ConnectorInstanceConfig): Record<string, unknown> {
  const { tokenHash: _hash, ...rest } = config;
  return { ...rest, parameters: shownParameters(config.parameters) };
}

/** Run profile answers from the request over `current` (or the defaults). */
function runProfilesOf(request: ConnectorRequest, current: RunProfileAnswers | undefined): RunProfileAnswers {
  const base = current ?? { fullPageSize: DEFAULT_PAGE_SIZE, deltaPageSize: DEFAULT_PAGE_SIZE };
  const given = request.runProfiles ?? {};
  const answers: RunProfileAnswers = { fullPageSize: given.fullImportPageSize ?? base.fullPageSize };
  const delta = given.deltaImportPageSize === undefined ? base.deltaPageSize : given.deltaImportPageSize;
  if (delta !== null && delta !== undefined) answers.deltaPageSize = delta;
  return answers;
}

/**
 * Builds the configuration the request asks for, the way `connector add` / `connector set` do with
 * flags: the connector loaded, its parameter pages walked with the given values (a change keeps the
 * values, secrets included, that the request leaves out), the connection tested and the schema
 * discovered, the schema choices applied and checked. Throws a {@link Refusal}.
 */
async function buildRequested(store: Store, name: string, request: ConnectorRequest, current: ConnectorInstanceConfig | undefined): Promise<{ config: ConnectorInstanceConfig; token?: string }> {
  if (current === undefined && request.package === undefined) throw new Refusal(400, 'the request is incomplete', ['package is required for a new connector.']);
  if (current !== undefined && request.token !== undefined) throw new Refusal(400, 'the request is not valid', ['token: a change keeps the SCIM token; make a new one with "ecmahost token rotate".']);
  if (request.token !== undefined && request.token.length < MIN_TOKEN_LENGTH) throw new Refusal(400, 'the request is not valid', [`token must be at least ${MIN_TOKEN_LENGTH} characters (Entra accepts 12, but a token this host stores must resist guessing: docs/admin/security.md).`]);
  const spec = request.package === undefined ? (current?.package ?? '') : normalizePackageSpec(request.package, store.paths.root);
  const definition = await loadDefinition(spec, store.paths.root);
  const parameters = await parametersFromGiven(definition, { ...current?.parameters, ...request.parameters });
  const schema = await testAndDiscover(definition, parameters);
  const typeName = request.objectType ?? current?.objectType ?? (schema.objectTypes.length === 1 ? schema.objectTypes[0]?.name : undefined);
  const found = `discovery found ${schema.objectTypes.map((t) => t.name).join(', ') || 'no object type'}`;
  if (typeName === undefined) throw new Refusal(400, 'the request is incomplete', [`objectType is required: ${found}.`]);
  const type = objectTypeOf(schema, typeName);
  if (type === undefined) throw new Refusal(400, 'the request is not valid', [`objectType: ${found}, not ${typeName}.`]);
  const answers = applySchemaChoices(type, choicesOf(request), current === undefined ? undefined : schemaAnswersOf(current));
  const issues = checkSchemaAnswers(schema, answers);
  if (issues.length > 0) throw new Refusal(400, `the schema choices do not fit ${type.name}`, issues.map((i) => `${i.field}: ${i.message}`));
  const additionalSchemas = request.additionalTypes === undefined ? (current === undefined ? [] : additionalSchemaAnswersOf(current)) : additionalAnswers(schema, request.additionalTypes, current);
  const token = current === undefined ? (request.token ?? generateToken()) : undefined;
  const config = buildConnectorConfig({
    name,
    package: spec,
    autosyncMinutes: request.autosyncMinutes ?? current?.autosyncMinutes ?? DEFAULT_AUTOSYNC_MINUTES,
    tokenHash: token === undefined ? (current?.tokenHash ?? '') : hashToken(token),
    parameters,
    schema: answers,
    additionalSchemas,
    runProfiles: runProfilesOf(request, current === undefined ? undefined : runProfileAnswersOf(current.runProfiles)),
    deltaSupported: definition.capabilities(parameters).deltaImport === true,
  });
  const serveBeforeRefresh = request.serveBeforeRefresh ?? current?.serveBeforeRefresh;
  if (serveBeforeRefresh !== undefined) config.serveBeforeRefresh = serveBeforeRefresh;
  // A token the caller chose is theirs already; only a generated one is returned (this once).
  return request.token === undefined && token !== undefined ? { config, token } : { config };
}

/** The schema choices a request (or one of its further types) makes; absent members keep the current answers. */
function choicesOf(request: Pick<TypeRequest, 'anchor' | 'attributes' | 'dn' | 'deprovisioning' | 'scimMapping'>) {
  const flows = request.deprovisioning ?? {};
  return {
    ...(request.anchor === undefined ? {} : { anchor: request.anchor }),
    ...(request.attributes === undefined ? {} : { attributes: request.attributes }),
    ...(request.dn === undefined ? {} : { dn: request.dn }),
    ...(flows.disable === undefined ? {} : { disable: flows.disable }),
    ...(flows.delete === undefined ? {} : { delete: flows.delete }),
    ...(request.scimMapping === undefined ? {} : { scimMapping: request.scimMapping }),
  };
}

/**
 * The answers of each requested further object type: its choices over the current answers for
 * that type (a change) or the defaults for its resource type, checked like the top-level type's.
 */
function additionalAnswers(schema: Schema, requests: readonly TypeRequest[], current: ConnectorInstanceConfig | undefined): SchemaAnswers[] {
  const found = `discovery found ${schema.objectTypes.map((t) => t.name).join(', ') || 'no object type'}`;
  return requests.map((request, i) => {
    const type = objectTypeOf(schema, request.objectType);
    if (type === undefined) throw new Refusal(400, 'the request is not valid', [`additionalTypes[${i}].objectType: ${found}, not ${request.objectType}.`]);
    const before = current?.additionalTypes?.find((t) => t.objectType === request.objectType);
    const answers = applySchemaChoices(
      type,
      { resourceType: request.resourceType, ...choicesOf(request) },
      before === undefined ? undefined : { ...schemaAnswersOf(before), resourceType: request.resourceType },
    );
    const issues = checkSchemaAnswers(schema, answers);
    if (issues.length > 0) throw new Refusal(400, `the schema choices do not fit ${type.name}`, issues.map((issue) => `additionalTypes[${i}].${issue.field}: ${issue.message}`));
    return answers;
  });
}

/**
 * Opens the configuration on the running host before anything is stored: a change replaces the
 * running instance only once the new one has opened (the old one keeps serving otherwise), a new
 * connector that does not start is taken out again. Throws a {@link Refusal} with the reason.
 */
async function openOnHost(host: Host, config: ConnectorInstanceConfig): Promise<void> {
  if (host.connectorNames().includes(config.name)) {
    try {
      await host.replaceConnector(config);
    } catch (error) {
      throw new Refusal(422, `the new configuration of ${config.name} does not open; the running one was kept: ${(error as Error).message}`);
    }
    return;
  }
  await host.addConnector(config);
  const status = host.connectorStatus(config.name);
  if (status?.state === 'failing') {
    await host.removeConnector(config.name);
    throw new Refusal(422, `${config.name} does not open: ${status.lastError ?? 'see the host log'}`);
  }
}

/** An `OpsError` of the configure steps as the refusal the caller sees; anything else is rethrown (a 500). */
function refusalOf(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  if (isOpsError(error)) {
    if (error.code === 'invalid-argument') {
      const [first = error.message, ...rest] = error.message.split('\n');
      return rest.length > 0 ? new Refusal(400, first.replace(/:$/, ''), rest.map((l) => l.replace(/^\s*- /, ''))) : new Refusal(400, 'the request is not valid', [first]);
    }
    // The package does not load, or the connector refused the connection: nothing the body's shape can fix.
    if (error.code === 'connector-load-failed' || error.code === 'connector-failed') return new Refusal(422, error.message);
  }
  throw error;
}

/**
 * `PUT /connectors/:name` (create or change a connector from the answers the CLI flags take, built
 * and checked by `configure/`, opened before it is stored) and `DELETE /connectors/:name`. Mounted
 * by the admin routes behind their credential check.
 */
export function createConnectorRoutes(options: ConnectorRoutesOptions): Hono<AdminEnv> {
  const { host, store, loaded } = options;
  const routes = new Hono<AdminEnv>();
  // Two requests for one name (a retried PUT, a PUT racing a DELETE) run one after the other: each
  // reads what the other stored, and the host never gets the same name added twice.
  const changes = new KeyedLock(4);

  routes.put(
    '/connectors/:name',
    bodyLimit({ maxSize: MAX_CONNECTOR_BODY_BYTES, onError: (c) => c.json({ error: `the body is larger than ${MAX_CONNECTOR_BODY_BYTES} bytes; nothing was changed.` }, 413) }),
    async (c) => {
      const name = c.req.param('name');
      const nameProblem = connectorNameProblem(name);
      if (nameProblem !== undefined) return refuse(c, new Refusal(400, 'the connector name is not valid', [nameProblem]));
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (error) {
        return refuse(c, new Refusal(400, 'the body is not JSON', [(error as Error).message]));
      }
      const parsed = parseConnectorRequest(body);
      if (!parsed.ok) return refuse(c, new Refusal(400, 'the request is not valid', parsed.problems));
      return changes.run(name, async () => {
        const current = (await store.hasConnector(name)) ? await store.readConnector(name) : undefined;
        let built: { config: ConnectorInstanceConfig; token?: string };
        try {
          built = await buildRequested(store, name, parsed.request, current);
          await openOnHost(host, built.config);
        } catch (error) {
          return refuse(c, refusalOf(error));
        }
        await store.writeConnector(built.config);
        loaded.set(name, built.config);
        const answer = { connector: maskedConfig(built.config), ...(built.token === undefined ? {} : { token: built.token }) };
        return c.json(answer, current === undefined ? 201 : 200);
      });
    },
  );

  routes.delete('/connectors/:name', async (c) => {
    const name = c.req.param('name');
    return changes.run(name, async () => {
      const stored = connectorNameProblem(name) === undefined && (await store.hasConnector(name));
      const running = host.connectorNames().includes(name);
      if (!stored && !running) return refuse(c, new Refusal(404, `no connector named ${name}.`));
      if (running) await host.removeConnector(name);
      if (stored) await store.removeConnector(name);
      loaded.delete(name);
      return c.body(null, 204);
    });
  });

  return routes;
}
