import type { ConformanceObject } from '@ecmahost/sdk/testing';
import { describeConnectorConformance } from '@ecmahost/sdk/testing';
import { Client, Control } from 'ldapts';
import { describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { adldsTarget } from './adlds-target.js';

// The conformance kit against a real AD LDS, when ECMAHOST_ADLDS_URL names one (see
// adlds-target.ts). AD LDS runs on Windows Server only: none ran here, and this suite is the way to
// prove the offline-tested paths (objectGUID text, unicodePwd, usnChanged) against the real server.

const target = adldsTarget(process.env.ECMAHOST_ADLDS_URL, process.env.ECMAHOST_ADLDS_CA);

describe('ECMAHOST_ADLDS_URL', () => {
  it('is read into AD LDS preset values, or gives the reason the suite is skipped', () => {
    const parsed = adldsTarget('ldaps://CN%3Dsvc%2CCN%3DContoso%2CDC%3Dlab:p%40ss@adlds.contoso.lab:50636/CN=Users,CN=Contoso,DC=lab', '/etc/ca.pem');
    expect('values' in parsed && { ...parsed.values, bindPassword: undefined }).toEqual({
      directoryType: 'adlds',
      host: 'adlds.contoso.lab',
      port: '50636',
      security: 'LDAPS',
      binding: 'Simple',
      bindDn: 'CN=svc,CN=Contoso,DC=lab',
      bindPassword: undefined,
      caCertificate: '/etc/ca.pem',
    });
    expect('values' in parsed && parsed.values.bindPassword !== undefined && typeof parsed.values.bindPassword === 'object' && parsed.values.bindPassword.reveal()).toBe('p@ss');
    expect(adldsTarget(undefined, undefined)).toEqual({ reason: 'ECMAHOST_ADLDS_URL is not set (ldaps://<bind DN>:<password>@<host>:636/<container DN>)' });
    expect(adldsTarget('https://x/y', undefined)).toEqual({ reason: 'ECMAHOST_ADLDS_URL must start with ldaps:// or ldap://, not https://' });
  });
});

function sample(n: number): ConformanceObject {
  return {
    attributes: {
      objectClass: ['user'],
      cn: `User, ${String(n)} (*)`,
      displayName: `Display ${String(n)}`,
      userPrincipalName: `user${String(n)}@contoso.lab`,
      otherTelephone: [`+1 555 01${String(n).padStart(2, '0')}`, `+1 555 02${String(n).padStart(2, '0')}`],
    },
  };
}

if ('reason' in target) {
  // The skipped suite's title is hidden by the default reporter; this line is what the run shows.
  console.warn(`skipped: generic-ldap conformance on AD LDS: ${target.reason}`);
  describe.skip(`generic-ldap conformance on AD LDS (skipped: ${target.reason})`, () => undefined);
} else {
  let counter = 0;
  describeConnectorConformance({
    name: 'generic-ldap conformance on AD LDS (preset adlds)',
    connector,
    target: async () => {
      counter += 1;
      const container = `CN=ecmahost-${String(process.pid)}-${String(counter)},${target.container}`;
      const client = new Client({ url: target.url });
      if (target.url.startsWith('ldap:')) await client.startTLS({});
      await client.bind(target.bindDn, target.password);
      await client.add(container, { objectClass: 'container', cn: container.split(',')[0]?.slice(3) ?? '' });
      await client.unbind();
      return {
        values: { ...target.values, containers: container, dnTemplate: `CN={cn},${container}` },
        async cleanup() {
          const admin = new Client({ url: target.url });
          if (target.url.startsWith('ldap:')) await admin.startTLS({});
          await admin.bind(target.bindDn, target.password);
          // Tree delete control (1.2.840.113556.1.4.805): the container and what the check left in it.
          await admin.del(container, new Control('1.2.840.113556.1.4.805', { critical: true })).catch(() => undefined);
          await admin.unbind();
        },
      };
    },
    objectType: 'user',
    sample,
    singleValued: 'displayName',
    multiValued: 'otherTelephone',
    // No cn: the DN template CN={cn} cannot be filled, so the entry fails alone.
    invalid: () => ({ attributes: { objectClass: ['user'], displayName: 'No name' } }),
    pageSize: 2,
    exportBatchSize: 3,
  });
}
