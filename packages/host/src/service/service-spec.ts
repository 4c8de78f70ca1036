import { OpsError } from '../store/errors.js';

/** What a service definition runs: `node <cli> --data-dir <dir> serve`, as `user`. */
export interface ServiceSpec {
  /** The service's name (systemd unit, launchd label suffix, Windows service id). */
  name: string;
  /** Absolute path of the Node.js binary: a service manager's PATH may find another one, or none. */
  nodePath: string;
  /** Absolute path of the installed `ecmahost` CLI script (`dist/cli.js` of `@ecmahost/host`). */
  cliPath: string;
  /** Absolute path of the data directory the service serves. */
  dataDir: string;
  /** The account the service runs as; absent: the service manager's default (see each definition). */
  user?: string;
}

/** The service name a definition gets when none is given. */
export const DEFAULT_SERVICE_NAME = 'ecmahost';

/**
 * A service name every manager accepts as is: systemd unit names, launchd labels and Windows
 * service ids share letters, digits, `_`, `.` and `-`.
 */
export function checkServiceName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new OpsError('invalid-argument', `--name expects letters, digits, "_", "." and "-" (at most 64, starting with a letter or digit), got "${name}".`);
  }
  return name;
}

/** The command line the service runs, one argument per element. */
export function serveArguments(spec: ServiceSpec): string[] {
  return [spec.nodePath, spec.cliPath, '--data-dir', spec.dataDir, 'serve'];
}
