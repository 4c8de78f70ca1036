import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instancesUsing } from './install.js';
import { pluginFolder } from './npm.js';

describe('pluginFolder', () => {
  it('is the project the host is installed in', () => {
    expect(pluginFolder('/srv/data', '/opt/ecmahost/node_modules/@ecmahost/host')).toBe(path.resolve('/opt/ecmahost'));
  });

  it('is the closest project when installs nest', () => {
    expect(pluginFolder('/srv/data', '/opt/site/node_modules/tool/node_modules/@ecmahost/host')).toBe(path.resolve('/opt/site/node_modules/tool'));
  });

  it('is the data directory for a host run from a source checkout', () => {
    expect(pluginFolder('relative/data', '/work/ecmahost/packages/host')).toBe(path.resolve('relative/data'));
  });
});

describe('instancesUsing', () => {
  const instances = [
    { name: 'HR', package: '@acme/hr' },
    { name: 'Payroll', package: '/opt/site/node_modules/@acme/hr/dist/index.js' },
    { name: 'Other', package: '@acme/hr-extra' },
    { name: 'OtherByPath', package: '/opt/site/node_modules/@acme/hr-extra/dist/index.js' },
    { name: 'Folder', package: '/opt/site/node_modules/@acme/hr' },
    { name: 'Sql', package: '@ecmahost/connector-generic-sql' },
  ];

  it('names instances using the package by name or by a path into it, not packages sharing a prefix', () => {
    expect(instancesUsing('@acme/hr', instances)).toEqual(['HR', 'Payroll', 'Folder']);
    expect(instancesUsing('@acme/nothing', instances)).toEqual([]);
  });
});
