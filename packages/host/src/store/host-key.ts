import { randomBytes } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { OpsError, isOpsError } from './errors.js';
import { readIfExists, writeFileAtomic } from './files.js';

/** Where the host key came from, for messages and `cert show`-style reports. */
export type HostKeySource = { kind: 'env' } | { kind: 'file'; path: string };

/** The 32-byte AES key that encrypts secrets in the data directory, and where it came from. */
export interface HostKey {
  key: Buffer;
  source: HostKeySource;
}

const KEY_BYTES = 32;

/**
 * The key file path: `ECMAHOST_KEY_FILE` when set, else `host.key` in the data directory. The
 * key never lives inside a configuration file, so copying or exporting the configuration does
 * not copy the key (docs/decisions/003-host-key-and-secrets.md).
 */
export function hostKeyFile(defaultPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.ECMAHOST_KEY_FILE ?? defaultPath);
}

/** Parses a key given as base64/base64url (44 or 43 characters) or hex (64 characters). */
export function parseHostKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64url');
  if (key.length !== KEY_BYTES) {
    throw new OpsError(
      'host-key-invalid',
      `the host key in ${origin} is not ${KEY_BYTES} bytes of base64 or hex (generate one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))").`,
    );
  }
  return key;
}

/**
 * Loads the host key: `ECMAHOST_KEY` when set, else the key file. Throws
 * `OpsError('host-key-missing')` when there is neither.
 */
export async function loadHostKey(defaultFile: string, env: NodeJS.ProcessEnv = process.env): Promise<HostKey> {
  const fromEnv = env.ECMAHOST_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { key: parseHostKey(fromEnv, 'ECMAHOST_KEY'), source: { kind: 'env' } };
  const file = hostKeyFile(defaultFile, env);
  const text = await readIfExists(file);
  if (text === undefined) {
    throw new OpsError(
      'host-key-missing',
      `no host key: ECMAHOST_KEY is not set and ${file} does not exist. Set ECMAHOST_KEY or ECMAHOST_KEY_FILE to the key this data directory was created with, or run "ecmahost init" for a new one.`,
    );
  }
  return { key: parseHostKey(text, file), source: { kind: 'file', path: file } };
}

/**
 * Loads the host key, or creates a key file (mode 0600) when neither `ECMAHOST_KEY` nor the file
 * exists. Used by `init` and `config import`.
 */
export async function loadOrCreateHostKey(defaultFile: string, env: NodeJS.ProcessEnv = process.env): Promise<HostKey & { created: boolean }> {
  try {
    return { ...(await loadHostKey(defaultFile, env)), created: false };
  } catch (error) {
    if (!isOpsError(error) || error.code !== 'host-key-missing') throw error;
  }
  const file = hostKeyFile(defaultFile, env);
  const key = randomBytes(KEY_BYTES);
  await writeFileAtomic(file, `${key.toString('base64')}\n`, 0o600);
  // The umask may have widened the mode on creation; the key must stay owner-only.
  await chmod(file, 0o600);
  return { key, source: { kind: 'file', path: file }, created: true };
}
