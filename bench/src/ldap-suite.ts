import path from 'node:path';
import { IMPORT_PAGE_SIZE, POOL_SIZE, ldapConnector, ldapExtension } from './connectors.js';
import { ServerProcess, profiled } from './host-process.js';
import type { ServedTarget } from './host-scenarios.js';
import { TOKEN, TOKEN_HASH, bareUpdateRange, hostCreates, hostUpdates, importRows, memoryRows, scimCreates, scimUpdates, withHttpFloor, writeRows } from './host-scenarios.js';
import type { FloorTarget } from './ipc.js';
import { bareAdds, bareModifies, barePagedSearch, peopleDn, startSlapd, writeSeedLdif } from './ldap.js';
import type { ResultRow } from './results.js';
import type { SuiteContext } from './sql-suite.js';

const BASE_DN = 'dc=example,dc=com';

/**
 * OpenLDAP: import, create and update, memory. slapd (the LDAP package's test harness: mdb and
 * accesslog) is loaded with `plan.users` entries by slapadd before it starts.
 */
export async function ldapSuite(context: SuiteContext): Promise<ResultRow[]> {
  const { plan } = context;
  const rows: ResultRow[] = [];
  const seed = path.join(context.workDir, 'seed.ldif');
  console.log(`OpenLDAP: loading ${String(plan.users)} entries with slapadd`);
  await writeSeedLdif(seed, BASE_DN, plan.users);
  const slapd = await startSlapd({ baseDn: BASE_DN, seedLdifFile: seed });
  try {
    const reads = [await barePagedSearch(slapd, IMPORT_PAGE_SIZE), await barePagedSearch(slapd, IMPORT_PAGE_SIZE)];
    if (reads.some((r) => r.rows !== plan.users)) throw new Error(`the bare search read ${reads.map((r) => r.rows).join(', ')} entries, not ${String(plan.users)}`);
    const bareRead = Math.max(...reads.map((r) => r.perSecond));
    console.log(`  bare paged search: ${reads.map((r) => `${String(Math.round(r.seconds * 1000))} ms`).join(', ')}`);

    const connector = 'BenchLDAP';
    const { server, listening } = await ServerProcess.host(
      { connectors: [ldapConnector(connector, slapd)], token: TOKEN, tokenHash: TOKEN_HASH, auditDir: path.join(context.workDir, 'audit-ldap') },
      path.join(context.workDir, 'host-ldap.log'),
    );
    try {
      await listening;
      const target: ServedTarget = { host: server, connector, extension: ldapExtension };
      const ready = await server.ask({ cmd: 'wait-ready', name: connector }, 'ready');
      rows.push(...(await profiled(server, 'import-ldap', () => importRows(target, 'import-ldap', ready.importMs, bareRead, plan.users))));
      const floor: FloorTarget = {
        kind: 'ldap',
        server: { url: slapd.url, caPem: slapd.caPem, bindDn: slapd.bindDn, bindPassword: slapd.bindPassword },
        peopleDn: peopleDn(slapd),
        poolSize: POOL_SIZE,
      };
      rows.push(
        ...(await withHttpFloor(floor, path.join(context.workDir, 'http-floor-ldap.log'), async (endpoint) => [
          ...(await writeRows(
            'create-ldap',
            plan,
            (c, seconds, round) => profiled(server, `create-ldap-x${String(c)}-r${String(round)}`, () => hostCreates(target, plan, c, seconds, `hostr${String(round)}c${String(c)}n`)),
            (c, seconds, round) => bareAdds(slapd, c, seconds * 1000, plan.maxOperations, `barer${String(round)}c${String(c)}`),
            (c, seconds, round) => scimCreates(endpoint, ldapExtension, plan, c, seconds, `floorr${String(round)}c${String(c)}n`),
          )),
          ...(await writeRows(
            'update-ldap',
            plan,
            (c, seconds, round) => profiled(server, `update-ldap-x${String(c)}-r${String(round)}`, () => hostUpdates(target, plan, c, seconds, `host r${String(round)} x${String(c)}`)),
            (c, seconds, round) => bareModifies(slapd, c, seconds * 1000, plan.maxOperations, bareUpdateRange(plan), `bare r${String(round)} x${String(c)}`),
            (c, seconds, round) => scimUpdates(endpoint, bareUpdateRange(plan), plan, c, seconds, `floor r${String(round)} x${String(c)}`),
          )),
        ])),
      );
      rows.push(...(await memoryRows(target, 'import-ldap')));
    } finally {
      await server.stop();
    }
  } finally {
    await slapd.stop();
  }
  return rows;
}
