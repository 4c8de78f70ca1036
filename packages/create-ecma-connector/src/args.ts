import { parseArgs } from 'node:util';
import type { Capability } from './capabilities.js';
import { parseCapabilities } from './capabilities.js';
import { ScaffoldError } from './scaffold-error.js';
import type { TemplateName } from './template.js';
import { TEMPLATES, TEMPLATE_INFO, parseTemplate } from './template.js';

/** The command line of `create-ecma-connector`, parsed. Absent answers are asked for, or defaulted with `--yes`. */
export interface CliArgs {
  /** The target folder (the one positional argument). */
  dir?: string;
  template?: TemplateName;
  name?: string;
  displayName?: string;
  description?: string;
  capabilities?: Capability[];
  sdkVersion?: string;
  /** Take the default for every answer not given as a flag; never prompt. */
  yes: boolean;
  force: boolean;
  help: boolean;
  version: boolean;
}

/** The text `--help` prints. */
export const USAGE = `Usage: npm create ecma-connector@latest [dir] -- [options]

Creates a working, tested ecmahost connector from a template.
Every answer can be given as a flag; with --yes the rest take their defaults and nothing is asked.

Options:
  --template <name>           what the connector talks to (default: minimal):
${TEMPLATES.map((t) => `                                ${t.padEnd(8)} ${TEMPLATE_INFO[t].hint}`).join('\n')}
  --name <package>            npm package name (default: the folder name)
  --display-name <text>       name admins see (default: the template's)
  --description <text>        one sentence for package.json, the code and the README
  --capabilities <list>       comma-separated: import,delta,export,password, those the
                              template has (default: import,delta,export it has; import is required)
  --sdk-version <range>       semver range of @ecmahost/sdk to depend on
  -y, --yes                   use defaults, do not prompt
  -f, --force                 write into a folder that already has files
  -h, --help                  show this help
  -v, --version               show the version
`;

/**
 * Parses the arguments after the command name. Throws `ScaffoldError('invalid-argument')` for an
 * unknown flag, a missing value or an unknown capability, with node's own explanation.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        template: { type: 'string' },
        name: { type: 'string' },
        'display-name': { type: 'string' },
        description: { type: 'string' },
        capabilities: { type: 'string' },
        'sdk-version': { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        force: { type: 'boolean', short: 'f', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new ScaffoldError('invalid-argument', `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new ScaffoldError('invalid-argument', `Expected at most one folder, got ${positionals.map((p) => `"${p}"`).join(', ')}`);
  }
  const args: CliArgs = { yes: values.yes, force: values.force, help: values.help, version: values.version };
  const dir = positionals[0];
  if (dir !== undefined) args.dir = dir;
  if (values.template !== undefined) args.template = parseTemplate(values.template);
  if (values.name !== undefined) args.name = values.name;
  if (values['display-name'] !== undefined) args.displayName = values['display-name'];
  if (values.description !== undefined) args.description = values.description;
  if (values.capabilities !== undefined) args.capabilities = parseCapabilities(values.capabilities);
  if (values['sdk-version'] !== undefined) args.sdkVersion = values['sdk-version'];
  return args;
}
