import { describe, expect, it } from 'vitest';
import type { Placeholders } from './placeholders.js';
import { fillPlaceholders } from './placeholders.js';

const values: Placeholders = {
  packageName: '@acme/ecma-connector-hr',
  folder: 'ecma-connector-hr',
  template: 'csv',
  displayName: "O'Brien \\ HR",
  description: 'Users.',
  sdkRange: '^0.1.0',
  apiVersion: '1',
};

describe('fillPlaceholders', () => {
  it('escapes values for single-quoted TypeScript strings, and only in TypeScript', () => {
    expect(fillPlaceholders("name: '{{displayName}}',", values, 'src/index.ts')).toBe("name: 'O\\'Brien \\\\ HR',");
    expect(fillPlaceholders('# {{ displayName }}', values, 'README.md')).toBe("# O'Brien \\ HR");
  });

  it('refuses a placeholder it does not know, naming the file', () => {
    expect(() => fillPlaceholders('{{packagename}}', values, 'README.md')).toThrow('README.md: unknown placeholder {{packagename}}');
  });
});
