import path from 'node:path';
import type { CliArgs } from './args.js';
import type { Capability } from './capabilities.js';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import { DEFAULT_PACKAGE_NAME, folderFor, toPackageName } from './package-name.js';

/** Everything the scaffolder needs to know, whether given as flags, prompted or defaulted. */
export interface Answers {
  targetDir: string;
  packageName: string;
  displayName: string;
  description: string;
  capabilities: Capability[];
}

/** The display name `--yes` uses. */
export const DEFAULT_DISPLAY_NAME = 'CSV file';

/** The description `--yes` uses. */
export const DEFAULT_DESCRIPTION = 'An ecmahost connector that keeps users in a CSV file.';

/** The package name offered for a folder (or the default name when no folder is given). */
export function defaultPackageName(dir: string | undefined): string {
  return dir === undefined ? DEFAULT_PACKAGE_NAME : toPackageName(path.basename(path.resolve(dir)));
}

/** Fills every answer the flags left out with its default, without asking. */
export function defaultAnswers(args: CliArgs): Answers {
  const packageName = args.name ?? defaultPackageName(args.dir);
  return {
    targetDir: args.dir ?? folderFor(packageName),
    packageName,
    displayName: args.displayName ?? DEFAULT_DISPLAY_NAME,
    description: args.description ?? DEFAULT_DESCRIPTION,
    capabilities: args.capabilities ?? [...DEFAULT_CAPABILITIES],
  };
}
