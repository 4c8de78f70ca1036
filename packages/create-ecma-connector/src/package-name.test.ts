import { describe, expect, it } from 'vitest';
import { folderFor, packageNameProblem, toPackageName } from './package-name.js';

describe('package names', () => {
  it('accepts plain and scoped npm names', () => {
    expect(packageNameProblem('ecma-connector-csv')).toBeUndefined();
    expect(packageNameProblem('@acme/ecma-connector.hr_2')).toBeUndefined();
  });

  it('refuses names npm would refuse', () => {
    expect(packageNameProblem('')).toBe('the package name is empty');
    expect(packageNameProblem('My Connector')).toMatch(/not a valid npm package name/);
    expect(packageNameProblem('_private')).toMatch(/not a valid npm package name/);
    expect(packageNameProblem('@acme/')).toMatch(/not a valid npm package name/);
    expect(packageNameProblem('a'.repeat(215))).toMatch(/at most 214/);
  });

  it('derives a valid name from a folder, and a folder from a scoped name', () => {
    expect(toPackageName('  My HR Connector! ')).toBe('my-hr-connector');
    expect(toPackageName('.hidden')).toBe('hidden');
    expect(toPackageName('***')).toBe('my-ecma-connector');
    expect(folderFor('@acme/ecma-connector-hr')).toBe('ecma-connector-hr');
  });
});
