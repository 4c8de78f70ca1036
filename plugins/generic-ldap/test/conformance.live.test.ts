import type { ConformanceObject } from '@ecmahost/sdk/testing';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import connector from '../src/index.js';
import { freshContainer, valuesFor } from './ldap-target.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

const skip = slapdSkipReason();

// Microsoft's OpenLDAP mapping: inetOrgPerson with the posixAccount auxiliary class. The samples
// cover text (cn, sn, displayName, mail), integers (uidNumber, gidNumber), a DN reference
// (manager) and bytes (jpegPhoto), and values that need RFC 4514/4515 escaping.
function sample(n: number): ConformanceObject {
  return {
    attributes: {
      objectClass: ['inetOrgPerson', 'posixAccount'],
      uid: `user${String(n)}`,
      cn: `User, ${String(n)} (*)`,
      sn: `Surname${String(n)}`,
      displayName: `Display ${String(n)}`,
      mail: [`user${String(n)}@example.com`, `alias${String(n)}@example.com`],
      uidNumber: 10_000 + n,
      gidNumber: 10_000,
      homeDirectory: `/home/user${String(n)}`,
      // An entry that exists: the connector refuses references to missing entries (checkReferences).
      manager: 'ou=people,dc=example,dc=com',
      jpegPhoto: Uint8Array.from([0xff, 0xd8, n % 256, 0x00, 0x28, 0x29]),
    },
  };
}

describe.skipIf(skip !== undefined)(liveTitle('generic-ldap conformance', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  const variants = [
    { label: 'StartTLS, simple bind, anchor entryUUID', anchor: 'entryUUID', transport: {} },
    { label: 'StartTLS, simple bind, anchor -dn-', anchor: '-dn-', transport: {} },
    { label: 'LDAPS, SASL EXTERNAL, anchor entryUUID', anchor: 'entryUUID', transport: { security: 'LDAPS', binding: 'SASL EXTERNAL', bindDn: '' } },
  ];
  for (const { label, anchor, transport } of variants) {
    describeConnectorConformance({
      name: `generic-ldap on OpenLDAP (${label})`,
      connector,
      target: async () => {
        const container = await freshContainer(slapd, 'conformance');
        const tls = 'security' in transport ? { port: String(slapd.ldapsPort), clientCertificate: slapd.clientCertFile, clientKey: slapd.clientKeyFile } : {};
        return {
          values: valuesFor(slapd, {
            ...transport,
            ...tls,
            anchor,
            objectClasses: 'inetOrgPerson,groupOfNames',
            containers: container,
            dnTemplate: `uid={uid},${container}`,
          }),
        };
      },
      objectType: 'inetOrgPerson',
      sample,
      singleValued: 'displayName',
      multiValued: 'mail',
      // entryUUID and the DN are the directory's: Entra's userName maps to uid, as an admin maps it.
      throughHost: { userName: 'uid' },
      // inetOrgPerson needs sn and cn: an entry without them is an objectClassViolation.
      invalid: () => ({ attributes: { objectClass: ['inetOrgPerson'], uid: 'broken', displayName: 'No surname' } }),
      // Groups of the same container hold the samples as members, by DN.
      references: {
        objectType: 'groupOfNames',
        attribute: 'member',
        sample: (n, values) => ({ dn: `cn=Group ${String(n)},${String(values.containers)}`, attributes: { cn: `Group ${String(n)}` } }),
        referenceTo: (object) => object.dn ?? '',
        dangling: (values) => `uid=nobody-here,${String(values.containers)}`,
        renamedDn: (object, values) => `uid=renamed-${String(object.dn?.split(',')[0]?.split('=')[1])},${String(values.containers)}`,
      },
      pageSize: 2,
      // The host sends one-entry exports and no partition; the connector also supports batches and partitions for other hosts.
      exportBatchSize: 3,
      partitions: true,
    });
  }
});
