import path from 'node:path';
import type { CliArgs } from './args.js';
import type { Capability } from './capabilities.js';
import { defaultCapabilitiesFor } from './capabilities.js';
import { DEFAULT_PACKAGE_NAME, folderFor, toPackageName } from './package-name.js';
import type { TemplateName } from './template.js';
import { DEFAULT_TEMPLATE, TEMPLATE_INFO } from './template.js';

/** Everything the scaffolder needs to know, whether given as flags, prompted or defaulted. */
export interface Answers {
  template: TemplateName;
  targetDir: string;
  packageName: string;
  displayName: string;
  description: string;
  capabilities: Capability[];
}

/** The package name offered for a folder (or the default name when no folder is given). */
export function defaultPackageName(dir: string | undefined): string {
  return dir === undefined ? DEFAULT_PACKAGE_NAME : toPackageName(path.basename(path.resolve(dir)));
}

/** Fills every answer the flags left out with its default (the template's own), without asking. */
export function defaultAnswers(args: CliArgs): Answers {
  const template = args.template ?? DEFAULT_TEMPLATE;
  const info = TEMPLATE_INFO[template];
  const packageName = args.name ?? defaultPackageName(args.dir);
  return {
    template,
    targetDir: args.dir ?? folderFor(packageName),
    packageName,
    displayName: args.displayName ?? info.displayName,
    description: args.description ?? info.description,
    capabilities: args.capabilities ?? defaultCapabilitiesFor(info.capabilities),
  };
}
