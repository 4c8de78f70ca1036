import { describe, it } from 'vitest';

/** Whether a live server answered, and why not when it did not. */
export interface LiveServer {
  name: string;
  url: string;
  available: boolean;
  reason?: string;
  /** Skipped even under `ECMAHOST_REQUIRE_LIVE=1`: a server CI cannot have (SQL Server, when its URL is unset). */
  optional?: true;
}

/** PostgreSQL for the live suites: `ECMAHOST_PG_URL`, else the machine's local server. */
export const PG_URL = process.env.ECMAHOST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** MariaDB/MySQL for the live suites: `ECMAHOST_MYSQL_URL`, else the machine's local server. */
export const MYSQL_URL = process.env.ECMAHOST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * SQL Server for its live suite, only when set (`mssql://user:password@host:1433/database?trustServerCertificate=true`):
 * none can run on this machine class, so unlike the others it has no local default and
 * `ECMAHOST_REQUIRE_LIVE=1` does not ask for it.
 */
export const MSSQL_URL = process.env.ECMAHOST_MSSQL_URL;

const requireLive = process.env.ECMAHOST_REQUIRE_LIVE === '1';

/** Probes a server once; a failure is remembered as the reason. */
export async function probe(name: string, url: string, connect: () => Promise<void>): Promise<LiveServer> {
  try {
    await connect();
    return { name, url, available: true };
  } catch (error) {
    return { name, url, available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Declares a live suite: it runs when the server answered; otherwise it is skipped with one line
 * naming the server and the reason, or — with `ECMAHOST_REQUIRE_LIVE=1` — fails.
 */
export function describeLive(server: LiveServer, title: string, body: () => void): void {
  if (server.available) {
    describe(title, body);
    return;
  }
  const line =
    server.optional === true
      ? `${server.name}: ${server.reason ?? 'not configured'}`
      : `${server.name} at ${server.url.replace(/\/\/[^@/]*@/, '//')} is not reachable (${server.reason ?? 'unknown'})`;
  if (requireLive && server.optional !== true) {
    describe(title, () => {
      it(`needs ${server.name}`, () => {
        throw new Error(`${line}, and ECMAHOST_REQUIRE_LIVE=1 requires it`);
      });
    });
    return;
  }
  // The skipped tests' titles are hidden by the default reporter; this line is what the run shows.
  console.warn(`skipped: ${title}: ${line}`);
  describe.skip(`${title} (skipped: ${line})`, body);
}
