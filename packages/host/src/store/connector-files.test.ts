import { randomBytes } from 'node:crypto';
import { Secret, isSecret } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import type { ConnectorInstanceConfig } from '../config/connector-config.js';
import { servedTypesOf } from '../config/connector-config.js';
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

  it('loads a file written before several object types were served as one User type', () => {
    // The shape every stored configuration had before issue 17: one object type at the top level.
    const text = [
      'name: Legacy',
      'package: "@ecmahost/connector-generic-sql"',
      'autosyncMinutes: 120',
      `tokenHash: ${config.tokenHash}`,
      'parameters: { dialect: postgresql }',
      'objectType: Employees',
      'anchor: [Login]',
      'dn: { autogenerate: true }',
      'attributes: [Login, Mail]',
      'deprovisioning: { disable: { action: none }, delete: { action: delete } }',
      'runProfiles: { export: { batchSize: 50 }, fullImport: { pageSize: 500 } }',
      'scimMapping: { userName: Login }',
    ].join('\n');
    const loaded = parseConnectorYaml(text, key, 'Legacy.yaml');
    expect(servedTypesOf(loaded)).toEqual([
      {
        objectType: 'Employees',
        anchor: ['Login'],
        dn: { autogenerate: true },
        attributes: [{ name: 'Login' }, { name: 'Mail' }],
        deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
        scimMapping: { userName: 'Login' },
      },
    ]);
    expect(renderConnectorYaml(loaded, key)).not.toContain('additionalTypes');
  });

  it('round-trip further object types, resource types and the "set attribute value" delete flow', () => {
    const groups: ConnectorInstanceConfig = {
      ...config,
      deprovisioning: { disable: { action: 'none' }, delete: { action: 'attribute', attribute: 'Deleted', value: 'true' } },
      additionalTypes: [
        {
          objectType: 'Groups',
          resourceType: 'Group',
          anchor: ['GroupId'],
          dn: { attribute: 'GroupDn' },
          attributes: [{ name: 'GroupId' }, { name: 'Name' }, { name: 'Members' }],
          scimMapping: { displayName: 'Name', members: 'Members' },
          deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } },
        },
        {
          objectType: 'Devices',
          resourceType: { name: 'Device', schema: 'urn:example:scim:Device', endpoint: 'Devices' },
          anchor: ['Serial'],
          dn: { autogenerate: true },
          attributes: [{ name: 'Serial' }],
          deprovisioning: { disable: { action: 'none' }, delete: { action: 'none' } },
        },
      ],
    };
    const back = parseConnectorYaml(renderConnectorYaml(groups, key), key, 'HR-db.yaml');
    expect(back.additionalTypes).toEqual(groups.additionalTypes);
    expect(back.deprovisioning.delete).toEqual({ action: 'attribute', attribute: 'Deleted', value: 'true' });
  });

  it('names the entry at fault in a further object type', () => {
    const text = renderConnectorYaml({ ...config, additionalTypes: [{ objectType: 'G', resourceType: 'Group', anchor: ['Id'], dn: { autogenerate: true }, attributes: [], deprovisioning: { disable: { action: 'none' }, delete: { action: 'delete' } } }] }, key);
    expect(() => parseConnectorYaml(text.replace('resourceType: Group', 'resourceType: Gruop'), key, 'x.yaml')).toThrow('x.yaml additionalTypes[0]: resourceType must be User, Group');
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
