/**
 * A throw-away OpenLDAP `slapd` for tests and benchmarks: its own cn=config directory (built with
 * `slapadd -n0`), an mdb database for the suffix, the accesslog overlay writing to a second mdb
 * (`cn=accesslog`), TLS with a CA and certificates generated for the run, `ldap://` and `ldaps://`
 * on free loopback ports. Stopped by PID; restartable on the same ports for outage tests.
 *
 * ```ts
 * const reason = slapdSkipReason();           // throws when ECMAHOST_REQUIRE_LIVE=1 and slapd is missing
 * describe.skipIf(reason !== undefined)(liveTitle('...', reason), () => {
 *   let slapd: Slapd;
 *   beforeAll(async () => { slapd = await startSlapd(); });
 *   afterAll(() => slapd?.stop());
 * });
 * ```
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';

const run = promisify(execFile);

/** Where the OpenLDAP programs and files are; Debian's paths unless overridden by environment. */
const SLAPD = located('ECMAHOST_SLAPD', ['/usr/sbin/slapd', '/usr/local/libexec/slapd', '/usr/libexec/slapd']);
const SLAPADD = located('ECMAHOST_SLAPADD', ['/usr/sbin/slapadd', '/usr/local/sbin/slapadd']);
const MODULE_PATH = located('ECMAHOST_SLAPD_MODULES', ['/usr/lib/ldap', '/usr/lib64/openldap', '/usr/local/libexec/openldap']);
const SCHEMA_DIR = located('ECMAHOST_SLAPD_SCHEMA', ['/etc/ldap/schema', '/etc/openldap/schema', '/usr/local/etc/openldap/schema']);

/** The path named by an environment variable, else the first existing candidate; only paths that exist. */
function located(variable: string, candidates: string[]): string | undefined {
  const given = process.env[variable];
  return [...(given === undefined ? [] : [given]), ...(given === undefined ? candidates : [])].find((c) => existsSync(c));
}

/** Options of {@link startSlapd}. */
export interface SlapdOptions {
  /** The suffix of the data database. Default `dc=example,dc=com`. */
  baseDn?: string;
  /** The root DN's password. Default a fixed test password. */
  bindPassword?: string;
  /** Log writes with the accesslog overlay to `cn=accesslog`. Default `true`. */
  accesslog?: boolean;
  /** An LDIF file loaded into the data database with `slapadd` before slapd starts (fast bulk load). */
  seedLdifFile?: string;
  /** Create the suffix entry and `ou=people` before starting. Default `true` (ignored with `seedLdifFile`). */
  createBase?: boolean;
  /**
   * Add a `cn=changelog` database with the draft-good-ldap-changelog schema (389 DS, OpenDJ), which
   * tests fill with change records themselves (OpenLDAP does not write one). Default `false`.
   */
  changelog?: boolean;
  /** Whether clients must present a certificate on TLS: `never`, `allow`, `try`. Default `try`. */
  verifyClient?: 'never' | 'allow' | 'try';
  /**
   * Access rules (slapd.access(5), without the index) for the data database, placed before its
   * defaults (passwords for binds, everything else readable by all), e.g.
   * `to attrs=modifyTimestamp by anonymous none`. The root DN is not subject to them.
   */
  access?: readonly string[];
  /** An LDIF file of `olcSchemaConfig` entries loaded after the standard schemas, e.g. `test/fixtures/adlds-schema.ldif`. */
  schemaLdifFile?: string;
  /**
   * Load the referential integrity overlay (slapo-refint(5)) on the data database: renaming or
   * deleting an entry updates the `member`, `uniqueMember` and `manager` values naming it, and a
   * group losing its last member gets `refintNothing`. Default `false`.
   */
  refint?: boolean;
  /** The DN refint puts in a group it empties. Default `cn=nobody,<baseDn>`. */
  refintNothing?: string;
}

/** A running test slapd. */
export interface Slapd {
  /** `ldap://127.0.0.1:<port>` (StartTLS available). */
  url: string;
  /** `ldaps://127.0.0.1:<port>`. */
  ldapsUrl: string;
  /** The ports of `url` and `ldapsUrl`. */
  port: number;
  ldapsPort: number;
  /** The test CA that signed the server and client certificates (PEM), and its file. */
  caPem: string;
  caFile: string;
  /** Files of the client certificate and key (PEM). */
  clientCertFile: string;
  clientKeyFile: string;
  /** The server certificate is issued for `localhost` and `127.0.0.1`. */
  serverName: string;
  /** A client certificate and key whose SASL EXTERNAL identity maps to the root DN. */
  clientCertPem: string;
  clientKeyPem: string;
  baseDn: string;
  /** The root DN (full rights on the data database, read on `cn=accesslog`). */
  bindDn: string;
  bindPassword: string;
  /** The accesslog suffix, when enabled. */
  accesslogDn: string | undefined;
  /** The changelog suffix (`cn=changelog`, writable by the root DN), when enabled. */
  changelogDn: string | undefined;
  /** The PID of the current slapd process (changes on restart). */
  readonly pid: number;
  /** Whether slapd is running (false between `stop` and `start`). */
  readonly running: boolean;
  /** The temporary directory holding config, data and certificates. */
  dir: string;
  /** Stops slapd (SIGTERM, or SIGKILL with `hard`) and waits for it to exit. Keeps the data. */
  stop(options?: { hard?: boolean; keepFiles?: boolean }): Promise<void>;
  /** Starts slapd again on the same ports with the same data. */
  start(): Promise<void>;
  /** `stop` (keeping files) then `start`. */
  restart(): Promise<void>;
  /** Runs `ldapsearch` (simple bind as root over StartTLS) and returns its LDIF output. */
  ldapsearch(base: string, filter: string, attributes?: string[], scope?: 'base' | 'one' | 'sub'): Promise<string>;
}

/**
 * Why live LDAP suites cannot run here, or `undefined` when they can. With
 * `ECMAHOST_REQUIRE_LIVE=1` a missing slapd throws instead, so the run fails rather than skips.
 */
export function slapdSkipReason(): string | undefined {
  const missing = [
    SLAPD === undefined ? 'slapd' : undefined,
    SLAPADD === undefined ? 'slapadd' : undefined,
    MODULE_PATH === undefined ? 'the slapd module directory' : undefined,
    SCHEMA_DIR === undefined ? 'the OpenLDAP schema directory' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length === 0) return undefined;
  const reason = `OpenLDAP is not installed (${missing.join(', ')} not found; apt-get install slapd ldap-utils)`;
  if (process.env.ECMAHOST_REQUIRE_LIVE === '1') throw new Error(`ECMAHOST_REQUIRE_LIVE=1 but ${reason}`);
  console.warn(`[generic-ldap] live LDAP tests skipped: ${reason}`);
  return reason;
}

/** A suite title that carries the skip reason when the live suite cannot run. */
export function liveTitle(title: string, reason: string | undefined): string {
  return reason === undefined ? title : `${title} (skipped: ${reason})`;
}

/**
 * A free TCP port on 127.0.0.1, below Linux's ephemeral range (32768+): a port the kernel may hand
 * to any outgoing connection could be taken while slapd is stopped for an outage test, and the
 * restart on the same port would fail.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000 on 127.0.0.1');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const running = new Set<ChildProcess>();
// A crashed test file must not leave daemons behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function makeCertificates(dir: string, baseDn: string): Promise<void> {
  const ssl = async (...args: string[]) => run('openssl', args, { cwd: dir });
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ecmahost test CA', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await writeFile(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  await ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem');
  // The client certificate's subject is an LDAP DN under the suffix; slapd maps it to the root DN.
  // openssl knows `DC` but not `dc`; an unknown type would silently drop the component.
  const components = baseDn.split(',').reverse().map((rdn) => {
    const [type = '', ...value] = rdn.trim().split('=');
    return `${type.toUpperCase()}=${value.join('=')}`;
  });
  const subject = `/${components.join('/')}/CN=ecmahost-client`;
  await writeFile(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', 'client.key', '-out', 'client.csr');
  await ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'client.ext', '-out', 'client.pem');
}

// draft-good-ldap-changelog, with the Netscape OIDs 389 DS uses.
const CHANGELOG_SCHEMA = `
dn: cn=changelog,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: changelog
olcAttributeTypes: ( 2.16.840.1.113730.3.1.5 NAME 'changeNumber' EQUALITY integerMatch ORDERING integerOrderingMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.6 NAME 'targetDN' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.7 NAME 'changeType' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.8 NAME 'changes' SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.9 NAME 'newRDN' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.10 NAME 'deleteOldRDN' EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.11 NAME 'newSuperior' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 SINGLE-VALUE )
olcAttributeTypes: ( 2.16.840.1.113730.3.1.542 NAME 'targetUniqueId' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
olcObjectClasses: ( 2.16.840.1.113730.3.2.1 NAME 'changeLogEntry' SUP top STRUCTURAL MUST ( changeNumber $ targetDN $ changeType ) MAY ( changes $ newRDN $ deleteOldRDN $ newSuperior $ targetUniqueId ) )
`;

function configLdif(o: { dir: string; baseDn: string; bindDn: string; bindPassword: string; accesslog: boolean; changelog: boolean; verifyClient: string; access: readonly string[]; extraSchema: string; refintNothing: string | undefined }): string {
  const { dir, baseDn, bindDn, bindPassword, accesslog, changelog } = o;
  const dataAccess = [...o.access, 'to attrs=userPassword by self write by anonymous auth by * none', 'to * by * read'].map((rule, i) => `olcAccess: {${String(i)}}${rule}`).join('\n');
  const schema = ['core', 'cosine', 'nis', 'inetorgperson'].map((s) => `include: file://${SCHEMA_DIR}/${s}.ldif`).join('\n\n');
  const accesslogDb = accesslog
    ? `
dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: cn=accesslog
olcDbDirectory: ${dir}/accesslog
olcDbMaxSize: 4294967296
olcDbIndex: default eq
olcDbIndex: objectClass,reqStart,reqResult,reqDN,reqEntryUUID
olcSizeLimit: unlimited
olcAccess: {0}to * by dn.exact="${bindDn}" read by * none
olcLimits: {0}dn.exact="${bindDn}" size=unlimited time=unlimited
`
    : '';
  const dataIndex = accesslog ? 2 : 1;
  const changelogDb = changelog
    ? `
dn: olcDatabase={${dataIndex + 1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {${dataIndex + 1}}mdb
olcSuffix: cn=changelog
olcDbDirectory: ${dir}/changelog
olcDbMaxSize: 1073741824
olcDbIndex: objectClass,changeNumber eq
olcSizeLimit: unlimited
olcAccess: {0}to * by dn.exact="${bindDn}" write by * none
olcLimits: {0}dn.exact="${bindDn}" size=unlimited time=unlimited
`
    : '';
  const overlay = accesslog
    ? `
dn: olcOverlay={0}accesslog,olcDatabase={${dataIndex}}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcAccessLogConfig
olcOverlay: {0}accesslog
olcAccessLogDB: cn=accesslog
olcAccessLogOps: writes
olcAccessLogSuccess: TRUE
olcAccessLogPurge: 07+00:00 01+00:00
olcAccessLogOld: (objectClass=*)
olcAccessLogOldAttr: objectClass
`
    : '';
  const refint =
    o.refintNothing === undefined
      ? ''
      : `
dn: olcOverlay={${accesslog ? '1' : '0'}}refint,olcDatabase={${dataIndex}}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcRefintConfig
olcOverlay: {${accesslog ? '1' : '0'}}refint
olcRefintAttribute: member uniqueMember manager
olcRefintNothing: ${o.refintNothing}
olcRefintModifiersName: ${bindDn}
`;
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcArgsFile: ${dir}/slapd.args
olcTLSCACertificateFile: ${dir}/ca.pem
olcTLSCertificateFile: ${dir}/server.pem
olcTLSCertificateKeyFile: ${dir}/server.key
olcTLSVerifyClient: ${o.verifyClient}
olcAuthzRegexp: {0}"^cn=ecmahost-client,${baseDn.toLowerCase().replace(/\s+/g, '')}$" "${bindDn}"

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${MODULE_PATH}
olcModuleLoad: {0}back_mdb
${accesslog ? 'olcModuleLoad: {1}accesslog\n' : ''}${o.refintNothing === undefined ? '' : `olcModuleLoad: {${accesslog ? '2' : '1'}}refint\n`}
dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

${schema}
${changelog ? CHANGELOG_SCHEMA : ''}
${o.extraSchema}
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none
${accesslogDb}
dn: olcDatabase={${dataIndex}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {${dataIndex}}mdb
olcSuffix: ${baseDn}
olcDbDirectory: ${dir}/data
olcDbMaxSize: 4294967296
olcRootDN: ${bindDn}
olcRootPW: ${bindPassword}
olcSizeLimit: unlimited
olcDbIndex: objectClass eq
olcDbIndex: uid,cn,mail,entryUUID eq
olcDbIndex: member,uniqueMember,manager eq
${dataAccess}
${overlay}${refint}${changelogDb}`;
}

function baseLdif(baseDn: string): string {
  const first = baseDn.split(',')[0] ?? '';
  const [attr, value] = first.split('=');
  return `dn: ${baseDn}
objectClass: top
objectClass: ${attr?.trim().toLowerCase() === 'dc' ? 'dcObject\nobjectClass: organization\no: ' + (value ?? 'example') : 'organization'}
${attr?.trim()}: ${value?.trim()}

dn: ou=people,${baseDn}
objectClass: organizationalUnit
ou: people
`;
}

/** Starts a fresh slapd and waits until it answers a bind. */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  if (SLAPD === undefined || SLAPADD === undefined || MODULE_PATH === undefined || SCHEMA_DIR === undefined) {
    throw new Error(slapdSkipReason() ?? 'OpenLDAP is not installed');
  }
  const slapdBin = SLAPD;
  const baseDn = options.baseDn ?? 'dc=example,dc=com';
  const bindDn = `cn=admin,${baseDn}`;
  const bindPassword = options.bindPassword ?? 'ecmahost-test-secret';
  const accesslog = options.accesslog ?? true;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-slapd-'));
  const changelog = options.changelog ?? false;
  for (const sub of ['config', 'data', 'accesslog', 'changelog']) await mkdir(path.join(dir, sub));
  await makeCertificates(dir, baseDn);
  await writeFile(path.join(dir, 'config.ldif'), configLdif({ dir, baseDn, bindDn, bindPassword, accesslog, changelog, verifyClient: options.verifyClient ?? 'try', access: options.access ?? [], extraSchema: options.schemaLdifFile === undefined ? '' : await readFile(options.schemaLdifFile, 'utf8'), refintNothing: (options.refint ?? false) ? (options.refintNothing ?? `cn=nobody,${baseDn}`) : undefined }));
  await run(SLAPADD, ['-n0', '-F', path.join(dir, 'config'), '-l', path.join(dir, 'config.ldif')]);
  const dataDb = accesslog ? '2' : '1';
  if (options.seedLdifFile !== undefined) {
    await run(SLAPADD, ['-q', '-n', dataDb, '-F', path.join(dir, 'config'), '-l', options.seedLdifFile], { maxBuffer: 64 * 1024 * 1024 });
  } else if (options.createBase ?? true) {
    await writeFile(path.join(dir, 'base.ldif'), baseLdif(baseDn));
    await run(SLAPADD, ['-n', dataDb, '-F', path.join(dir, 'config'), '-l', path.join(dir, 'base.ldif')]);
  }
  if (changelog) {
    await writeFile(path.join(dir, 'changelog.ldif'), 'dn: cn=changelog\nobjectClass: applicationProcess\ncn: changelog\n');
    await run(SLAPADD, ['-b', 'cn=changelog', '-F', path.join(dir, 'config'), '-l', path.join(dir, 'changelog.ldif')]);
  }
  const port = await freePort();
  const ldapsPort = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  const caPem = await readFile(path.join(dir, 'ca.pem'), 'utf8');
  const clientCertPem = await readFile(path.join(dir, 'client.pem'), 'utf8');
  const clientKeyPem = await readFile(path.join(dir, 'client.key'), 'utf8');

  let child: ChildProcess | undefined;
  let stderr = '';

  const waitUntilAnswering = async (): Promise<void> => {
    const deadline = Date.now() + 20_000;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (child?.exitCode !== null) throw new Error(`slapd exited with code ${String(child?.exitCode)}: ${stderr.slice(-2000)}`);
      const client = new Client({ url, connectTimeout: 1000, timeout: 2000 });
      try {
        await client.bind(bindDn, bindPassword);
        await client.unbind();
        return;
      } catch (error) {
        lastError = error;
        await client.unbind().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`slapd did not answer on ${url}: ${String(lastError)}; ${stderr.slice(-2000)}`);
  };

  const start = async (): Promise<void> => {
    stderr = '';
    // `-d 0` keeps slapd in the foreground (no fork), so the PID we hold is the daemon's own.
    child = spawn(slapdBin, ['-h', `${url}/ ${ldapsUrl}/`, '-F', path.join(dir, 'config'), '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const spawned = child;
    spawned.once('exit', () => running.delete(spawned));
    await waitUntilAnswering();
  };

  const stop = async ({ hard = false } = {}): Promise<void> => {
    const current = child;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill(hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();

  const slapd: Slapd = {
    url,
    ldapsUrl,
    port,
    ldapsPort,
    caPem,
    caFile: path.join(dir, 'ca.pem'),
    clientCertFile: path.join(dir, 'client.pem'),
    clientKeyFile: path.join(dir, 'client.key'),
    serverName: 'localhost',
    clientCertPem,
    clientKeyPem,
    baseDn,
    bindDn,
    bindPassword,
    accesslogDn: accesslog ? 'cn=accesslog' : undefined,
    changelogDn: changelog ? 'cn=changelog' : undefined,
    get pid() {
      return child?.pid ?? -1;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    dir,
    async stop(stopOptions = {}) {
      await stop({ hard: stopOptions.hard ?? false });
      if (!(stopOptions.keepFiles ?? false)) await rm(dir, { recursive: true, force: true });
    },
    start,
    async restart() {
      await stop();
      await start();
    },
    async ldapsearch(base, filter, attributes = [], scope = 'sub') {
      const { stdout } = await run(
        'ldapsearch',
        ['-LLL', '-o', 'ldif-wrap=no', '-ZZ', '-H', url, '-x', '-D', bindDn, '-w', bindPassword, '-s', scope, '-b', base, filter, ...attributes],
        { env: { ...process.env, LDAPTLS_CACERT: path.join(dir, 'ca.pem'), LDAPTLS_REQCERT: 'demand' }, maxBuffer: 64 * 1024 * 1024 },
      );
      return stdout;
    },
  };
  return slapd;
}
