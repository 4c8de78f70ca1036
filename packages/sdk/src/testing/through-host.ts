import type { ConnectorDefinition } from '../connector.js';
import type { ParameterValue } from '../parameters.js';
import { attributeOperation } from '../schema.js';
import type { AttributeValue } from '../values.js';
import { toValueArray } from '../values.js';
import type { CheckSession } from './harness.js';
import { fail, runImport, valuesOf } from './harness.js';

/** The host's testing entry; a string variable so that no bundler or dependency rule takes it for a static import. */
export const HOST_TESTING_MODULE: string = '@ecmahost/host/testing';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** What the kit needs of `@ecmahost/host/testing`, declared here so that the SDK never imports the host. */
interface HostTestingModule {
  startTestHost(options: {
    connector: ConnectorDefinition;
    parameters: Record<string, ParameterValue>;
    objectType: string;
    anchor: readonly string[];
    attributes: readonly { name: string; singleValue?: boolean }[];
    scimMapping?: Record<string, string>;
  }): Promise<{ baseUrl: string; token: string; close(): Promise<void> }>;
}

/** Loads the host's testing entry, or returns why the check cannot run. */
async function loadHost(specifier: string): Promise<HostTestingModule | string> {
  try {
    const loaded = (await import(specifier)) as Partial<HostTestingModule>;
    if (typeof loaded.startTestHost !== 'function') return `${specifier} has no startTestHost: install an @ecmahost/host version that has it (npm i -D @ecmahost/host@latest)`;
    return loaded as HostTestingModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || /Cannot find (package|module)|Failed to (load|resolve)/.test(message)) {
      return `${specifier} could not be loaded, so Entra's user sequence through a host did not run: install the host next to the kit with npm i -D @ecmahost/host (or set throughHost: false to say you do not want it)`;
    }
    throw error;
  }
}

/** A connector value as SCIM JSON carries it: bytes in base64 (as the host renders and reads them). */
function toJson(value: AttributeValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
}

function scimValue(values: readonly AttributeValue[], multiValued: boolean): unknown {
  return multiValued ? values.map(toJson) : toJson(values[0] as AttributeValue);
}

/**
 * The connector attribute Entra's `userName` maps to: the option, else the anchor when it is one
 * writable string. A multi-valued one (a directory's `uid`) is served as single-valued.
 */
function userNameAttribute(session: CheckSession): string {
  const configured = session.options.throughHost === false ? undefined : session.options.throughHost?.userName;
  const name = configured ?? (session.type.anchors.length === 1 ? session.type.anchors[0] : undefined);
  const definition = session.type.attributes.find((a) => a.name === name);
  const why = configured === undefined ? `the anchor (${session.type.anchors.join(', ')})` : `throughHost.userName (${configured})`;
  if (!definition) fail(`${why} is not one attribute of ${session.type.name}; set throughHost.userName to the string attribute Entra's userName maps to`);
  if (definition.type !== 'string' || attributeOperation(definition) === 'importOnly') {
    fail(`${why} is not a writable string, so Entra's userName cannot map to it; set throughHost.userName to the string attribute Entra's userName maps to`);
  }
  return definition.name;
}

/**
 * Entra's user sequence through an in-process `@ecmahost/host` over HTTP on loopback: lookup by
 * `userName eq` (none), POST (201), GET by id, GET by filter, PATCH an attribute, PATCH
 * `active: false`, DELETE (204), lookup again (none). Returns a reason when the host is not installed.
 */
export async function runThroughHost(session: CheckSession): Promise<string | undefined> {
  const { options, type } = session;
  const throughHost = options.throughHost === false ? undefined : options.throughHost;
  const host = await loadHost(throughHost?.hostModule ?? HOST_TESTING_MODULE);
  if (typeof host === 'string') return host;
  const userNameAttr = userNameAttribute(session);
  const object = options.sample(0);
  const [userName] = toValueArray(object.attributes[userNameAttr]);
  if (typeof userName !== 'string') fail(`sample(0) has no ${userNameAttr}, the attribute Entra's userName maps to`);

  // Every writable attribute of the sample goes under the extension, as Entra sends unmapped ones.
  // References are left out: over SCIM they are ids of objects the host serves, and the sample holds
  // the target's form (a DN, an anchor) of objects the host has never seen, which it refuses.
  const extension: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object.attributes)) {
    const definition = type.attributes.find((a) => a.name === name);
    if (!definition || name === userNameAttr || definition.type === 'reference' || attributeOperation(definition) === 'importOnly') continue;
    const values = toValueArray(value);
    if (values.length > 0) extension[name] = scimValue(values, definition.multiValued);
  }
  let running: Awaited<ReturnType<HostTestingModule['startTestHost']>>;
  try {
    running = await host.startTestHost({
      connector: options.connector,
      parameters: session.values,
      objectType: type.name,
      anchor: type.anchors,
      attributes: type.attributes.map((a) => (a.name === userNameAttr && a.multiValued ? { name: a.name, singleValue: true } : { name: a.name })),
      scimMapping: { userName: userNameAttr },
    });
  } catch (error) {
    fail(`through the host, the host could not serve the connector: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const call = async (step: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${running.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${running.token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: Record<string, unknown> = {};
      try {
        json = text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        // A body that is not JSON is shown as text in the failure.
      }
      const expect = (ok: boolean, what: string): void => {
        if (!ok) fail(`through the host, ${step} (${method} ${path}) ${what}; it answered ${String(response.status)} ${text.slice(0, 500)}`);
      };
      return { status: response.status, json, expect };
    };
    const lookup = `/Users?filter=${encodeURIComponent(`userName eq ${JSON.stringify(userName)}`)}`;

    const before = await call('the lookup before the POST', 'GET', lookup);
    before.expect(before.status === 200 && before.json.totalResults === 0, 'should find no user');

    const created = await call('the POST of sample(0)', 'POST', '/Users', { schemas: [CORE, EXT], userName, active: true, [EXT]: extension });
    created.expect(created.status === 201 && typeof created.json.id === 'string', 'should answer 201 with an id');
    const id = created.json.id as string;
    const stored = (await runImport(session, 'full')).entries.filter((e) => toValueArray(valuesOf(e)[userNameAttr]).includes(userName));
    if (stored.length !== 1) fail(`through the host, the POST answered 201 but a full import of the connector finds ${String(stored.length)} objects with ${userNameAttr} ${JSON.stringify(userName)}`);

    const byId = await call('the GET by id', 'GET', `/Users/${encodeURIComponent(id)}`);
    byId.expect(byId.status === 200 && byId.json.userName === userName, `should answer 200 with userName ${JSON.stringify(userName)}`);

    const found = await call('the lookup after the POST', 'GET', lookup);
    const resources = (found.json.Resources ?? []) as { id?: unknown }[];
    found.expect(found.status === 200 && found.json.totalResults === 1 && resources[0]?.id === id, `should find the user with id ${id}`);

    const name = options.singleValued;
    const definition = type.attributes.find((a) => a.name === name);
    const next = toValueArray(options.sample(1).attributes[name]);
    if (definition && next.length > 0 && name !== userNameAttr && definition.type !== 'reference' && attributeOperation(definition) !== 'importOnly') {
      const value = scimValue(next, false);
      const patch = await call(`the PATCH replacing ${name}`, 'PATCH', `/Users/${encodeURIComponent(id)}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: `${EXT}:${name}`, value }],
      });
      patch.expect(patch.status === 200 || patch.status === 204, 'should answer 200 or 204');
      const after = await call(`the GET after the PATCH of ${name}`, 'GET', `/Users/${encodeURIComponent(id)}`);
      const ext = (after.json[EXT] ?? {}) as Record<string, unknown>;
      after.expect(JSON.stringify(ext[name]) === JSON.stringify(value), `should show ${name} ${JSON.stringify(value)}`);
    }

    const disable = await call('the PATCH active=false (disable)', 'PATCH', `/Users/${encodeURIComponent(id)}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: false }],
    });
    disable.expect(disable.status === 200 || disable.status === 204, 'should answer 200 or 204');

    const deleted = await call('the DELETE', 'DELETE', `/Users/${encodeURIComponent(id)}`);
    deleted.expect(deleted.status === 204, 'should answer 204');

    const after = await call('the lookup after the DELETE', 'GET', lookup);
    after.expect(after.status === 200 && after.json.totalResults === 0, 'should find no user');
    const left = (await runImport(session, 'full')).entries.filter((e) => toValueArray(valuesOf(e)[userNameAttr]).includes(userName));
    if (left.length > 0) fail(`through the host, the DELETE answered 204 but a full import of the connector still finds ${userNameAttr} ${JSON.stringify(userName)}`);
    return undefined;
  } finally {
    await running.close();
  }
}
