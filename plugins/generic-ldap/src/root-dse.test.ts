import { describe, expect, it } from 'vitest';
import { defaultAnchor, featureWarnings, OID, parseRootDse } from './root-dse.js';

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
