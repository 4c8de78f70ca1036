import * as p from '@clack/prompts';
import type { CliArgs } from './args.js';
import type { Answers } from './answers.js';
import { defaultPackageName } from './answers.js';
import type { Capability } from './capabilities.js';
import { CAPABILITIES, CAPABILITY_HINTS, capabilityProblems, defaultCapabilitiesFor } from './capabilities.js';
import { folderFor, packageNameProblem } from './package-name.js';
import { ScaffoldError } from './scaffold-error.js';
import type { TemplateName } from './template.js';
import { DEFAULT_TEMPLATE, TEMPLATES, TEMPLATE_INFO } from './template.js';
import { textAnswerProblem } from './text-answer.js';

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (p.isCancel(value)) throw new ScaffoldError('cancelled', 'Cancelled; nothing was created.');
  return value as Exclude<T, symbol>;
}

async function askText(message: string, fallback: string, check: (value: string) => string | undefined): Promise<string> {
  const value = answered(
    await p.text({
      message,
      placeholder: fallback,
      defaultValue: fallback,
      // An empty answer takes the default, so only a typed answer is checked.
      validate: (v) => (v === undefined || v.length === 0 ? undefined : check(v)),
    }),
  );
  return value.trim().length === 0 ? fallback : value.trim();
}

async function askTemplate(): Promise<TemplateName> {
  return answered(
    await p.select<TemplateName>({
      message: 'What does the connector talk to?',
      options: TEMPLATES.map((t) => ({ value: t, label: t, hint: TEMPLATE_INFO[t].hint })),
      initialValue: DEFAULT_TEMPLATE,
    }),
  );
}

async function askCapabilities(template: TemplateName): Promise<Capability[]> {
  const supported = TEMPLATE_INFO[template].capabilities;
  for (;;) {
    const chosen = answered(
      await p.multiselect<Capability>({
        message: 'Which capabilities should the connector have?',
        // Only what the template has code for: the others could not be generated.
        options: CAPABILITIES.filter((c) => supported.includes(c)).map((c) => ({ value: c, label: c, hint: CAPABILITY_HINTS[c] })),
        initialValues: defaultCapabilitiesFor(supported),
        required: true,
      }),
    );
    const problems = capabilityProblems(chosen);
    if (problems.length === 0) return CAPABILITIES.filter((c) => chosen.includes(c));
    p.log.error(problems.join('\n'));
  }
}

/** Asks for every answer the flags left out, with @clack/prompts. Throws `ScaffoldError('cancelled')` on Ctrl+C. */
export async function askAnswers(args: CliArgs): Promise<Answers> {
  const template = args.template ?? (await askTemplate());
  const info = TEMPLATE_INFO[template];
  const packageName =
    args.name ?? (await askText('Package name (on npm)', defaultPackageName(args.dir), (v) => packageNameProblem(v)));
  const displayName =
    args.displayName ?? (await askText('Display name (what admins see)', info.displayName, (v) => textAnswerProblem('display name', v)));
  const description =
    args.description ?? (await askText('Description (one sentence: what it connects to)', info.description, (v) => textAnswerProblem('description', v)));
  const capabilities = args.capabilities ?? (await askCapabilities(template));
  return { template, targetDir: args.dir ?? folderFor(packageName), packageName, displayName, description, capabilities };
}

/** Asks whether to write into a folder that already has files. */
export async function confirmOverwrite(dir: string): Promise<boolean> {
  return answered(await p.confirm({ message: `${dir} is not empty. Write the project into it anyway?`, initialValue: false }));
}
