import { SUPPORTED_API_VERSIONS, runningSdkVersion } from '../../plugins/compatibility.js';
import { CONNECTOR_KEYWORD, findPlugins } from '../../plugins/find-plugins.js';
import type { CliContext } from '../context.js';
import { say } from '../context.js';

/** `ecmahost plugins list`. */
export async function pluginsListCommand(ctx: CliContext, dataDir: string): Promise<void> {
  const plugins = await findPlugins(dataDir);
  if (plugins.length === 0) {
    say(ctx, `No connector packages found (packages with the "${CONNECTOR_KEYWORD}" keyword). Install one: ecmahost plugins install <package or tarball>.`);
    return;
  }
  say(ctx, `This host supports connector API version ${SUPPORTED_API_VERSIONS.join(', ')}. It runs @ecmahost/sdk ${runningSdkVersion()}.`);
  for (const p of plugins) {
    const status = p.problem === undefined ? 'loadable' : `NOT loadable: ${p.problem}${p.code === undefined ? '' : ` [${p.code}]`}`;
    say(ctx, `${p.name}@${p.version}  api ${p.apiVersion ?? '?'}  ${status}`);
  }
}
