#!/usr/bin/env node
// `npm run release:pack`: packs the published packages, at the versions `changeset version` wrote
// into their package.json files, into dist-release/ — after checking that every range one of them
// declares on another (dependencies, peerDependencies) accepts the version packed beside it, so the
// tarballs install together offline. The packages must be built (the root script builds first).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

/** The published workspaces, in the order an install needs them (the SDK first). */
export const RELEASED = ['packages/sdk', 'packages/host', 'plugins/generic-sql', 'plugins/generic-ldap', 'packages/create-ecma-connector'];

/**
 * Ranges on a released package that its packed version does not satisfy, one sentence each.
 * @param {{ name: string, version: string, dependencies?: Record<string, string>, peerDependencies?: Record<string, string> }[]} manifests
 * @returns {string[]}
 */
export function rangeProblems(manifests) {
  const versions = new Map(manifests.map((m) => [m.name, m.version]));
  const problems = [];
  for (const m of manifests) {
    for (const field of /** @type {const} */ (['dependencies', 'peerDependencies'])) {
      for (const [dep, range] of Object.entries(m[field] ?? {})) {
        const packed = versions.get(dep);
        if (packed !== undefined && !semver.satisfies(packed, range)) {
          problems.push(`${m.name}@${m.version} ${field} asks for ${dep}@${range}, but ${dep}@${packed} is packed`);
        }
      }
    }
  }
  return problems;
}

/** @param {string[]} args `--out <dir>` packs elsewhere than dist-release/ (the tests do). */
function main(args) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const at = args.indexOf('--out');
  const out = at === -1 ? path.join(root, 'dist-release') : path.resolve(args[at + 1] ?? '');
  const manifests = RELEASED.map((folder) => ({ folder, ...JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) }));
  const problems = rangeProblems(manifests);
  for (const m of manifests) {
    if (!existsSync(path.join(root, m.folder, 'dist'))) problems.push(`${m.name} is not built: run npm run build`);
  }
  if (problems.length > 0) throw new Error(`release:pack refused:\n  ${problems.join('\n  ')}`);

  const pending = readdirSync(path.join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length > 0) console.warn(`note: ${pending.length} changesets are not applied yet; \`npx changeset version\` turns them into versions and changelogs before a release.`);

  // Only earlier tarballs go: a release folder must not mix versions, and --out may be any folder.
  mkdirSync(out, { recursive: true });
  for (const old of readdirSync(out).filter((f) => f.endsWith('.tgz'))) rmSync(path.join(out, old));
  for (const m of manifests) {
    const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: path.join(root, m.folder), encoding: 'utf8' }).trim().split('\n').pop();
    console.log(`${m.name}@${m.version}  ${path.relative(process.cwd(), path.join(out, file ?? ''))}`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(/** @type {Error} */ (error).message);
    process.exitCode = 1;
  }
}
