import { isConnectorError } from '@ecmahost/sdk';
import type { ConnectorInstance, ParameterValues } from '@ecmahost/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valuesFor } from './ldap-target.js';
import { withInstance } from './with-instance.js';
import { type Slapd, liveTitle, slapdSkipReason, startSlapd } from './slapd.js';

// What an admin meets while setting a connector up (issue 13): the attributes a wizard preselects,
// and a connection test that checks what the chosen options will read, so that a delta source
// that is not there fails the test instead of every import after it.

const skip = slapdSkipReason();

/** The ConnectorError `fn` fails with, as the admin sees it. */
async function failure(fn: () => Promise<unknown>): Promise<{ code: string; message: string; parameter: string | undefined }> {
  try {
    await fn();
  } catch (error) {
    if (isConnectorError(error)) return { code: error.code, message: error.message, parameter: error.parameter };
    throw error;
  }
  throw new Error('the operation succeeded');
}

const testFailure = (values: ParameterValues) => failure(() => withInstance(values, (i) => i.testConnection()));

async function fullImport(instance: ConnectorInstance): Promise<number> {
  const session = await instance.openImport!({ type: 'full', schema: await instance.getSchema(), pageSize: 50 });
  let count = 0;
  try {
    for (;;) {
      const page = await session.getEntries();
      count += page.entries.length;
      if (!page.more) return count;
    }
  } finally {
    await session.close('normal');
  }
}

describe.skipIf(skip !== undefined)(liveTitle('setting a connector up against slapd with the accesslog overlay', skip), () => {
  let slapd: Slapd;
  const anonymous = { binding: 'Anonymous', bindDn: '' };
  beforeAll(async () => {
    slapd = await startSlapd({ access: ['to attrs=modifyTimestamp by anonymous none by * read'] });
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it("leaves only inetOrgPerson's user attributes for a wizard to preselect", async () => {
    const schema = await withInstance(valuesFor(slapd, { objectClasses: 'inetOrgPerson', anchor: 'entryUUID', includeOperationalAttributes: true }), (i) => i.getSchema());
    const [type] = schema.objectTypes;
    const hidden = (name: string) => type?.attributes.find((a) => a.name === name)?.hidden === true;
    for (const name of ['-dn-', 'objectClass', 'entryUUID', 'cn', 'sn', 'mail', 'uid', 'givenName', 'displayName', 'title', 'userPassword']) expect(hidden(name), name).toBe(false);
    const operational = ['attributeTypes', 'matchingRules', 'objectClasses', 'createTimestamp', 'modifyTimestamp'];
    const configuration = ['olcDefaultSearchBase', 'olcSortVals'];
    const binary = ['userCertificate', 'cACertificate', 'userSMIMECertificate', 'userPKCS12', 'jpegPhoto', 'photo', 'audio', 'supportedAlgorithms'];
    const auxiliary = ['uidNumber', 'gidNumber', 'homeDirectory', 'shadowExpire', 'bootFile', 'dSAQuality'];
    for (const name of [...operational, ...configuration, ...binary, ...auxiliary]) {
      expect(type?.attributes.some((a) => a.name === name), `${name} is offered`).toBe(true);
      expect(hidden(name), name).toBe(true);
    }
    const visible = type?.attributes.filter((a) => a.hidden !== true) ?? [];
    expect(visible.length).toBeLessThan(50);
    expect(visible.filter((a) => a.type === 'binary' || (a.operation === 'importOnly' && a.name !== 'entryUUID'))).toEqual([]);
  });

  it('passes the connection test with the default delta method (accesslog) when cn=accesslog is readable', async () => {
    await withInstance(valuesFor(slapd), (i) => i.testConnection());
  });

  it('fails the connection test for an accesslog base that does not exist, naming the parameter and the fix', async () => {
    const error = await testFailure(valuesFor(slapd, { changeLogDn: 'cn=nolog' }));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'changeLogDn' });
    expect(error.message).toMatch(/^The accesslog database cn=nolog is not readable \(.*noSuchObject \(32\).*\)\. Enable OpenLDAP's accesslog overlay with olcAccessLogDB: cn=nolog/);
    expect(error.message).toMatch(/or choose another delta method \(Delta import\)\.$/);
  });

  it('fails the connection test for an accesslog base that is not an accesslog database', async () => {
    const error = await testFailure(valuesFor(slapd, { changeLogDn: slapd.baseDn }));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'changeLogDn' });
    expect(error.message).toMatch(/^dc=example,dc=com is not an accesslog database \(its entry is not an auditContainer\)\./);
  });

  it('fails the connection test when the bind identity may not read the accesslog', async () => {
    const error = await testFailure(valuesFor(slapd, anonymous));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'deltaMethod' });
    expect(error.message).toMatch(/^The accesslog database cn=accesslog is not readable/);
  });

  it('fails the connection test for the changelog method on a server without cn=changelog', async () => {
    const error = await testFailure(valuesFor(slapd, { deltaMethod: 'changelog' }));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'deltaMethod' });
    expect(error.message).toMatch(/^The change log cn=changelog is not readable \(.*\)\. Enable the server's change log \(389 DS: the Retro Changelog plug-in\)/);
  });

  it('passes the modifyTimestamp method when the attribute is readable, and fails it when it is not', async () => {
    await withInstance(valuesFor(slapd, { deltaMethod: 'modifyTimestamp' }), (i) => i.testConnection());
    const error = await testFailure(valuesFor(slapd, { ...anonymous, deltaMethod: 'modifyTimestamp' }));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'deltaMethod' });
    expect(error.message).toBe('modifyTimestamp is not readable on dc=example,dc=com: the entry came back without it. Give the bind identity read access to modifyTimestamp, or choose another delta method (Delta import).');
    await withInstance(valuesFor(slapd, { ...anonymous, deltaMethod: 'none' }), (i) => i.testConnection());
  });

  it('fails the connection test for a container that does not exist', async () => {
    const error = await testFailure(valuesFor(slapd, { containers: `ou=people,${slapd.baseDn}\nou=nowhere,${slapd.baseDn}` }));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'containers' });
    expect(error.message).toMatch(/^the container ou=nowhere,dc=example,dc=com does not exist on the server or cannot be read by the bind identity/);
  });
});

describe.skipIf(skip !== undefined)(liveTitle('setting a connector up against slapd without the accesslog overlay', skip), () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd({ accesslog: false });
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it('fails the connection test with the default delta method, saying how to fix it', async () => {
    const error = await testFailure(valuesFor(slapd));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'deltaMethod' });
    expect(error.message).toMatch(/^The accesslog database cn=accesslog is not readable \(.*noSuchObject \(32\).*\)\. Enable OpenLDAP's accesslog overlay/);
  });

  it('fails the first full import as invalid-configuration with the same message, not internal', async () => {
    const error = await failure(() => withInstance(valuesFor(slapd, { objectClasses: 'inetOrgPerson' }), fullImport));
    expect(error).toMatchObject({ code: 'invalid-configuration', parameter: 'deltaMethod' });
    expect(error.message).toMatch(/^The accesslog database cn=accesslog is not readable/);
  });

  it('tests and imports with a delta method the server supports', async () => {
    for (const deltaMethod of ['modifyTimestamp', 'none']) {
      await withInstance(valuesFor(slapd, { objectClasses: 'organizationalUnit', deltaMethod }), async (i) => {
        await i.testConnection();
        expect(await fullImport(i)).toBe(1);
      });
    }
  });
});
