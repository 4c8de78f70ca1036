import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hostPackage } from '../../service/host-package.js';
import { SERVICE_PLATFORMS, currentServicePlatform, runServiceCommand, serviceManager } from '../../service/service-manager.js';
import type { ServiceManager } from '../../service/service-manager.js';
import { DEFAULT_SERVICE_NAME, checkServiceName } from '../../service/service-spec.js';
import type { ServiceSpec } from '../../service/service-spec.js';
import { dataDirPaths, resolveDataDir } from '../../store/data-dir.js';
import { OpsError } from '../../store/errors.js';
import type { CliContext } from '../context.js';
import { say, warn } from '../context.js';

/** Flags of `ecmahost service install | uninstall | status`. */
export interface ServiceFlags {
  name?: string;
  user?: string;
  platform?: string;
  dir?: string;
  print?: boolean;
}

/** A command line as an admin types it: arguments with spaces or quotes in double quotes. */
function shown(command: readonly string[]): string {
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

interface Resolved {
  spec: ServiceSpec;
  manager: ServiceManager;
  file: string;
  /** Set when the manager's commands cannot run on this machine, with the reason. */
  unavailable: string | undefined;
}

async function resolve(ctx: CliContext, dataDir: string | undefined, flags: ServiceFlags): Promise<Resolved> {
  let platform = currentServicePlatform();
  if (flags.platform !== undefined) {
    platform = SERVICE_PLATFORMS[flags.platform];
    if (platform === undefined) throw new OpsError('invalid-argument', `--platform expects linux, macos or windows, got "${flags.platform}".`);
  }
  if (platform === undefined) throw new OpsError('invalid-argument', `no service manager is known for ${process.platform}; pass --platform linux, macos or windows with --print to see a definition.`);
  const spec: ServiceSpec = { name: checkServiceName(flags.name ?? DEFAULT_SERVICE_NAME), nodePath: process.execPath, cliPath: hostPackage().cliPath, dataDir: resolveDataDir(dataDir, ctx.env) };
  if (flags.user !== undefined) spec.user = flags.user;
  const manager = serviceManager(platform);
  const file = path.join(path.resolve(flags.dir ?? manager.defaultDir(spec)), manager.fileName(spec));
  const foreign = platform !== currentServicePlatform();
  return { spec, manager, file, unavailable: foreign ? `the definition is for ${platform}, and this is ${process.platform}` : await manager.unavailable() };
}

/**
 * `ecmahost service install`: writes the service definition of this machine's service manager
 * (systemd unit, launchd job, WinSW XML) that runs the installed `ecmahost serve` on the data
 * directory, then enables and starts it when the manager runs here; else it says what to run.
 * `--print` only prints the definition.
 */
export async function serviceInstallCommand(ctx: CliContext, dataDir: string | undefined, flags: ServiceFlags): Promise<void> {
  const { spec, manager, file, unavailable } = await resolve(ctx, dataDir, flags);
  const definition = manager.definition(spec);
  if (flags.print === true) {
    ctx.stdout.write(definition);
    return;
  }
  if (!existsSync(dataDirPaths(spec.dataDir).hostSettings)) {
    throw new OpsError('not-initialized', `${spec.dataDir} is not an ecmahost data directory (no host.yaml): run "ecmahost init --data-dir ${spec.dataDir}" first, so that the service has something to serve.`);
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, definition, { mode: 0o644 });
  say(ctx, `Wrote ${file}: runs ${shown([spec.nodePath, spec.cliPath, '--data-dir', spec.dataDir, 'serve'])}${spec.user === undefined ? '' : ` as ${spec.user}`}.`);
  if (spec.user !== undefined && manager.platform !== 'winsw') {
    say(ctx, `The account ${spec.user} must exist and own the data directory, e.g. on Linux: useradd --system --home-dir ${shown([spec.dataDir])} --shell /usr/sbin/nologin ${spec.user} && chown -R ${spec.user}: ${shown([spec.dataDir])}`);
  }
  const commands = manager.enable(spec, file);
  if (unavailable !== undefined) {
    say(ctx, `Not started: ${unavailable}. To enable and start it where ${manager.platform} runs:`);
    for (const command of commands) say(ctx, `  ${shown(command)}`);
    return;
  }
  for (const command of commands) await runServiceCommand(command);
  say(ctx, `Enabled and started ${spec.name}; "ecmahost service status" shows its state.`);
}

/** `ecmahost service uninstall`: stops and disables the service where its manager runs, and removes the definition. */
export async function serviceUninstallCommand(ctx: CliContext, dataDir: string | undefined, flags: ServiceFlags): Promise<void> {
  const { spec, manager, file, unavailable } = await resolve(ctx, dataDir, flags);
  if (!existsSync(file)) throw new OpsError('invalid-argument', `${spec.name} is not installed here (no ${file}).`);
  const commands = manager.disable(spec, file);
  if (unavailable === undefined) {
    for (const command of commands) await runServiceCommand(command);
  } else {
    say(ctx, `Not stopped: ${unavailable}. Where ${manager.platform} runs, stop it first with:`);
    for (const command of commands) say(ctx, `  ${shown(command)}`);
  }
  await rm(file);
  if (unavailable === undefined && manager.platform === 'systemd') await runServiceCommand(['systemctl', 'daemon-reload']);
  say(ctx, `Removed ${file}.`);
}

/** `ecmahost service status`: whether the definition is installed and, where its manager runs, what the manager says. */
export async function serviceStatusCommand(ctx: CliContext, dataDir: string | undefined, flags: ServiceFlags): Promise<void> {
  const { spec, manager, file, unavailable } = await resolve(ctx, dataDir, flags);
  if (!existsSync(file)) {
    say(ctx, `${spec.name} is not installed (no ${file}).`);
    return;
  }
  say(ctx, `${spec.name} is installed: ${file}.`);
  if (unavailable !== undefined) {
    say(ctx, `Its state is unknown here: ${unavailable}. Where ${manager.platform} runs: ${shown(manager.status(spec))}`);
    return;
  }
  try {
    say(ctx, (await runServiceCommand(manager.status(spec))).trimEnd());
  } catch (error) {
    // `systemctl status` exits non-zero for a stopped service; its text is still the answer.
    warn(ctx, (error as Error).message);
  }
}
