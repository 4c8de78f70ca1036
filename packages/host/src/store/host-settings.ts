import os from 'node:os';
import { Secret } from '@ecmahost/sdk';
import { parseDocument, stringify } from 'yaml';
import { isIpAddress } from '../middleware/client-address.js';
import { OpsError } from './errors.js';
import { decryptValue, encryptValue } from './secret-box.js';

/** The SCIM port Microsoft's host listens on by default. */
export const DEFAULT_PORT = 8585;

/** Where the HTTPS certificate comes from. */
export type TlsSettings =
  /** Generated on first start and kept in `tls/` of the data directory. */
  | { mode: 'self-signed' }
  /** The admin's PEM files (paths); `passphrase` for an encrypted key. */
  | { mode: 'pem'; cert: string; key: string; passphrase?: Secret }
  /** The admin's PKCS#12 file with its passphrase. */
  | { mode: 'pfx'; pfx: string; passphrase?: Secret };

/** Host-wide settings, kept in `host.yaml` (Microsoft's wizard "Settings" tab). */
export interface HostSettings {
  /** HTTPS port; `ECMAHOST_PORT` and `--port` override it at start. */
  port: number;
  /** The name Entra's agent uses to reach the host: the self-signed certificate's subject and the printed URLs. */
  hostName: string;
  tls: TlsSettings;
  /** Whether `/admin` answers requests from other machines; loopback only when `false`. */
  adminAllowRemote: boolean;
  /**
   * Addresses of TLS-terminating proxies in front of the host: a request from one of them is
   * taken to come from the address its `X-Forwarded-For` names, for the console's and `/admin`'s
   * loopback rule and the sign-in backoff. Empty: the socket's peer is the client.
   */
  trustProxy: string[];
  /**
   * Whether `/readyz` and `/metrics` show connector names, states and cache sizes to callers
   * without the admin credential. `false` (the default): they answer only ready or not, and
   * `/metrics` needs `Authorization: Bearer <admin credential>`.
   */
  publicHealthDetails: boolean;
  /**
   * Seconds a stop (SIGTERM, SIGINT, a service stop) lets running requests finish before it answers
   * them 503 and exits. Below the 40 s WinSW and systemd's 90 s give a stop before they kill.
   */
  shutdownTimeoutSeconds: number;
  /** The audit file (`<data dir>/audit/audit.jsonl`): rotated above `maxFileMegabytes`, `keepFiles` rotated files kept. */
  audit: AuditSettings;
}

/** Size bounds of the audit file; see docs/admin/operations.md "Audit trail". */
export interface AuditSettings {
  maxFileMegabytes: number;
  keepFiles: number;
}

/** The default {@link AuditSettings}: at most 6 files of 10 MB, some 60 MB. */
export const DEFAULT_AUDIT_SETTINGS: AuditSettings = Object.freeze({ maxFileMegabytes: 10, keepFiles: 5 });

/** The default of {@link HostSettings.shutdownTimeoutSeconds}. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;

/** The default settings for a new data directory. */
export function defaultHostSettings(): HostSettings {
  return { port: DEFAULT_PORT, hostName: os.hostname(), tls: { mode: 'self-signed' }, adminAllowRemote: false, trustProxy: [], publicHealthDetails: false, shutdownTimeoutSeconds: DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, audit: { ...DEFAULT_AUDIT_SETTINGS } };
}

// A known plain text encrypted under the host key and kept in host.yaml: opening the data
// directory with another key then fails at once with a clear message, before any secret is read.
const KEY_CHECK_PLAIN = 'ecmahost-key-check';

/** The key check written to `host.yaml`. */
export function makeKeyCheck(key: Buffer): string {
  return encryptValue(key, KEY_CHECK_PLAIN);
}

/** Throws `OpsError('wrong-host-key')` unless `keyCheck` was written with `key`. */
export function verifyKeyCheck(key: Buffer, keyCheck: string, origin: string): void {
  if (decryptValue(key, keyCheck, `the key check of ${origin}`) !== KEY_CHECK_PLAIN) {
    throw new OpsError('wrong-host-key', `cannot decrypt the key check of ${origin} with this host key.`);
  }
}

/** The plain-data form of the settings as written to YAML (passphrases encrypted). */
export function settingsToData(settings: HostSettings, key: Buffer): Record<string, unknown> {
  const tls: Record<string, unknown> = { ...settings.tls };
  if ('passphrase' in settings.tls && settings.tls.passphrase !== undefined) tls.passphrase = encryptValue(key, settings.tls.passphrase.reveal());
  return {
    port: settings.port,
    hostName: settings.hostName,
    tls,
    adminAllowRemote: settings.adminAllowRemote,
    ...(settings.trustProxy.length > 0 ? { trustProxy: settings.trustProxy } : {}),
    ...(settings.publicHealthDetails ? { publicHealthDetails: true } : {}),
    shutdownTimeoutSeconds: settings.shutdownTimeoutSeconds,
    // Written only when changed, so host.yaml shows what the admin chose.
    ...(settings.audit.maxFileMegabytes !== DEFAULT_AUDIT_SETTINGS.maxFileMegabytes || settings.audit.keepFiles !== DEFAULT_AUDIT_SETTINGS.keepFiles ? { audit: { ...settings.audit } } : {}),
  };
}

function fail(origin: string, message: string): never {
  throw new OpsError('invalid-config', `${origin}: ${message}`);
}

function optionalPassphrase(value: unknown, key: Buffer, origin: string): { passphrase?: Secret } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') fail(origin, 'tls.passphrase must be an encrypted string');
  return { passphrase: new Secret(decryptValue(key, value, `tls.passphrase in ${origin}`)) };
}

/** Reads settings from their plain-data form, checking every field. */
export function settingsFromData(data: unknown, key: Buffer, origin: string): HostSettings {
  if (typeof data !== 'object' || data === null) fail(origin, 'expected a mapping');
  const d = data as Record<string, unknown>;
  const defaults = defaultHostSettings();
  const port = d.port ?? defaults.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) fail(origin, 'port must be an integer between 1 and 65535');
  const hostName = d.hostName ?? defaults.hostName;
  if (typeof hostName !== 'string' || hostName === '') fail(origin, 'hostName must be a non-empty string');
  const adminAllowRemote = d.adminAllowRemote ?? false;
  if (typeof adminAllowRemote !== 'boolean') fail(origin, 'adminAllowRemote must be true or false');
  const trustProxy = d.trustProxy ?? [];
  if (!Array.isArray(trustProxy) || !trustProxy.every((a): a is string => typeof a === 'string' && isIpAddress(a))) {
    fail(origin, 'trustProxy must be a list of IP addresses (the TLS proxies in front of the host, e.g. [127.0.0.1, ::1])');
  }
  const publicHealthDetails = d.publicHealthDetails ?? false;
  if (typeof publicHealthDetails !== 'boolean') fail(origin, 'publicHealthDetails must be true or false');
  const shutdownTimeoutSeconds = d.shutdownTimeoutSeconds ?? defaults.shutdownTimeoutSeconds;
  if (typeof shutdownTimeoutSeconds !== 'number' || !Number.isFinite(shutdownTimeoutSeconds) || shutdownTimeoutSeconds < 1 || shutdownTimeoutSeconds > 3600) {
    fail(origin, 'shutdownTimeoutSeconds must be a number of seconds between 1 and 3600');
  }
  const audit = auditFromData(d.audit ?? {}, origin);
  const rawTls = (d.tls ?? { mode: 'self-signed' }) as Record<string, unknown>;
  let tls: TlsSettings;
  switch (rawTls.mode) {
    case 'self-signed':
      tls = { mode: 'self-signed' };
      break;
    case 'pem':
      if (typeof rawTls.cert !== 'string' || typeof rawTls.key !== 'string') fail(origin, 'tls mode pem needs cert and key paths');
      tls = { mode: 'pem', cert: rawTls.cert, key: rawTls.key, ...optionalPassphrase(rawTls.passphrase, key, origin) };
      break;
    case 'pfx':
      if (typeof rawTls.pfx !== 'string') fail(origin, 'tls mode pfx needs a pfx path');
      tls = { mode: 'pfx', pfx: rawTls.pfx, ...optionalPassphrase(rawTls.passphrase, key, origin) };
      break;
    default:
      fail(origin, 'tls.mode must be self-signed, pem or pfx');
  }
  return { port, hostName, tls, adminAllowRemote, trustProxy, publicHealthDetails, shutdownTimeoutSeconds, audit };
}

function auditFromData(value: unknown, origin: string): AuditSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(origin, 'audit must be a mapping (maxFileMegabytes, keepFiles)');
  const { maxFileMegabytes = DEFAULT_AUDIT_SETTINGS.maxFileMegabytes, keepFiles = DEFAULT_AUDIT_SETTINGS.keepFiles } = value as Record<string, unknown>;
  if (typeof maxFileMegabytes !== 'number' || !Number.isFinite(maxFileMegabytes) || maxFileMegabytes <= 0 || maxFileMegabytes > 1024) {
    fail(origin, 'audit.maxFileMegabytes must be a number of megabytes above 0 and at most 1024');
  }
  if (typeof keepFiles !== 'number' || !Number.isInteger(keepFiles) || keepFiles < 0 || keepFiles > 100) fail(origin, 'audit.keepFiles must be an integer from 0 to 100');
  return { maxFileMegabytes, keepFiles };
}

/** Renders `host.yaml`, with the key check and a header saying what the file is. */
export function renderSettingsYaml(settings: HostSettings, key: Buffer, keyCheck: string): string {
  const header =
    '# ecmahost host settings. Edit with "ecmahost" commands or by hand, then restart the host.\n' +
    '# Secrets (enc:v1:...) are encrypted under the host key, which is kept outside this file.\n';
  return header + stringify({ ...settingsToData(settings, key), keyCheck });
}

/** Parses `host.yaml` text: the settings and the key check. */
export function parseSettingsYaml(text: string, key: Buffer, origin: string): HostSettings {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) fail(origin, doc.errors[0]?.message ?? 'invalid YAML');
  const data = doc.toJS() as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object') fail(origin, 'expected a mapping');
  if (typeof data.keyCheck !== 'string') fail(origin, 'keyCheck is missing (was this file written by ecmahost?)');
  verifyKeyCheck(key, data.keyCheck, origin);
  return settingsFromData(data, key, origin);
}
