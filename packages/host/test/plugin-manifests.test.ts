// Every connector package this repository ships (the first-party plugins and the scaffolder's
// templates) must carry a manifest this host accepts, or `plugins install` would roll it back.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPluginManifest } from '../src/plugins/compatibility.js';
import { manifestProblems } from '../src/plugins/manifest.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TEMPLATES = path.join(ROOT, 'packages', 'create-ecma-connector', 'templates');

const manifests = [
  ...readdirSync(path.join(ROOT, 'plugins')).map((name) => path.join('plugins', name, 'package.json')),
  // The scaffolder keeps the template's package.json as _package.json so npm does not treat the folder as a package.
  ...readdirSync(TEMPLATES).map((name) => path.join('packages', 'create-ecma-connector', 'templates', name, '_package.json')),
];

describe('connector package manifests in this repository', () => {
  it('finds both first-party plugins and at least one template', () => {
    expect(manifests).toEqual(expect.arrayContaining([path.join('plugins', 'generic-sql', 'package.json'), path.join('plugins', 'generic-ldap', 'package.json')]));
    expect(manifests.some((file) => file.endsWith('_package.json'))).toBe(true);
  });

  it.each(manifests)('%s is a valid manifest this host loads', (file) => {
    const pkg: unknown = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
    expect(manifestProblems(pkg)).toEqual([]);
    expect(checkPluginManifest(pkg, file)).toMatchObject({ connector: './dist/index.js', apiVersion: 1, sdkRange: '^0.1.0' });
  });
});
