import { randomBytes } from 'node:crypto';
import { Secret, isSecret } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { parseConnectorYaml, renderConnectorYaml } from './connector-files.js';

const key = randomBytes(32);
const config: ConnectorInstanceConfig = {
  name: 'HR-db',
  package: '@ecmahost/connector-generic-sql',
  autosyncMinutes: 120,
  tokenHash: 'sha256:c2FsdA:ZGlnZXN0',
  parameters: { dialect: 'postgresql', password: new Secret('hunter2-but-long'), ssl: true },
  objectType: 'User',
  anchor: ['Login'],
  dn: { autogenerate: true },
  attributes: [{ name: 'Login' }, { name: 'Mail', singleValue: true }],
  deprovisioning: { disable: { action: 'attribute', attribute: 'Disabled', activeValue: false }, delete: { action: 'delete' } },
  runProfiles: { export: { batchSize: 50 }, fullImport: { pageSize: 500 }, deltaImport: { pageSize: 100 } },
  scimMapping: { userName: 'Login' },
};

describe('connector files', () => {
  it('round-trip every field, secrets encrypted in the text and Secrets again when read', () => {
    const text = renderConnectorYaml(config, key);
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/password: enc:v1:/);
    const back = parseConnectorYaml(text, key, 'HR-db.yaml');
    const { parameters, ...rest } = back;
    const { parameters: expectedParameters, ...expectedRest } = config;
    expect(rest).toEqual(expectedRest);
    expect(parameters.dialect).toBe('postgresql');
    expect(parameters.ssl).toBe(true);
    expect(isSecret(parameters.password) && parameters.password.reveal()).toBe('hunter2-but-long');
    expect(Object.keys(parameters)).toEqual(Object.keys(expectedParameters));
  });

  it('refuses a clear value that would be mistaken for an encrypted one', () => {
    expect(() => renderConnectorYaml({ ...config, parameters: { note: 'enc:v1:looks-encrypted' } }, key)).toThrow('starts with "enc:v1:"');
  });

  it.each([
    ['not YAML', 'name: [unclosed', /HR\.yaml: /],
    ['a list', '- a\n- b\n', 'expected a mapping'],
    ['a bad name', 'name: "../etc"\n', 'is not a valid connector name'],
    ['no token', 'name: HR\npackage: p\n', 'tokenHash is missing'],
    ['no anchor', 'name: HR\npackage: p\ntokenHash: sha256:a:b\nobjectType: User\nanchor: []\n', 'anchor must be a list of attribute names'],
    [
      'a bad disable flow',
      'name: HR\npackage: p\ntokenHash: sha256:a:b\nobjectType: User\nanchor: [Login]\ndn: {autogenerate: true}\nattributes: [Login]\ndeprovisioning: {disable: {action: explode}, delete: {action: none}}\nrunProfiles: {export: {batchSize: 1}, fullImport: {pageSize: 1}}\n',
      'deprovisioning.disable.action must be none, delete or attribute',
    ],
    [
      'a negative page size',
      'name: HR\npackage: p\ntokenHash: sha256:a:b\nobjectType: User\nanchor: [Login]\ndn: {autogenerate: true}\nattributes: [Login]\ndeprovisioning: {disable: {action: none}, delete: {action: none}}\nrunProfiles: {export: {batchSize: 1}, fullImport: {pageSize: -5}}\n',
      'runProfiles.fullImport.pageSize must be a whole number >= 0',
    ],
  ])('a file with %s gets a clear error naming the file and field', (_what, text, message) => {
    expect(() => parseConnectorYaml(text, key, 'HR.yaml')).toThrow(message);
  });
});
