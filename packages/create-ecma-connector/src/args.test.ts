import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('reads every answer from flags', () => {
    expect(
      parseCliArgs([
        'hr-connector',
        '--template',
        'REST',
        '--name',
        '@acme/ecma-connector-hr',
        '--display-name',
        'HR file',
        '--description',
        'Users from HR.',
        '--capabilities',
        'password, import,export,export',
        '--sdk-version',
        '~0.1.2',
        '--yes',
        '--force',
      ]),
    ).toEqual({
      dir: 'hr-connector',
      template: 'rest',
      name: '@acme/ecma-connector-hr',
      displayName: 'HR file',
      description: 'Users from HR.',
      capabilities: ['import', 'export', 'password'],
      sdkVersion: '~0.1.2',
      yes: true,
      force: true,
      help: false,
      version: false,
    });
  });

  it('leaves out what was not given', () => {
    expect(parseCliArgs(['-y'])).toEqual({ yes: true, force: false, help: false, version: false });
  });

  it('refuses unknown flags, a second folder and unusable capabilities with a clear message', () => {
    expect(() => parseCliArgs(['--nmae', 'x'])).toThrow(/Unknown option '--nmae'/);
    expect(() => parseCliArgs(['--template', 'ldap'])).toThrow('Unknown template "ldap". Choose from: minimal, rest, csv.');
    expect(() => parseCliArgs(['a', 'b'])).toThrow('Expected at most one folder, got "a", "b"');
    expect(() => parseCliArgs(['--capabilities', 'import,ldap'])).toThrow('Unknown capability "ldap". Choose from: import, delta, export, password.');
    expect(() => parseCliArgs(['--capabilities', 'export'])).toThrow(/import is required/);
    expect(() => parseCliArgs(['--name'])).toThrow(/argument missing/);
  });
});
