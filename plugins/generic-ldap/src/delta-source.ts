import { ConnectorError } from '@ecmahost/sdk';
import type { LdapConnection, LdapEntry } from './client.js';
import type { LdapConfig } from './config.js';
import type { LdapOperationError } from './errors.js';
import { isLdapOperationError } from './errors.js';
import type { ServerInfo } from './root-dse.js';

// noSuchObject and insufficientAccessRights: OpenLDAP answers an entry the identity may not see
// as missing (no disclose right), so both mean "not readable by this bind identity".
const UNREADABLE = new Set([32, 50]);

/** The change log a delta method reads: the configured DN, else the server's `changelog` (changelog method) or `cn=accesslog`. */
export function changeLogDnOf(config: LdapConfig, server: ServerInfo): string {
  if (config.changeLogDn !== undefined) return config.changeLogDn;
  if (config.deltaMethod === 'changelog') return server.changelogDn ?? 'cn=changelog';
  return 'cn=accesslog';
}

/** The parameter an admin changes to fix the change log: the DN when they gave one, else the method. */
function logParameter(config: LdapConfig): string {
  return config.changeLogDn === undefined ? 'deltaMethod' : 'changeLogDn';
}

/** What to do about a change log that cannot be read, per delta method. */
function changeLogFix(config: LdapConfig, logDn: string): string {
  if (config.deltaMethod === 'accesslog') {
    return `Enable OpenLDAP's accesslog overlay with olcAccessLogDB: ${logDn} and give the bind identity read access to it, set "Change log DN" to the database the overlay writes to, or choose another delta method (Delta import).`;
  }
  return `Enable the server's change log (389 DS: the Retro Changelog plug-in) and give the bind identity read access to it, set "Change log DN" to where it is, or choose another delta method (Delta import).`;
}

function logKind(config: LdapConfig): string {
  return config.deltaMethod === 'accesslog' ? 'accesslog database' : 'change log';
}

function isUnreadable(error: unknown): error is LdapOperationError {
  return isLdapOperationError(error) && error.resultCode !== undefined && UNREADABLE.has(error.resultCode);
}

function notReadable(config: LdapConfig, logDn: string, reason: string, cause?: unknown): ConnectorError {
  return new ConnectorError('invalid-configuration', `The ${logKind(config)} ${logDn} is not readable (${reason}). ${changeLogFix(config, logDn)}`, {
    parameter: logParameter(config),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The `invalid-configuration` error for a failure to read the change log because it does not exist
 * or the bind identity may not read it; `undefined` for any other failure (the server is down...).
 */
export function unreadableChangeLog(error: unknown, config: LdapConfig, logDn: string): ConnectorError | undefined {
  return isUnreadable(error) ? notReadable(config, logDn, error.message, error) : undefined;
}

function attributeOf(entry: LdapEntry, name: string): (string | Buffer)[] {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? [] : (entry.attributes[key] ?? []);
}

// slapo-accesslog(5) creates its suffix entry as an auditContainer: any other entry is not the log,
// and a delta import there would find no change, ever, without an error.
const isAuditContainer = (entry: LdapEntry) => attributeOf(entry, 'objectClass').some((c) => c.toString().toLowerCase() === 'auditcontainer');

/** The root entry of a change log, or why the bind identity cannot read it; other failures throw. */
async function readLogRoot(connection: LdapConnection, dn: string): Promise<{ entry: LdapEntry } | { unreadable: string; cause?: LdapOperationError }> {
  try {
    const [entry] = await connection.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['objectClass'] });
    return entry === undefined ? { unreadable: 'the bind identity may not read its entry' } : { entry };
  } catch (error) {
    if (isUnreadable(error)) return { unreadable: error.message, cause: error };
    throw error;
  }
}

async function checkChangeLog(connection: LdapConnection, config: LdapConfig, server: ServerInfo): Promise<void> {
  const logDn = changeLogDnOf(config, server);
  const root = await readLogRoot(connection, logDn);
  if ('unreadable' in root) throw notReadable(config, logDn, root.unreadable, root.cause);
  if (config.deltaMethod === 'accesslog' && !isAuditContainer(root.entry)) {
    throw new ConnectorError('invalid-configuration', `${logDn} is not an accesslog database (its entry is not an auditContainer). ${changeLogFix(config, logDn)}`, { parameter: logParameter(config) });
  }
}

/** The attribute a delta method reads on every entry, and how to make it readable. */
const ENTRY_MARKS: Partial<Record<LdapConfig['deltaMethod'], { attribute: string; fix: string }>> = {
  modifyTimestamp: { attribute: 'modifyTimestamp', fix: 'Give the bind identity read access to modifyTimestamp' },
  usnChanged: { attribute: 'uSNChanged', fix: 'AD LDS keeps uSNChanged on every object: give the bind identity read access to it (Read Property), or check that the server is AD LDS' },
};

async function checkContainer(connection: LdapConnection, config: LdapConfig, base: string): Promise<void> {
  const mark = ENTRY_MARKS[config.deltaMethod];
  let entries;
  try {
    entries = await connection.search(base, { scope: 'base', filter: '(objectClass=*)', attributes: [mark?.attribute ?? '1.1'] });
  } catch (error) {
    if (isUnreadable(error)) {
      throw new ConnectorError('invalid-configuration', `the container ${base} does not exist on the server or cannot be read by the bind identity (${error.message})`, { parameter: 'containers', cause: error });
    }
    throw error;
  }
  const [entry] = entries;
  if (entry === undefined) throw new ConnectorError('invalid-configuration', `the container ${base} cannot be read by the bind identity`, { parameter: 'containers' });
  if (mark !== undefined && attributeOf(entry, mark.attribute).length === 0) {
    throw new ConnectorError(
      'invalid-configuration',
      `${mark.attribute} is not readable on ${base}: the entry came back without it. ${mark.fix}, or choose another delta method (Delta import).`,
      { parameter: 'deltaMethod' },
    );
  }
}

/**
 * Reads, once, everything the configured options will use besides the bind: every container (or
 * naming context) imports search, and the delta source (the accesslog or changelog database, or
 * `modifyTimestamp` or `uSNChanged` on the containers). Throws `ConnectorError('invalid-configuration')` naming the
 * parameter to change and how; other failures (the server went away) are thrown as they came.
 */
export async function checkSources(connection: LdapConnection, config: LdapConfig, server: ServerInfo, bases: readonly string[]): Promise<void> {
  for (const base of bases) await checkContainer(connection, config, base);
  if (config.deltaMethod === 'accesslog' || config.deltaMethod === 'changelog') await checkChangeLog(connection, config, server);
}

/**
 * The change logs the bind identity can read, for the Global page's Server label: the accesslog
 * (`cn=accesslog`, an auditContainer) and the server's changelog (`cn=changelog` when the Root DSE
 * names none), so that an admin picks a delta method the server has.
 */
export async function readableChangeLogs(connection: LdapConnection, server: ServerInfo): Promise<string[]> {
  const found: string[] = [];
  const accesslog = await readLogRoot(connection, 'cn=accesslog');
  if ('entry' in accesslog && isAuditContainer(accesslog.entry)) found.push('cn=accesslog (accesslog)');
  const changelogDn = server.changelogDn ?? 'cn=changelog';
  if ('entry' in (await readLogRoot(connection, changelogDn))) found.push(`${changelogDn} (changelog)`);
  return found;
}
