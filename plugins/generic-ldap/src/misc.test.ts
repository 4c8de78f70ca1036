import { describe, expect, it } from 'vitest';
import { isConnectorError, secret } from '@ecmahost/sdk';
import { readConfig } from './config.js';
import { renderDnTemplate } from './dn-template.js';
import { buildHierarchy } from './hierarchy.js';
import { importBases, objectClassFilter } from './import-session.js';
import { defaultAnchor, featureWarnings, OID, parseRootDse } from './root-dse.js';
import { sshaHash, sshaMatches } from './ssha.js';
import { fromGeneralizedTime, toGeneralizedTime, typeOfSyntax } from './syntax.js';
import { fromLdap, toLdap } from './value-codec.js';
import { formatWatermark, parseWatermark } from './watermark.js';

describe('DN templates', () => {
  it('fills attributes and escapes their values so each stays one RDN value', () => {
    expect(renderDnTemplate('uid={uid},ou=people,dc=example,dc=com', { uid: 'a,b+c' })).toBe('uid=a\\,b\\+c,ou=people,dc=example,dc=com');
    expect(renderDnTemplate('cn={CN},dc=x', { cn: ['#1 ', 'other'] })).toBe('cn=\\#1\\ ,dc=x');
    expect(() => renderDnTemplate('uid={uid},dc=x', {})).toThrow(/needs a value for uid/);
  });
});

describe('{SSHA} hashes', () => {
  it('salts, and verifies', () => {
    const hash = sshaHash('s3cret');
    expect(hash).toMatch(/^\{SSHA\}[A-Za-z0-9+/]+=*$/);
    expect(hash).not.toBe(sshaHash('s3cret'));
    expect(sshaMatches('s3cret', hash)).toBe(true);
    expect(sshaMatches('other', hash)).toBe(false);
  });
});

describe('syntaxes and values', () => {
  it('maps syntax OIDs to data types', () => {
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.27')).toBe('integer');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.7')).toBe('boolean');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.24')).toBe('datetime');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.12')).toBe('reference');
    expect(typeOfSyntax('1.3.6.1.4.1.1466.115.121.1.40')).toBe('binary');
    expect(typeOfSyntax(undefined)).toBe('string');
  });

  it('converts generalized times both ways', () => {
    expect(fromGeneralizedTime('20260131120000Z')).toBe('2026-01-31T12:00:00.000Z');
    expect(fromGeneralizedTime('20260131140000.5+0200')).toBe('2026-01-31T12:00:00.500Z');
    expect(toGeneralizedTime('2026-01-31T12:00:00.250Z')).toBe('20260131120000.250Z');
    expect(() => fromGeneralizedTime('yesterday')).toThrow(/not a generalized time/);
  });

  it('converts values by type and refuses values of the wrong type', () => {
    expect(fromLdap({ name: 'uidNumber', type: 'integer' }, ['42'])).toEqual([42]);
    expect(fromLdap({ name: 'flag', type: 'boolean' }, ['TRUE', 'FALSE'])).toEqual([true, false]);
    expect(() => fromLdap({ name: 'uidNumber', type: 'integer' }, ['x'])).toThrow(/not an integer/);
    expect(toLdap({ name: 'uidNumber', type: 'integer' }, 7)).toBe('7');
    expect(toLdap({ name: 'flag', type: 'boolean' }, false)).toBe('FALSE');
    expect(() => toLdap({ name: 'uidNumber', type: 'integer' }, 'seven')).toThrow(/takes an integer/);
    expect(toLdap({ name: 'jpegPhoto', type: 'binary' }, Uint8Array.from([1, 2]))).toEqual(Buffer.from([1, 2]));
  });
});

describe('Root DSE', () => {
  it('recognises OpenLDAP, 389 DS and AD LDS and warns about missing mandatory features', () => {
    const openldap = parseRootDse({ objectClass: ['top', 'OpenLDAProotDSE'], namingContexts: ['dc=example,dc=com'], supportedControl: [OID.pagedResults], supportedFeatures: [OID.trueFalseFilters] });
    expect(openldap.vendor).toBe('openldap');
    expect(featureWarnings(openldap)).toEqual([]);
    const ds389 = parseRootDse({ vendorName: '389 Project', changelog: 'cn=changelog' });
    expect(ds389.vendor).toBe('389ds');
    expect(ds389.changelogDn).toBe('cn=changelog');
    expect(featureWarnings(ds389).join('\n')).toMatch(/paged results[\s\S]*True\/False/);
    expect(parseRootDse({ dsServiceName: 'CN=NTDS Settings' }).vendor).toBe('adlds');
    expect([defaultAnchor('openldap'), defaultAnchor('389ds'), defaultAnchor('adlds'), defaultAnchor('other')]).toEqual(['entryUUID', 'nsUniqueId', 'objectGUID', '-dn-']);
  });
});

describe('watermarks', () => {
  it('round-trip, and a foreign or mismatched one asks for a full import', () => {
    expect(parseWatermark(formatWatermark({ method: 'accesslog', position: '20260101000000.000001Z' }), 'accesslog').position).toBe('20260101000000.000001Z');
    for (const [text, method] of [
      ['garbage', 'accesslog'],
      [formatWatermark({ method: 'changelog', position: '5' }), 'accesslog'],
      [JSON.stringify({ v: 1, method: 'changelog', position: '5)(x' }), 'changelog'],
      [undefined, 'accesslog'],
    ] as const) {
      const error = (() => {
        try {
          parseWatermark(text, method);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(isConnectorError(error) && error.code).toBe('invalid-watermark');
    }
  });
});

describe('configuration', () => {
  const base = { host: 'ldap.example.com', bindDn: 'cn=admin,dc=example,dc=com', bindPassword: secret('x') };
  it('builds URLs per security and refuses plain text unless allowed', async () => {
    expect((await readConfig(base)).url).toBe('ldap://ldap.example.com:389');
    expect((await readConfig({ ...base, security: 'LDAPS' })).url).toBe('ldaps://ldap.example.com:636');
    expect((await readConfig({ ...base, host: '::1', security: 'StartTLS' })).url).toBe('ldap://[::1]:389');
    await expect(readConfig({ ...base, security: 'None' })).rejects.toThrow(/Allow unencrypted connection/);
    expect((await readConfig({ ...base, security: 'None', allowUnencrypted: true })).tls).toBeUndefined();
  });

  it('names the parameter at fault', async () => {
    await expect(readConfig({ ...base, binding: 'SASL EXTERNAL' })).rejects.toMatchObject({ parameter: 'clientCertificate' });
    await expect(readConfig({ ...base, caCertificate: '/nonexistent/ca.pem' })).rejects.toThrow(/caCertificate: cannot read \/nonexistent\/ca.pem \(ENOENT\)/);
    await expect(readConfig({ ...base, host: 'ldap://x' })).rejects.toMatchObject({ parameter: 'host' });
    await expect(readConfig({ ...base, port: '70000' })).rejects.toMatchObject({ parameter: 'port' });
    await expect(readConfig({ ...base, dnTemplate: 'uid=fixed,dc=x' })).rejects.toMatchObject({ parameter: 'dnTemplate' });
  });
});

describe('import scope', () => {
  it('searches inclusions, else configured containers, else partitions, without nesting twice', () => {
    expect(importBases({}, [], ['dc=a', 'dc=b'])).toEqual(['dc=a', 'dc=b']);
    expect(importBases({}, ['ou=p,dc=a', 'ou=x,ou=p,dc=a', 'OU=P,DC=A'], ['dc=a'])).toEqual(['ou=p,dc=a']);
    expect(importBases({ inclusions: [{ dn: 'ou=q,dc=a', displayName: 'q' }] }, ['ou=p,dc=a'], ['dc=a'])).toEqual(['ou=q,dc=a']);
    expect(importBases({ partition: { id: 'dc=b', dn: 'dc=b', name: 'b' } }, ['ou=p,dc=a'], ['dc=a', 'dc=b'])).toEqual([]);
    expect(importBases({ partition: { id: 'dc=b', dn: 'dc=b', name: 'b' } }, [], ['dc=a', 'dc=b'])).toEqual(['dc=b']);
  });

  it('escapes object class names in the filter', () => {
    expect(objectClassFilter([{ name: 'person', anchors: [], attributes: [] }])).toBe('(objectClass=person)');
    expect(objectClassFilter([{ name: 'a', anchors: [], attributes: [] }, { name: 'b*', anchors: [], attributes: [] }])).toBe('(|(objectClass=a)(objectClass=b\\2a))');
  });

  it('builds the container tree', () => {
    const tree = buildHierarchy('dc=x', [{ dn: 'dc=x', attributes: {} }, { dn: 'ou=b,ou=a,dc=x', attributes: {} }, { dn: 'ou=a,dc=x', attributes: {} }]);
    expect(tree).toEqual([{ dn: 'ou=a,dc=x', displayName: 'a', children: [{ dn: 'ou=b,ou=a,dc=x', displayName: 'b' }] }]);
  });
});
