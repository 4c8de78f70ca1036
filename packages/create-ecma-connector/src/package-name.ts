// npm's rules for new package names (validate-npm-package-name): lowercase, URL-safe, optionally
// scoped, at most 214 characters, not starting with a dot or an underscore.
const PACKAGE_NAME = /^(?:@[a-z\d~-][a-z\d._~-]*\/)?[a-z\d~-][a-z\d._~-]*$/;

/** Why `name` cannot be published to npm, or `undefined` when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the package name is empty';
  if (name.length > 214) return 'a package name has at most 214 characters';
  if (!PACKAGE_NAME.test(name)) {
    return `"${name}" is not a valid npm package name: use lowercase letters, digits, "-", "." or "_", optionally under a scope (@acme/name)`;
  }
  return undefined;
}

/** Turns a folder name into the closest valid package name: `My Connector` becomes `my-connector`. */
export function toPackageName(folder: string): string {
  const name = folder
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z\d~-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name.length > 0 ? name : DEFAULT_PACKAGE_NAME;
}

/** The package name `--yes` uses when no folder is given. */
export const DEFAULT_PACKAGE_NAME = 'my-ecma-connector';

/** The folder a package is created in when none is given: its name without the scope. */
export function folderFor(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '');
}
