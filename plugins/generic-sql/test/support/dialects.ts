import { describeLive, type LiveServer } from './live.js';
import { type LocalDialect, probeMysql, probePg } from './targets.js';

const servers: Record<LocalDialect, LiveServer> = {
  postgresql: await probePg(),
  mysql: await probeMysql(),
  sqlite: { name: 'SQLite', url: 'a temporary file', available: true },
};

const labels: Record<LocalDialect, string> = { postgresql: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' };

/** Declares `body` once per dialect, each under {@link describeLive} so a missing server skips (or fails) it clearly. */
export function describeEachDialect(title: string, body: (dialect: LocalDialect) => void, only?: readonly LocalDialect[]): void {
  for (const dialect of only ?? (['postgresql', 'mysql', 'sqlite'] as const)) {
    describeLive(servers[dialect], `${title} on ${labels[dialect]}`, () => body(dialect));
  }
}
