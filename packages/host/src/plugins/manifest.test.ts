import { describe, expect, it } from 'vitest';
import { checkPluginManifest } from './compatibility.js';
import { manifestProblems } from './manifest.js';

const valid = {
  name: '@acme/hr',
  version: '1.4.0',
  keywords: ['ecma-connector'],
  ecmahost: { connector: './dist/index.js', apiVersion: 1 },
  peerDependencies: { '@ecmahost/sdk': '^0.1.0' },
};

function refusal(pkg: unknown, sdkVersion = '0.1.0'): { code: string; message: string } | undefined {
  try {
    checkPluginManifest(pkg, 'the package', sdkVersion);
    return undefined;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
}

describe('manifestProblems', () => {
  it('accepts the documented manifest', () => {
    expect(manifestProblems(valid)).toEqual([]);
  });

  it('names every missing or malformed field', () => {
    expect(manifestProblems({ name: 'x', version: 'one', ecmahost: { connector: '/etc/passwd', apiVersion: 1.5 }, peerDependencies: { '@ecmahost/sdk': 'not a range' } })).toEqual([
      'package.json has no valid semver "version"',
      'package.json "keywords" do not include "ecma-connector"',
      'ecmahost.connector "/etc/passwd" must be a path inside the package, such as "./dist/index.js"',
      'ecmahost.apiVersion must be the connector API version the package was built for, a whole number such as 1',
      'peerDependencies["@ecmahost/sdk"] must be the semver range of the SDK versions the package supports, such as "^0.1.0"',
    ]);
    expect(manifestProblems('[]')).toEqual(['package.json is not a JSON object']);
  });

  it('refuses connector paths that leave the package', () => {
    for (const connector of ['../other/index.js', './dist/../../x.js', 'C:\\evil.js', '..\\x.js', '']) {
      expect(manifestProblems({ ...valid, ecmahost: { connector, apiVersion: 1 } })).toHaveLength(1);
    }
  });
});

describe('checkPluginManifest', () => {
  it('returns the manifest of a compatible package', () => {
    expect(checkPluginManifest(valid, 'x', '0.1.0')).toEqual({ name: '@acme/hr', version: '1.4.0', connector: './dist/index.js', apiVersion: 1, sdkRange: '^0.1.0' });
  });

  it('codes each refusal', () => {
    expect(refusal({ ...valid, ecmahost: undefined })).toMatchObject({ code: 'not-a-connector', message: '@acme/hr@1.4.0 is not an ecmahost connector: its package.json has no "ecmahost" manifest field' });
    expect(refusal({ ...valid, ecmahost: { connector: './dist/index.js', apiVersion: 2 } })).toMatchObject({ code: 'incompatible-api-version' });
    expect(refusal({ ...valid, peerDependencies: { '@ecmahost/sdk': '^9.0.0' } })).toEqual({
      code: 'incompatible-sdk',
      message: '@acme/hr@1.4.0 supports @ecmahost/sdk ^9.0.0; this host runs @ecmahost/sdk 0.1.0. Install a version of the connector that supports @ecmahost/sdk 0.1.0, or a host whose SDK is in ^9.0.0.',
    });
  });

  it('judges the range with semver: 0.x carets stop at the minor, prereleases of a covered line count', () => {
    expect(refusal(valid, '0.2.0')).toMatchObject({ code: 'incompatible-sdk' });
    expect(refusal(valid, '0.1.7')).toBeUndefined();
    expect(refusal(valid, '0.1.8-next.0')).toBeUndefined();
    expect(refusal({ ...valid, peerDependencies: { '@ecmahost/sdk': '>=0.1.0 <2' } }, '1.9.0')).toBeUndefined();
  });
});
