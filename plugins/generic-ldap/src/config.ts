import { readFile } from 'node:fs/promises';
import type { ParameterValues, Secret } from '@ecmahost/sdk';
import { ConnectorError, readParameters } from '@ecmahost/sdk';
import { validateParameters, DELTA_METHODS, PASSWORD_METHODS } from './parameters.js';
import { withPresetDefaults } from './presets.js';
import type { ParsedDn } from './escape.js';
import { formatDn, parseDn } from './escape.js';

/** Everything the connector needs from its configuration, read and checked once at `open`. */
export interface LdapConfig {
  url: string;
  startTls: boolean;
  /** TLS options shared by ldaps:// and StartTLS. */
  tls: { ca?: string; cert?: string; key?: string; servername: string } | undefined;
  bind: { method: 'simple'; dn: string; password: Secret | undefined } | { method: 'external' } | { method: 'anonymous' };
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  poolSize: number;
  objectClasses: string[];
  anchor: string;
  includeOperational: boolean;
  aliases: string[];
  containers: string[];
  dnTemplate: string | undefined;
  deltaMethod: (typeof DELTA_METHODS)[number];
  changeLogDn: string | undefined;
  passwordAttribute: string;
  passwordMethod: (typeof PASSWORD_METHODS)[number];
  /**
   * The member kept in a `groupOfNames` / `groupOfUniqueNames` that has no other: those classes
   * require one (RFC 4519 §3.5, §3.6). `undefined` means the group's own DN.
   */
  emptyGroupMember: string | undefined;
  /** Refuse reference values (member, manager…) naming no entry, before writing them. */
  checkReferences: boolean;
}

const list = (text: string | undefined, separator: RegExp): string[] =>
  (text ?? '').split(separator).map((s) => s.trim()).filter((s) => s.length > 0);

async function readPem(path: string | undefined, parameter: string): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConnectorError('invalid-configuration', `${parameter}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { parameter, cause: error });
  }
}

/** Reads and checks the configured values; throws `ConnectorError('invalid-configuration')` naming the parameter. */
export async function readConfig(given: ParameterValues): Promise<LdapConfig> {
  const values = withPresetDefaults(given);
  for (const page of ['connectivity', 'global'] as const) {
    const [issue] = validateParameters({ page, pageNumber: 1, values });
    if (issue !== undefined) throw new ConnectorError('invalid-configuration', issue.message, issue.parameter === undefined ? {} : { parameter: issue.parameter });
  }
  const p = readParameters(values);
  const host = p.string('host');
  if (/[/\s]/.test(host)) throw new ConnectorError('invalid-configuration', `host must be a server name or address, not "${host}"`, { parameter: 'host' });
  const security = p.string('security', 'StartTLS');
  if (security !== 'StartTLS' && security !== 'LDAPS' && security !== 'None') {
    throw new ConnectorError('invalid-configuration', `security must be StartTLS, LDAPS or None, not "${security}"`, { parameter: 'security' });
  }
  const port = p.integer('port', security === 'LDAPS' ? 636 : 389);
  if (port < 1 || port > 65535) throw new ConnectorError('invalid-configuration', `port must be between 1 and 65535`, { parameter: 'port' });
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const binding = p.string('binding', 'Simple');
  let bind: LdapConfig['bind'];
  if (binding === 'Simple') bind = { method: 'simple', dn: p.string('bindDn'), password: p.secret('bindPassword') };
  else if (binding === 'SASL EXTERNAL') bind = { method: 'external' };
  else if (binding === 'Anonymous') bind = { method: 'anonymous' };
  else throw new ConnectorError('invalid-configuration', `binding must be Simple, SASL EXTERNAL or Anonymous, not "${binding}"`, { parameter: 'binding' });
  const ca = await readPem(p.optionalString('caCertificate'), 'caCertificate');
  const cert = await readPem(p.optionalString('clientCertificate'), 'clientCertificate');
  const key = await readPem(p.optionalString('clientKey'), 'clientKey');
  const tls = security === 'None'
    ? undefined
    : { servername: p.optionalString('serverName') ?? host, ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
  const deltaMethod = p.string('deltaMethod', 'accesslog');
  if (!(DELTA_METHODS as readonly string[]).includes(deltaMethod)) {
    throw new ConnectorError('invalid-configuration', `deltaMethod must be one of ${DELTA_METHODS.join(', ')}`, { parameter: 'deltaMethod' });
  }
  const passwordMethod = p.string('passwordMethod', 'auto');
  if (!(PASSWORD_METHODS as readonly string[]).includes(passwordMethod)) {
    throw new ConnectorError('invalid-configuration', `passwordMethod must be one of ${PASSWORD_METHODS.join(', ')}`, { parameter: 'passwordMethod' });
  }
  const placeholder = p.optionalString('emptyGroupMember');
  let emptyGroupMember: ParsedDn | undefined;
  try {
    emptyGroupMember = placeholder === undefined ? undefined : parseDn(placeholder);
  } catch (error) {
    throw new ConnectorError('invalid-configuration', `emptyGroupMember: ${(error as Error).message}`, { parameter: 'emptyGroupMember', cause: error });
  }
  return {
    url: `${security === 'LDAPS' ? 'ldaps' : 'ldap'}://${bracketed}:${String(port)}`,
    startTls: security === 'StartTLS',
    tls,
    bind,
    connectTimeoutMs: p.integer('connectTimeout', 30) * 1000,
    operationTimeoutMs: p.integer('operationTimeout', 120) * 1000,
    poolSize: Math.max(1, p.integer('poolSize', 4)),
    objectClasses: list(p.optionalString('objectClasses'), /,/),
    anchor: p.string('anchor', '-dn-'),
    includeOperational: p.boolean('includeOperationalAttributes'),
    aliases: list(p.optionalString('attributeAliases'), /,/),
    containers: list(p.optionalString('containers'), /\r?\n/),
    dnTemplate: p.optionalString('dnTemplate'),
    deltaMethod: deltaMethod as LdapConfig['deltaMethod'],
    changeLogDn: p.optionalString('changeLogDn'),
    passwordAttribute: p.string('passwordAttribute', 'userPassword'),
    passwordMethod: passwordMethod as LdapConfig['passwordMethod'],
    emptyGroupMember: emptyGroupMember === undefined ? undefined : formatDn(emptyGroupMember),
    checkReferences: p.boolean('checkReferences', true),
  };
}
