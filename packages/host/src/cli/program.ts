import { Command, CommanderError, Option } from 'commander';
import { isConnectorError } from '@ecmahost/sdk';
import { resolveDataDir } from '../store/data-dir.js';
import { runningSdkVersion } from '../plugins/compatibility.js';
import { hostPackage } from '../service/host-package.js';
import { isOpsError } from '../store/errors.js';
import { openStore } from '../store/store.js';
import type { Store } from '../store/store.js';
import type { CliContext } from './context.js';
import { certGenerateCommand, certShowCommand, certUseCommand } from './commands/cert.js';
import { configExportCommand, configImportCommand } from './commands/config.js';
import { connectorAddCommand, connectorInstallAndAddCommand } from './commands/connector-add.js';
import type { ConnectorAddFlags } from './commands/connector-add.js';
import { devCommand } from './commands/dev.js';
import { cacheShowCommand, connectorImportCommand } from './commands/connector-import.js';
import { connectorSchemaCommand, connectorTestCommand } from './commands/connector-inspect.js';
import { connectorListCommand, connectorRemoveCommand, connectorSetCommand, connectorShowCommand } from './commands/connector-manage.js';
import { initCommand } from './commands/init.js';
import { pluginsListCommand } from './commands/plugins.js';
import { pluginsInstallCommand, pluginsRemoveCommand, pluginsSearchCommand } from './commands/plugins-market.js';
import { auditTailCommand } from './commands/audit.js';
import { reloadCommand } from './commands/reload.js';
import { serveCommand } from './commands/serve.js';
import { serviceInstallCommand, serviceStatusCommand, serviceUninstallCommand } from './commands/service.js';
import type { ServiceFlags } from './commands/service.js';
import { tokenRotateCommand } from './commands/token.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** What `ecmahost --version` prints: the host's version, and the SDK's its connectors load against. */
function versionText(): string {
  const version = (read: () => string): string => {
    try {
      return read();
    } catch {
      return 'unknown';
    }
  };
  return `ecmahost ${version(() => hostPackage().version)} (@ecmahost/sdk ${version(runningSdkVersion)}, Node.js ${process.version})`;
}

function addServiceOptions(command: Command): Command {
  return command
    .option('--name <name>', 'service name (default ecmahost)')
    .option('--platform <platform>', 'linux | macos | windows (default: this machine\'s); another platform with --print only shows its definition')
    .option('--dir <directory>', 'where the definition is written (default: /etc/systemd/system, /Library/LaunchDaemons, or <data dir>/service for WinSW)');
}

function addConnectorOptions(command: Command): Command {
  return command
    .option('--package <spec>', 'connector package name, or path to a connector module')
    .option('--param <Name=value>', 'a connector parameter (repeat for each)', collect)
    .option('--object-type <type>', 'object type served as SCIM Users')
    .option('--anchor <attributes>', 'anchor attribute(s), comma-separated')
    .option('--attributes <list>', 'attributes to serve, comma-separated; name:single treats a multi-valued one as single')
    .option('--dn-attribute <attribute>', 'attribute holding the DN')
    .option('--dn-autogenerate', 'autogenerate the DN as CN=<anchor>,OBJECT=<type> (default)')
    .option('--disable-flow <flow>', 'none | delete | attribute:<Attribute>[:inverted]')
    .option('--delete-flow <flow>', 'none | delete | attribute:<Attribute>=<value>')
    .option('--autosync <minutes>', 'minutes between automatic imports, delta when possible (0 = off)')
    .option('--full-import-hours <hours>', 'hours between scheduled full imports, which see deletions (0 = never; default 24)')
    .option('--scim <path=attribute>', 'map a core SCIM attribute onto a connector attribute (repeat; add: replaces the proposed mapping; set: path= removes one)', collect)
    .option('--import-page-size <n>', 'entries per full import page')
    .option('--delta-import-page-size <n>', 'entries per delta import page')
    .option('--no-delta-import', 'never run delta imports');
}

/** The `--group-*` family of `connector add`: a second object type served as SCIM Groups. */
function addGroupOptions(command: Command): Command {
  return command
    .option('--group-object-type <type>', 'object type also served as SCIM Groups (at /Groups)')
    .option('--group-anchor <attributes>', 'anchor attribute(s) of the group type, comma-separated')
    .option('--group-attributes <list>', 'attributes of the group type to serve, comma-separated')
    .option('--group-dn-attribute <attribute>', 'attribute holding the DN of a group')
    .option('--group-scim <path=attribute>', 'map a core SCIM Group attribute (displayName, members, externalId) onto a group attribute (repeat)', collect)
    .option('--group-delete-flow <flow>', 'none | delete | attribute:<Attribute>=<value>');
}

/**
 * Builds the `ecmahost` command tree. Every command takes its answers from flags; `connector add`
 * also asks on a TTY. Commands throw; {@link runCli} turns errors into a message and exit code.
 */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('ecmahost')
    .description('ecmahost: a cross-platform ECMA Connector Host serving SCIM 2.0 to Microsoft Entra provisioning')
    .option('-d, --data-dir <dir>', 'data directory (default: $ECMAHOST_DATA_DIR or ./.ecmahost)')
    .version(versionText(), '-V, --version', 'print the host\'s version and the SDK\'s')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  const dataDirOf = (command: Command): string | undefined => (command.optsWithGlobals() as { dataDir?: string }).dataDir;
  const storeOf = (command: Command): Promise<Store> => openStore(resolveDataDir(dataDirOf(command), ctx.env), ctx.env);

  program
    .command('init')
    .description('create the data directory: settings, host key, admin credential, certificate')
    .option('--port <port>', 'HTTPS port (default 8585)')
    .option('--host-name <name>', 'host name Entra\'s agent uses (certificate subject, printed URLs)')
    .option('--cert <file>', 'PEM certificate to serve (with --key)')
    .option('--key <file>', 'PEM private key')
    .option('--pfx <file>', 'PKCS#12 file to serve')
    .option('--passphrase <passphrase>', 'passphrase of the key or PFX')
    .option('--admin-allow-remote', 'let /admin answer other machines (loopback only by default)')
    .action((flags, command: Command) => initCommand(ctx, dataDirOf(command), flags));

  program
    .command('serve')
    .description('serve SCIM for every configured connector (HTTPS)')
    .option('--port <port>', 'port (overrides ECMAHOST_PORT and host.yaml)')
    .option('--bind <address>', 'address to listen on (default: all)')
    .option('--insecure-http', 'serve plain HTTP (also ECMAHOST_INSECURE_HTTP=1); only behind a TLS proxy')
    .action((flags, command: Command) => serveCommand(ctx, dataDirOf(command), flags));

  program
    .command('dev [project]')
    .description('for connector authors: serve the connector in [project] (default: .) over HTTP on loopback, data in <project>/.ecmahost-dev, printing the URL, token and curl lines')
    .option('--param <Name=value>', 'a connector parameter (repeat for each)', collect)
    .option('--seed <file>', 'copy this file into .ecmahost-dev once, for --param values to point at (repeat)', collect)
    .option('--scim <path=attribute>', 'map a core SCIM attribute (repeat; default: the proposed mapping, userName from the anchor)', collect)
    .option('--port <port>', 'port (default: ECMAHOST_PORT or 8585)')
    .option('--name <name>', 'connector instance name (default Dev)')
    .action((project: string | undefined, flags) => devCommand(ctx, project, flags));

  program
    .command('reload')
    .description('make the running host re-read its connectors and certificate (as SIGHUP does), keeping connections and unchanged caches')
    .action(async (_flags, command: Command) => reloadCommand(ctx, await storeOf(command)));

  const audit = program.command('audit').description('the audit trail: SCIM writes and admin actions, in <data dir>/audit');
  audit
    .command('tail')
    .description('print the last lines of the audit trail (oldest first)')
    .option('-n, --lines <count>', 'how many lines', '20')
    .option('-f, --follow', 'keep printing new lines as they are written')
    .option('--connector <name>', 'only the lines of this connector')
    .option('--json', 'print the JSON lines as they are stored')
    .action((flags: { lines?: string; follow?: boolean; connector?: string; json?: boolean }, command: Command) => auditTailCommand(ctx, resolveDataDir(dataDirOf(command), ctx.env), flags));

  const service = program.command('service').description('run the host as a service of the operating system (systemd, launchd, WinSW)');
  addServiceOptions(service.command('install').description('write the service definition running "ecmahost serve" on the data directory, and enable and start it where its manager runs'))
    .option('--user <account>', 'the dedicated account the service runs as')
    .option('--print', 'only print the definition')
    .action((flags: ServiceFlags, command: Command) => serviceInstallCommand(ctx, dataDirOf(command), flags));
  addServiceOptions(service.command('uninstall').description('stop and disable the service, and remove its definition'))
    .action((flags: ServiceFlags, command: Command) => serviceUninstallCommand(ctx, dataDirOf(command), flags));
  addServiceOptions(service.command('status').description('whether the service is installed, and its state'))
    .action((flags: ServiceFlags, command: Command) => serviceStatusCommand(ctx, dataDirOf(command), flags));

  const connector = program.command('connector').description('configure connector instances');
  addGroupOptions(addConnectorOptions(connector.command('add <name>').description('add a connector instance (asks on a TTY for what flags leave out)')))
    .option('--token <token>', 'the SCIM secret token (default: generated and printed once)')
    .option('--install <spec>', 'first install this connector package (as "plugins install" does, creating the data directory when there is none) and use it as --package')
    .action(async (name: string, flags: ConnectorAddFlags, command: Command) =>
      flags.install === undefined
        ? connectorAddCommand(ctx, await storeOf(command), name, flags)
        : connectorInstallAndAddCommand(ctx, resolveDataDir(dataDirOf(command), ctx.env), name, { ...flags, install: flags.install }),
    );
  connector
    .command('list')
    .description('list connector instances')
    .action(async (_flags, command: Command) => connectorListCommand(ctx, await storeOf(command)));
  connector
    .command('show <name>')
    .description('show a connector instance (secrets masked)')
    .action(async (name: string, _flags, command: Command) => connectorShowCommand(ctx, await storeOf(command), name));
  addConnectorOptions(connector.command('set <name>').description('change settings of a connector instance'))
    .action(async (name: string, flags, command: Command) => connectorSetCommand(ctx, await storeOf(command), name, flags));
  connector
    .command('remove <name>')
    .description('remove a connector instance')
    .action(async (name: string, _flags, command: Command) => connectorRemoveCommand(ctx, await storeOf(command), name));
  connector
    .command('test <name>')
    .description('test the connection to the target')
    .action(async (name: string, _flags, command: Command) => connectorTestCommand(ctx, await storeOf(command), name));
  connector
    .command('schema <name>')
    .description('show what schema discovery finds')
    .action(async (name: string, _flags, command: Command) => connectorSchemaCommand(ctx, await storeOf(command), name));
  connector
    .command('import <name>')
    .description('run an import now (through the running host, else standalone)')
    .addOption(new Option('--full', 'full import (the default): sees deletions').conflicts('delta'))
    .addOption(new Option('--delta', 'delta import: only the changes since the last import'))
    .action(async (name: string, flags, command: Command) => connectorImportCommand(ctx, await storeOf(command), name, flags));

  program
    .command('cache')
    .description('inspect connector caches')
    .command('show <name> [filter]')
    .description('show cached objects matching a SCIM filter, e.g. \'userName eq "alice"\'')
    .option('--count <n>', 'at most this many objects')
    .option('--start-index <n>', '1-based index of the first object')
    .action(async (name: string, filter: string | undefined, flags, command: Command) => cacheShowCommand(ctx, await storeOf(command), name, filter, flags));

  program
    .command('token')
    .description('SCIM secret tokens')
    .command('rotate <name>')
    .description('replace a connector\'s SCIM token (printed once)')
    .option('--token <token>', 'the new token (default: generated)')
    .action(async (name: string, flags, command: Command) => tokenRotateCommand(ctx, await storeOf(command), name, flags));

  const cert = program.command('cert').description('the HTTPS certificate');
  cert
    .command('show')
    .description('subject, SANs, validity and days left of the serving certificate')
    .action(async (_flags, command: Command) => certShowCommand(ctx, await storeOf(command)));
  cert
    .command('generate')
    .description('generate a new self-signed certificate (2 years) and serve it')
    .option('--host-name <name>', 'subject and SAN (default: host.yaml hostName)')
    .option('--days <days>', 'validity in days (default 730)')
    .action(async (flags, command: Command) => certGenerateCommand(ctx, await storeOf(command), flags));
  cert
    .command('use')
    .description('serve your own certificate: PEM (--cert, --key) or PFX (--pfx, --passphrase)')
    .option('--cert <file>', 'PEM certificate')
    .option('--key <file>', 'PEM private key')
    .option('--pfx <file>', 'PKCS#12 file')
    .option('--passphrase <passphrase>', 'passphrase of the key or PFX (stored encrypted)')
    .action(async (flags, command: Command) => certUseCommand(ctx, await storeOf(command), flags));

  const config = program.command('config').description('export and import the whole configuration');
  config
    .command('export')
    .description('write the configuration to one file (secrets stay encrypted)')
    .addOption(new Option('-o, --output <file>', 'output file').default('ecmahost-config.yaml'))
    .action(async (flags, command: Command) => configExportCommand(ctx, await storeOf(command), flags));
  config
    .command('import <file>')
    .description('create a data directory from an export (needs the exporting host\'s key)')
    .action((file: string, _flags, command: Command) => configImportCommand(ctx, dataDirOf(command), file));

  const plugins = program.command('plugins').description('connector packages');
  plugins
    .command('list')
    .description('connector packages installed next to the host, and whether they load')
    .action((_flags, command: Command) => pluginsListCommand(ctx, resolveDataDir(dataDirOf(command), ctx.env)));
  plugins
    .command('search [term]')
    .description('connector packages (keyword ecma-connector) on the npm registry, and whether this host can load them')
    .option('--registry <url>', 'npm registry (default: your npm configuration)')
    .action((term: string | undefined, flags: { registry?: string }, command: Command) => pluginsSearchCommand(ctx, resolveDataDir(dataDirOf(command), ctx.env), term, flags));
  plugins
    .command('install <spec>')
    .description('npm install a connector package next to the host; rolled back unless it is a connector this host loads')
    .option('--registry <url>', 'npm registry (default: your npm configuration)')
    .action((spec: string, flags: { registry?: string }, command: Command) => pluginsInstallCommand(ctx, resolveDataDir(dataDirOf(command), ctx.env), spec, flags));
  plugins
    .command('remove <name>')
    .description('npm uninstall a connector package; refused while a connector instance uses it')
    .action((name: string, _flags, command: Command) => pluginsRemoveCommand(ctx, resolveDataDir(dataDirOf(command), ctx.env), name));

  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 when a command failed (the message on
 * stderr), 2 for a usage error. Never exits the process; the bin does.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isOpsError(error)) ctx.stderr.write(`error: ${error.message}\n`);
    else if (isConnectorError(error)) ctx.stderr.write(`error: ${error.code}: ${error.message}\n`);
    else ctx.stderr.write(`error: ${(error as Error).message ?? String(error)}\n${ctx.env.ECMAHOST_DEBUG === '1' ? `${(error as Error).stack ?? ''}\n` : ''}`);
    return 1;
  }
}
