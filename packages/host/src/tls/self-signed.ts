import { chmod } from 'node:fs/promises';
import { isIP } from 'node:net';
import { writeFileAtomic } from '../store/files.js';

/** Options of {@link generateSelfSignedCertificate}. */
export interface SelfSignedOptions {
  /** The host name Entra's agent uses; the subject CN and the first SAN. */
  hostName: string;
  /** Validity in days; Microsoft's host uses two years. */
  days?: number;
  now?: Date;
}

/** PEM certificate and private key. */
export interface PemPair {
  cert: string;
  key: string;
}

/** Two years, as Microsoft's "Generate certificate" button. */
export const SELF_SIGNED_DAYS = 730;

/**
 * Generates a self-signed server certificate: RSA 2048 with SHA-256 (Entra's TLS requirements ask
 * for RSA >= 2048), subject CN = host name, SANs for the host name, `localhost`, 127.0.0.1 and ::1.
 */
export async function generateSelfSignedCertificate(options: SelfSignedOptions): Promise<PemPair> {
  const notBeforeDate = options.now ?? new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + (options.days ?? SELF_SIGNED_DAYS) * 86_400_000);
  const names = [...new Set([options.hostName, 'localhost'])];
  const altNames = [
    ...names.map((value) => (isIP(value) ? { type: 7 as const, ip: value } : { type: 2 as const, value })),
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
  ];
  // Imported on use: selfsigned and its X.509 libraries take a large part of the host's module
  // loading (~150 ms of a start on the bench machine), and most starts generate no certificate.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: options.hostName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Writes a pair: the certificate world-readable, the key owner-only. */
export async function writePemPair(pair: PemPair, certFile: string, keyFile: string): Promise<void> {
  await writeFileAtomic(keyFile, pair.key, 0o600);
  await chmod(keyFile, 0o600);
  await writeFileAtomic(certFile, pair.cert, 0o644);
}
