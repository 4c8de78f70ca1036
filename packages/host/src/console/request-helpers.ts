import type { Context } from 'hono';
import type { Store } from '../store/store.js';
import type { ConsoleEnv, FormFields } from './console-env.js';
import type { PageContext } from './layout.js';

/** The page context of a request's session, taking its one-time message. */
export function pageContext(c: Context<ConsoleEnv>): PageContext {
  const session = c.get('session');
  const ctx: PageContext = { csrf: session.csrf, signedIn: session.authenticated };
  if (session.flash !== undefined) {
    ctx.flash = session.flash;
    delete session.flash;
  }
  return ctx;
}

/** The tenant URL Entra is given for a connector: the settings' host name, the port this request reached. */
export async function tenantUrl(c: Context<ConsoleEnv>, store: Store, name: string): Promise<string> {
  const url = new URL(c.req.url);
  const settings = await store.readSettings();
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return `${url.protocol}//${settings.hostName}:${port}/ecma2host_${name}/scim`;
}

/** The posted form fields (repeated fields as arrays). */
export async function formOf(c: Context<ConsoleEnv>): Promise<FormFields> {
  return (await c.req.parseBody({ all: true })) as FormFields;
}
