import path from 'node:path';

/** The data directory used when neither `--data-dir` nor `ECMAHOST_DATA_DIR` is given. */
export const DEFAULT_DATA_DIR = './.ecmahost';

/** Where each file of a data directory lives. */
export interface DataDirPaths {
  root: string;
  hostSettings: string;
  connectors: string;
  /** The default host key file; `ECMAHOST_KEY_FILE` may point elsewhere. */
  hostKey: string;
  adminToken: string;
  tls: string;
  selfSignedCert: string;
  selfSignedKey: string;
  state: string;
  /** Written by a running host so the CLI can find it (port, pid, certificate fingerprint). */
  runFile: string;
}

/** Resolves the data directory: an explicit path, else `ECMAHOST_DATA_DIR`, else `./.ecmahost`. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(explicit ?? env.ECMAHOST_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** The file layout of a data directory. */
export function dataDirPaths(root: string): DataDirPaths {
  const abs = path.resolve(root);
  return {
    root: abs,
    hostSettings: path.join(abs, 'host.yaml'),
    connectors: path.join(abs, 'connectors'),
    hostKey: path.join(abs, 'host.key'),
    adminToken: path.join(abs, 'admin-token'),
    tls: path.join(abs, 'tls'),
    selfSignedCert: path.join(abs, 'tls', 'self-signed.crt'),
    selfSignedKey: path.join(abs, 'tls', 'self-signed.key'),
    state: path.join(abs, 'state'),
    runFile: path.join(abs, 'run', 'host.json'),
  };
}
