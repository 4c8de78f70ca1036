import { describe, expect, it } from 'vitest';
import { accesslogFilter, changelogFilter, laterChangeNumber, parseAccesslogEntry, parseChangelogEntry, renamedDn } from './change-log.js';

const log = (attributes: Record<string, string[]>) => ({ dn: `reqStart=${attributes.reqStart?.[0] ?? ''},cn=accesslog`, attributes });

describe('OpenLDAP accesslog records', () => {
  it('reads adds, modifies, deletes (with the old object classes) and modrdns', () => {
    expect(parseAccesslogEntry(log({ objectClass: ['auditAdd'], reqStart: ['20260101000000.000001Z'], reqDN: ['uid=a,dc=x'], reqEntryUUID: ['u-1'] }))).toEqual({
      position: '20260101000000.000001Z',
      kind: 'add',
      dn: 'uid=a,dc=x',
      uniqueId: 'u-1',
    });
    expect(parseAccesslogEntry(log({ objectClass: ['auditModify'], reqStart: ['1'], reqDN: ['uid=a,dc=x'] }))?.kind).toBe('modify');
    expect(parseAccesslogEntry(log({ objectClass: ['auditDelete'], reqStart: ['1'], reqDN: ['uid=a,dc=x'], reqOld: ['objectClass: inetOrgPerson', 'objectClass: posixAccount'] }))).toMatchObject({
      kind: 'delete',
      oldObjectClasses: ['inetOrgPerson', 'posixAccount'],
    });
    expect(parseAccesslogEntry(log({ objectClass: ['auditModRDN'], reqStart: ['1'], reqDN: ['uid=a,ou=old,dc=x'], reqNewRDN: ['uid=b'], reqNewSuperior: ['ou=new,dc=x'] }))?.newDn).toBe('uid=b,ou=new,dc=x');
    expect(parseAccesslogEntry(log({ objectClass: ['auditSearch'], reqStart: ['1'], reqDN: ['dc=x'] }))).toBeUndefined();
  });

  it('asks for successful writes strictly after the watermark, the value escaped', () => {
    expect(accesslogFilter('')).toBe('(&(|(objectClass=auditAdd)(objectClass=auditModify)(objectClass=auditDelete)(objectClass=auditModRDN))(reqResult=0))');
    expect(accesslogFilter('20260101000000.000001Z')).toContain('(reqStart>=20260101000000.000001Z)(!(reqStart=20260101000000.000001Z))');
  });
});

describe('draft-good-ldap-changelog records (389 DS)', () => {
  it('reads change numbers, types and unique IDs', () => {
    const entry = { dn: 'changenumber=7,cn=changelog', attributes: { changeNumber: ['7'], targetDN: ['uid=a,dc=x'], changeType: ['modrdn'], newRDN: ['uid=b'], targetUniqueId: ['abc-def'] } };
    expect(parseChangelogEntry(entry)).toEqual({ position: '7', kind: 'rename', dn: 'uid=a,dc=x', newDn: 'uid=b,dc=x', uniqueId: 'abc-def' });
    expect(changelogFilter('')).toBe('(changeNumber>=0)');
    expect(changelogFilter('9007199254740993')).toBe('(changeNumber>=9007199254740994)');
    expect(laterChangeNumber('10', '9')).toBe('10');
  });

  it('keeps escaped characters of renamed DNs', () => {
    expect(renamedDn('cn=a\\,b,ou=p,dc=x', 'cn=c\\+d', undefined)).toBe('cn=c\\+d,ou=p,dc=x');
  });
});
