import { MIN_TOKEN_LENGTH, generateToken, hashToken } from '../../auth/token.js';
import { OpsError } from '../../store/errors.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { notifyHost } from '../notify-host.js';
import { recordCliAction } from './audit.js';

/** Checks a token given with `--token`. */
export function checkToken(token: string): void {
  if (token.length < MIN_TOKEN_LENGTH) throw new OpsError('invalid-argument', `the token must be at least ${MIN_TOKEN_LENGTH} characters (Entra accepts 12, but a token this host stores must resist guessing: docs/admin/security.md).`);
}

/** Prints the tenant URL and, when the host generated it, the token (shown this once only). */
export function printTokenOnce(ctx: CliContext, name: string, token: string | undefined, hostName: string, port: number): void {
  say(ctx, `Tenant URL:   https://${hostName}:${port}/ecma2host_${name}/scim`);
  if (token !== undefined) {
    say(ctx, `Secret token: ${token}`);
    say(ctx, 'The token is shown only now (the host keeps only its hash): paste it into Entra\'s "Secret Token" field.');
  }
}

/** `ecmahost token rotate <name>`: a new SCIM token (given or generated); the old one stops working. */
export async function tokenRotateCommand(ctx: CliContext, store: Store, name: string, flags: { token?: string }): Promise<void> {
  const config = await store.readConnector(name);
  const token = flags.token ?? generateToken();
  checkToken(token);
  await store.writeConnector({ ...config, tokenHash: hashToken(token) });
  await recordCliAction(ctx, store.paths.root, { action: 'token.rotate', connector: name, result: 'ok' });
  say(ctx, `Rotated the token of ${name}; the previous token no longer works once the host reloads.`);
  const settings = await store.readSettings();
  printTokenOnce(ctx, name, flags.token === undefined ? token : undefined, settings.hostName, settings.port);
  await notifyHost(ctx, store);
}
