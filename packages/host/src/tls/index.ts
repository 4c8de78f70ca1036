export { describeCertificate, EXPIRY_WARNING_DAYS } from './certificate-info.js';
export type { CertificateInfo } from './certificate-info.js';
export { generateSelfSignedCertificate, writePemPair, SELF_SIGNED_DAYS } from './self-signed.js';
export type { SelfSignedOptions, PemPair } from './self-signed.js';
export { loadTlsMaterial, generateDataDirCertificate, TLS_MIN_VERSION } from './load-tls.js';
export type { TlsMaterial } from './load-tls.js';
export { checkCertificateExpiry, watchCertificateExpiry, EXPIRY_CHECK_INTERVAL_MS } from './expiry-watch.js';
