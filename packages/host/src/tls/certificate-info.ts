import { X509Certificate } from 'node:crypto';

/** What an admin needs to know about the serving certificate (`ecmahost cert show`, `/readyz`). */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** Subject alternative names as `DNS:name` / `IP Address:addr` entries. */
  subjectAltNames: string[];
  validFrom: Date;
  validTo: Date;
  /** Whole days until expiry; negative once expired. */
  daysLeft: number;
  /** SHA-256 fingerprint, colon-separated hex (as `openssl x509 -fingerprint -sha256` prints it). */
  fingerprint256: string;
  selfSigned: boolean;
}

/** Days left under which the host warns at start (and `cert show` says so). */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

/** Reads a certificate (PEM text or DER bytes) with `node:crypto`. */
export function describeCertificate(certificate: string | Buffer, now: Date = new Date()): CertificateInfo {
  const x509 = new X509Certificate(certificate);
  const validTo = new Date(x509.validTo);
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    subjectAltNames: (x509.subjectAltName ?? '').split(/,\s*/).filter((s) => s !== ''),
    validFrom: new Date(x509.validFrom),
    validTo,
    daysLeft: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
    fingerprint256: x509.fingerprint256,
    // checkIssued() also demands keyCertSign, which a server certificate rightly lacks.
    selfSigned: x509.subject === x509.issuer && x509.verify(x509.publicKey),
  };
}
