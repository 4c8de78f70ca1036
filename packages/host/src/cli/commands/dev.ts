import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { generateToken } from '../../auth/token.js';
import { runHost } from '../../server/run-host.js';
import { initStore, isInitialized, openStore } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { parseCount } from '../connector-options.js';
import { connectorAddCommand } from './connector-add.js';

/** Flags of `ecmahost dev`. */
export interface DevFlags {
  param?: string[];
  seed?: string[];
  scim?: string[];
  port?: string;
  name?: string;
}

/** The folder under the project the dev host keeps its data in (the template's .gitignore lists it). */
export const DEV_DATA_DIR = '.ecmahost-dev';

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * `ecmahost dev [project]`: a host on a connector's working copy, for its author. Keeps its data in
 * `<project>/.ecmahost-dev/` (made on first run, with a token kept there so it survives restarts),
 * copies each `--seed` file there once (so restarts keep what provisioning changed), configures the
 * project as connector `Dev` afresh (a changed schema is picked up; the host proposes the SCIM
 * mapping, `userName` from the anchor), and serves plain HTTP on loopback, printing the tenant URL,
 * the token and curl lines to paste. Restarting on change is the caller's (`tsup --watch --onSuccess`).
 */
export async function devCommand(ctx: CliContext, project: string | undefined, flags: DevFlags): Promise<void> {
  const root = path.resolve(ctx.cwd, project ?? '.');
  const dataDir = path.join(root, DEV_DATA_DIR);
  const name = flags.name ?? 'Dev';
  const port = parseCount(flags.port, '--port', 0);
  if (!(await isInitialized(dataDir))) await initStore(dataDir, { settings: { hostName: 'localhost' }, env: ctx.env });
  for (const seed of flags.seed ?? []) {
    const target = path.join(dataDir, path.basename(seed));
    if ((await readIfExists(target)) === undefined) await copyFile(path.resolve(root, seed), target);
  }
  const tokenFile = path.join(dataDir, 'dev-token');
  let token = (await readIfExists(tokenFile))?.trim();
  if (token === undefined || token === '') {
    token = generateToken();
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  }
  const store = await openStore(dataDir, ctx.env);
  if (await store.hasConnector(name)) await store.removeConnector(name);
  // connector add's own lines (the tenant URL with the HTTPS port, "shown only now") do not fit a
  // dev host; this command prints its own.
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const { prompter: _asksNothing, ...rest } = ctx;
  await connectorAddCommand({ ...rest, stdout: quiet, cwd: root }, store, name, {
    package: root,
    ...(flags.param === undefined ? {} : { param: flags.param }),
    ...(flags.scim === undefined ? {} : { scim: flags.scim }),
    token,
  });
  const config = await store.readConnector(name);
  const running = await runHost({ dataDir, env: ctx.env, insecureHttp: true, bind: '127.0.0.1', ...(port === undefined ? {} : { port }), ...(ctx.onServing === undefined ? {} : { onListening: ctx.onServing }) });
  const url = `${running.baseUrl}/ecma2host_${name}/scim`;
  const auth = `-H "Authorization: Bearer ${token}"`;
  say(ctx, `Serving ${config.objectType} (anchor ${config.anchor.join('+')}) from ${root}`);
  say(ctx, `Tenant URL:   ${url}`);
  say(ctx, `Secret token: ${token}`);
  say(ctx, 'Try it:');
  say(ctx, `  curl -s ${auth} -H "Content-Type: application/scim+json" -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jdoe","active":true}' ${url}/Users`);
  say(ctx, `  curl -s ${auth} '${url}/Users?filter=userName%20eq%20%22jdoe%22'`);
}
