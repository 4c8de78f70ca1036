import path from 'node:path';
import { generateToken, hashToken, verifyToken } from '../auth/token.js';
import { runHost } from '../server/run-host.js';
import type { RunningHost } from '../server/run-host.js';
import { readIfExists, writeFileAtomic } from '../store/files.js';
import { decryptValue, encryptValue } from '../store/secret-box.js';
import { initStore, isInitialized, openStore } from '../store/store.js';
import { DEMO_CONNECTOR, demoConnectorConfig } from './demo-config.js';
import { ensureDemoDatabase } from './demo-database.js';

/** Options of {@link startDemo}. */
export interface StartDemoOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

/** A running demo and what to tell the user. */
export interface RunningDemo {
  running: RunningHost;
  token: string;
  tenantUrl: string;
  databaseFile: string;
  /** Lines to print: the tenant URL, the token and curl commands to paste. */
  instructions: string[];
}

function demoInstructions(tenantUrl: string, token: string, databaseFile: string, dataDir: string): string[] {
  const auth = `-H "Authorization: Bearer ${token}"`;
  const json = '-H "Content-Type: application/scim+json"';
  return [
    '',
    'ecmahost demo: Microsoft\'s Generic SQL tutorial (Employees table) on SQLite',
    `  Tenant URL:    ${tenantUrl}`,
    `  Secret token:  ${token}`,
    `  Database:      ${databaseFile}`,
    `  Data dir:      ${dataDir}`,
    '',
    'Try it (the certificate is self-signed, hence -k):',
    `  curl -k ${auth} '${tenantUrl}/Users?filter=userName%20eq%20%22alice%22'`,
    '',
    'Create a user:',
    `  curl -k ${auth} ${json} -X POST '${tenantUrl}/Users' -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice","name":{"givenName":"Alice","familyName":"Smith"},"emails":[{"type":"work","value":"alice@contoso.com"}],"active":true}'`,
    '',
    'Then PATCH /Users/<id> (e.g. {"Operations":[{"op":"replace","path":"active","value":false}]}) and DELETE /Users/<id>;',
    `see docs/admin/install.md. Stop with Ctrl+C; data stays in ${databaseFile}.`,
  ];
}

/**
 * Starts the demo: a data directory (created on first start) holding an SQLite database with
 * Microsoft's tutorial table and a `GenericSQL` connector instance over it, served over HTTPS. The
 * token is `ECMAHOST_DEMO_TOKEN`, else the one generated on first start (kept encrypted under
 * the host key so later starts can print it again).
 */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const { dataDir, env } = options;
  const store = (await isInitialized(dataDir)) ? await openStore(dataDir, env) : (await initStore(dataDir, { settings: { hostName: 'localhost' }, env })).store;
  const databaseFile = path.join(store.paths.root, 'demo', 'contoso.db');
  await ensureDemoDatabase(databaseFile);
  const tokenFile = path.join(store.paths.root, 'demo', 'token.enc');
  const { key } = store.hostKey;
  const saved = await readIfExists(tokenFile);
  let token = env.ECMAHOST_DEMO_TOKEN;
  if (token === undefined || token === '') token = saved === undefined ? generateToken() : decryptValue(key, saved.trim(), `the demo token in ${tokenFile}`);
  if (saved === undefined || decryptValue(key, saved.trim(), `the demo token in ${tokenFile}`) !== token) await writeFileAtomic(tokenFile, `${encryptValue(key, token)}\n`, 0o600);
  // The demo owns its connector: rewritten at each start so a newer demo's settings apply to an
  // older data directory, keeping the token hash while the token is unchanged.
  const existing = (await store.hasConnector(DEMO_CONNECTOR)) ? await store.readConnector(DEMO_CONNECTOR) : undefined;
  const tokenHash = existing !== undefined && verifyToken(token, existing.tokenHash) ? existing.tokenHash : hashToken(token);
  await store.writeConnector(demoConnectorConfig(databaseFile, tokenHash));
  const running = await runHost({ dataDir: store.paths.root, env });
  const tenantUrl = `${running.baseUrl}/ecma2host_${DEMO_CONNECTOR}/scim`;
  return { running, token, tenantUrl, databaseFile, instructions: demoInstructions(tenantUrl, token, databaseFile, store.paths.root) };
}
