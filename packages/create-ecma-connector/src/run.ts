import path from 'node:path';
import * as p from '@clack/prompts';
import { defaultAnswers } from './answers.js';
import { USAGE, parseCliArgs } from './args.js';
import { askAnswers, confirmOverwrite } from './prompts.js';
import { scaffold } from './scaffold.js';
import type { ScaffoldResult } from './scaffold.js';
import { isScaffoldError } from './scaffold-error.js';
import { readOwnPackageJson } from './template.js';

function nextSteps(result: ScaffoldResult): string {
  const relative = path.relative(process.cwd(), result.dir) || '.';
  const cd = relative === '.' ? [] : [`cd ${/\s/.test(relative) ? JSON.stringify(relative) : relative}`];
  return [...cd, 'npm install-test', 'npm run dev'].join('\n');
}

/**
 * The whole `create-ecma-connector` command: parses `argv`, asks what is missing (unless `--yes` or
 * stdin is not a terminal), creates the project and prints the next steps. Throws `ScaffoldError`
 * for expected failures; the bin's one catch turns any error into exit code 1.
 */
export async function run(argv: readonly string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.version) {
    process.stdout.write(`${(await readOwnPackageJson()).version}\n`);
    return;
  }
  const interactive = !args.yes && process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (interactive) p.intro('create-ecma-connector');
  const answers = interactive ? await askAnswers(args) : defaultAnswers(args);
  const options = { ...answers, force: args.force, ...(args.sdkVersion === undefined ? {} : { sdkRange: args.sdkVersion }) };
  let result: ScaffoldResult;
  try {
    result = await scaffold(options);
  } catch (error) {
    // Asking beats refusing when someone is at the keyboard; without one, --force is the only way.
    if (!(interactive && isScaffoldError(error) && error.code === 'target-not-empty')) throw error;
    if (!(await confirmOverwrite(answers.targetDir))) throw error;
    result = await scaffold({ ...options, force: true });
  }
  const summary = `${answers.packageName} (${answers.template}: ${answers.capabilities.join(', ')}) in ${result.dir}`;
  if (interactive) {
    p.note(nextSteps(result), 'Next steps');
    p.outro(`Created ${summary}`);
  } else {
    process.stdout.write(`Created ${summary}\n\nNext steps:\n${nextSteps(result).replace(/^/gm, '  ')}\n`);
  }
}
