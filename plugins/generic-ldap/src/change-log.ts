import type { LdapEntry } from './client.js';
import { equalityFilter, escapeFilterValue, formatDn, parseDn } from './escape.js';

/** One change read from a directory's change log, whatever its format. */
export interface ChangeRecord {
  /** The log position after this change: a reqStart time (accesslog) or a change number (changelog). */
  position: string;
  kind: 'add' | 'modify' | 'delete' | 'rename';
  dn: string;
  /** The DN after a rename. */
  newDn?: string;
  /** The entry's unique ID when the log records it (accesslog `reqEntryUUID`, changelog `targetUniqueId`). */
  uniqueId?: string;
  /** Object classes of the entry before the change, when the log keeps old values (accesslog `reqOld`). */
  oldObjectClasses?: string[];
}

function first(entry: LdapEntry, name: string): string | undefined {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : entry.attributes[key]?.[0];
  return v === undefined ? undefined : v.toString();
}

function all(entry: LdapEntry, name: string): string[] {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return (key === undefined ? [] : (entry.attributes[key] ?? [])).map((v) => v.toString());
}

/** The DN after a modRDN/modDN: the new RDN under the new superior, or under the old parent. */
export function renamedDn(dn: string, newRdn: string, newSuperior: string | undefined): string {
  const parent = newSuperior ?? formatDn(parseDn(dn).slice(1));
  const rdn = formatDn(parseDn(newRdn));
  return parent === '' ? rdn : `${rdn},${formatDn(parseDn(parent))}`;
}

/** Attributes to read from OpenLDAP's accesslog (slapo-accesslog(5)). */
export const ACCESSLOG_ATTRIBUTES = ['objectClass', 'reqStart', 'reqDN', 'reqType', 'reqNewRDN', 'reqNewSuperior', 'reqEntryUUID', 'reqOld', 'reqResult'];

/**
 * The accesslog filter for successful writes after `after` (a reqStart value; all when empty).
 * `reqStart>=x` without `reqStart=x` because LDAP filters have no strict "greater than".
 */
export function accesslogFilter(after: string): string {
  const writes = '(|(objectClass=auditAdd)(objectClass=auditModify)(objectClass=auditDelete)(objectClass=auditModRDN))';
  if (after === '') return `(&${writes}(reqResult=0))`;
  return `(&${writes}(reqResult=0)(reqStart>=${escapeFilterValue(after)})(!${equalityFilter('reqStart', after)}))`;
}

/** Reads one accesslog entry (auditAdd, auditModify, auditDelete, auditModRDN); `undefined` for other entries. */
export function parseAccesslogEntry(entry: LdapEntry): ChangeRecord | undefined {
  const classes = all(entry, 'objectClass').map((c) => c.toLowerCase());
  const position = first(entry, 'reqStart');
  const dn = first(entry, 'reqDN');
  if (position === undefined || dn === undefined) return undefined;
  const kind = classes.includes('auditadd') ? 'add' : classes.includes('auditmodify') ? 'modify' : classes.includes('auditdelete') ? 'delete' : classes.includes('auditmodrdn') ? 'rename' : undefined;
  if (kind === undefined) return undefined;
  const record: ChangeRecord = { position, kind, dn };
  const uuid = first(entry, 'reqEntryUUID');
  if (uuid !== undefined) record.uniqueId = uuid;
  // reqOld holds "attr: value" lines of the old entry when olcAccessLogOld is configured.
  const old = all(entry, 'reqOld').filter((l) => /^objectClass:/i.test(l)).map((l) => l.replace(/^objectClass:\s*/i, ''));
  if (old.length > 0) record.oldObjectClasses = old;
  if (kind === 'rename') {
    const newRdn = first(entry, 'reqNewRDN');
    if (newRdn === undefined) return undefined;
    record.newDn = renamedDn(dn, newRdn, first(entry, 'reqNewSuperior'));
  }
  return record;
}

/** Attributes to read from a draft-good-ldap-changelog `cn=changelog` (389 DS, OpenDJ, Oracle DSEE). */
export const CHANGELOG_ATTRIBUTES = ['changeNumber', 'targetDN', 'changeType', 'newRDN', 'newSuperior', 'targetUniqueId'];

/** The changelog filter for changes after change number `after` (all when empty). */
export function changelogFilter(after: string): string {
  if (after === '') return '(changeNumber>=0)';
  const n = BigInt(after) + 1n;
  return `(changeNumber>=${n.toString()})`;
}

/** Reads one changelog entry; `undefined` for entries that are not changes. */
export function parseChangelogEntry(entry: LdapEntry): ChangeRecord | undefined {
  const position = first(entry, 'changeNumber');
  const dn = first(entry, 'targetDN');
  const type = first(entry, 'changeType')?.toLowerCase();
  if (position === undefined || dn === undefined || type === undefined) return undefined;
  const kind = type === 'add' ? 'add' : type === 'modify' ? 'modify' : type === 'delete' ? 'delete' : type === 'modrdn' || type === 'moddn' ? 'rename' : undefined;
  if (kind === undefined) return undefined;
  const record: ChangeRecord = { position, kind, dn };
  const uniqueId = first(entry, 'targetUniqueId');
  if (uniqueId !== undefined) record.uniqueId = uniqueId;
  if (kind === 'rename') {
    const newRdn = first(entry, 'newRDN');
    if (newRdn === undefined) return undefined;
    record.newDn = renamedDn(dn, newRdn, first(entry, 'newSuperior'));
  }
  return record;
}

/** Which of two change numbers is later (they may exceed 2^53). */
export function laterChangeNumber(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}
