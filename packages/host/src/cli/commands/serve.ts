import { resolveDataDir } from '../../store/data-dir.js';
import { runHost } from '../../server/run-host.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { parseCount } from '../connector-options.js';

/** Flags of `ecmahost serve`. */
export interface ServeFlags {
  port?: string;
  insecureHttp?: boolean;
  bind?: string;
}

/** `ecmahost serve`: serves the data directory until the bin receives SIGINT/SIGTERM. */
export async function serveCommand(ctx: CliContext, dataDir: string | undefined, flags: ServeFlags): Promise<void> {
  const port = parseCount(flags.port, '--port', 0);
  const running = await runHost({
    dataDir: resolveDataDir(dataDir, ctx.env),
    env: ctx.env,
    ...(port === undefined ? {} : { port }),
    ...(flags.insecureHttp ? { insecureHttp: true } : {}),
    ...(flags.bind === undefined ? {} : { bind: flags.bind }),
    ...(ctx.onServing === undefined ? {} : { onListening: ctx.onServing }),
  });
  for (const name of running.host.connectorNames()) say(ctx, `Serving ${name} at ${running.baseUrl}/ecma2host_${name}/scim`);
  if (running.host.connectorNames().length === 0) say(ctx, `Serving ${running.baseUrl} with no connectors yet (add one with "ecmahost connector add").`);
  if (running.certificate) say(ctx, `Certificate: ${running.certificate.subject}, ${running.certificate.daysLeft} days left`);
}
