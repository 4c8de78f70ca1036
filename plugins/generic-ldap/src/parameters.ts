import type { ParameterDefinition, ParameterIssue, ParameterPage, ParameterRequest } from '@ecmahost/sdk';
import { DIRECTORY_TYPES, presetDefaults } from './presets.js';

/** Transport security choices (Microsoft's Binding SSL/TLS/Basic, reduced to what the wire does). */
export const SECURITY = ['StartTLS', 'LDAPS', 'None'] as const;
/** Bind methods: simple (DN + password), SASL EXTERNAL with the client certificate, anonymous. */
export const BINDING = ['Simple', 'SASL EXTERNAL', 'Anonymous'] as const;
/** Delta import methods (Microsoft's Generic LDAP: Accesslog, Changelog, TimeStamp, USNChanged). */
export const DELTA_METHODS = ['accesslog', 'changelog', 'modifyTimestamp', 'usnChanged', 'none'] as const;
/** How passwords are written. */
export const PASSWORD_METHODS = ['auto', 'passwordModify', 'attribute', 'attributeSsha'] as const;

const connectivity: readonly ParameterDefinition[] = [
  { name: 'directoryType', type: 'dropdown', label: 'Directory type', options: DIRECTORY_TYPES, default: 'generic', description: 'generic for any LDAP v3 server; adlds presets the Global page for AD LDS (class user, anchor objectGUID, delta usnChanged, password unicodePwd).' },
  { name: 'host', type: 'string', label: 'Host', required: true, description: 'Server name or address, e.g. ldap.example.com.' },
  { name: 'port', type: 'string', label: 'Port', pattern: '^\\d{1,5}$', description: 'Default 389 (StartTLS, None) or 636 (LDAPS).' },
  { name: 'security', type: 'dropdown', label: 'Connection security', options: SECURITY, default: 'StartTLS', description: 'StartTLS on ldap://, TLS from the start on ldaps://, or None.' },
  { name: 'allowUnencrypted', type: 'checkbox', label: 'Allow unencrypted connection', default: false, description: 'Required for security None; passwords then cross the network in clear text.' },
  { name: 'binding', type: 'dropdown', label: 'Binding', options: BINDING, default: 'Simple', description: 'Simple bind with a DN and password, SASL EXTERNAL with a client certificate, or anonymous.' },
  { name: 'bindDn', type: 'string', label: 'Bind DN', description: 'For simple bind, e.g. cn=admin,dc=example,dc=com.' },
  { name: 'bindPassword', type: 'encryptedString', label: 'Password' },
  { name: 'caCertificate', type: 'file', label: 'CA certificates', description: 'PEM file of the CAs to trust; the system CAs when empty.' },
  { name: 'serverName', type: 'string', label: 'Certificate name', description: 'The name the server certificate must carry; the host name when empty.' },
  { name: 'clientCertificate', type: 'file', label: 'Client certificate', description: 'PEM certificate for SASL EXTERNAL.' },
  { name: 'clientKey', type: 'file', label: 'Client key', description: 'PEM private key of the client certificate.' },
  { name: 'connectTimeout', type: 'string', label: 'Connection timeout (s)', default: '30', pattern: '^\\d+$' },
  { name: 'operationTimeout', type: 'string', label: 'Operation timeout (s)', default: '120', pattern: '^\\d+$' },
  { name: 'poolSize', type: 'string', label: 'Connections', default: '4', pattern: '^[1-9]\\d?$', description: 'Bound connections kept open and reused.' },
];

const global: readonly ParameterDefinition[] = [
  { name: 'objectClasses', type: 'string', label: 'Object classes', description: 'Structural classes offered as object types, comma-separated; all when empty.' },
  { name: 'anchor', type: 'dropdown', label: 'Anchor', options: ['-dn-', 'entryUUID', 'nsUniqueId', 'objectGUID'], default: '-dn-', extensible: true, description: 'The DN, or a server-generated unique ID: entryUUID (OpenLDAP), nsUniqueId (389 DS), objectGUID (AD LDS, as GUID text).' },
  { name: 'includeOperationalAttributes', type: 'checkbox', label: 'Include operational attributes in schema', default: false },
  { name: 'attributeAliases', type: 'string', label: 'Attribute aliases', description: 'Attributes the schema does not list, comma-separated, e.g. userCertificate;binary.' },
  { name: 'containers', type: 'text', label: 'Containers', description: 'DNs searched on import, one a line; every naming context when empty.' },
  { name: 'dnTemplate', type: 'string', label: 'DN template', description: 'DN of a new entry when no -dn- is given, e.g. uid={uid},ou=people,dc=example,dc=com.' },
  { name: 'deltaMethod', type: 'dropdown', label: 'Delta import', options: DELTA_METHODS, default: 'accesslog', description: 'accesslog (OpenLDAP), changelog (389 DS and others), usnChanged (AD LDS), modifyTimestamp (misses deletes) or none.' },
  { name: 'changeLogDn', type: 'string', label: 'Change log DN', description: 'cn=accesslog or cn=changelog when empty, per the delta method.' },
  { name: 'passwordAttribute', type: 'string', label: 'Password attribute', default: 'userPassword', description: 'userPassword, or unicodePwd for AD LDS (sent only over StartTLS or LDAPS).' },
  { name: 'emptyGroupMember', type: 'string', label: 'Empty group member', description: 'groupOfNames and groupOfUniqueNames need at least one member: the DN kept as the only member of an empty group, e.g. cn=nobody,dc=example,dc=com; the group\'s own DN when empty. Never imported as a member.' },
  { name: 'checkReferences', type: 'checkbox', label: 'Refuse references to missing entries', default: true, description: 'Before a member, manager or other DN-syntax value is written, check that the entry it names exists (one read per value); a value naming nothing fails its entry.' },
  { name: 'passwordMethod', type: 'dropdown', label: 'Password set', options: PASSWORD_METHODS, default: 'auto', description: 'auto uses the Password Modify operation when the server offers it; attributeSsha sends a salted SHA-1 hash.' },
];

/** The parameter definitions of a page; the Global page's defaults follow the directory type's preset. */
export function parametersOf(request: ParameterRequest): readonly ParameterDefinition[] {
  if (request.pageNumber !== 1) return [];
  const preset = presetDefaults(request.values);
  const pages: Partial<Record<ParameterPage, readonly ParameterDefinition[]>> = {
    connectivity,
    global: global.map((d) => {
      const value = preset[d.name];
      return value === undefined || d.type === 'checkbox' || d.type === 'label' ? d : { ...d, default: value };
    }),
  };
  return pages[request.page] ?? [];
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * Checks a page's values beyond the declarative rules. Every issue names a parameter of the page
 * it is raised on, and a rule between parameters names each of them, so that a wizard re-asking
 * the named parameters can always reach a valid page.
 */
export function validateParameters(request: ParameterRequest): ParameterIssue[] {
  const issues: ParameterIssue[] = [];
  const v = request.values;
  if (request.page === 'connectivity') {
    const security = str(v.security) || 'StartTLS';
    const binding = str(v.binding) || 'Simple';
    // A rule between two parameters names both, each with its own way out: a front-end re-asks
    // the parameters an issue names, and re-asking only one of them could never satisfy the rule.
    if (security === 'None' && v.allowUnencrypted !== true && str(v.allowUnencrypted) !== 'true') {
      issues.push({ parameter: 'allowUnencrypted', message: 'Connection security None needs "Allow unencrypted connection" ticked: passwords then cross the network in clear text.' });
      issues.push({ parameter: 'security', message: 'None is not encrypted: choose StartTLS or LDAPS, or tick "Allow unencrypted connection".' });
    }
    if (binding === 'Simple' && str(v.bindDn) === '') issues.push({ parameter: 'bindDn', message: 'Simple binding needs a bind DN.' });
    if (binding === 'SASL EXTERNAL') {
      if (security === 'None') {
        issues.push({ parameter: 'binding', message: 'SASL EXTERNAL needs TLS to present the client certificate: choose another binding, or StartTLS or LDAPS.' });
        issues.push({ parameter: 'security', message: 'SASL EXTERNAL presents the client certificate over TLS: choose StartTLS or LDAPS, or another binding.' });
      }
      if (str(v.clientCertificate) === '') issues.push({ parameter: 'clientCertificate', message: 'SASL EXTERNAL needs a client certificate.' });
      if (str(v.clientKey) === '') issues.push({ parameter: 'clientKey', message: 'SASL EXTERNAL needs the client certificate\'s key.' });
    }
  }
  if (request.page === 'global') {
    const template = str(v.dnTemplate);
    if (template !== '' && !/\{[^}]+\}/.test(template)) issues.push({ parameter: 'dnTemplate', message: 'The DN template must name at least one attribute in braces, e.g. uid={uid},ou=people,dc=example,dc=com.' });
  }
  return issues;
}
