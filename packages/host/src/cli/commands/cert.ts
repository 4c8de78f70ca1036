import path from 'node:path';
import { Secret } from '@ecmahost/sdk';
import type { TlsSettings } from '../../store/host-settings.js';
import { OpsError } from '../../store/errors.js';
import type { Store } from '../../store/store.js';
import type { CertificateInfo } from '../../tls/certificate-info.js';
import { EXPIRY_WARNING_DAYS } from '../../tls/certificate-info.js';
import { generateDataDirCertificate, loadTlsMaterial } from '../../tls/load-tls.js';
import type { CliContext } from '../context.js';
import { say, warn } from '../context.js';
import { recordCliAction } from './audit.js';
import { parseCount } from '../connector-options.js';

/** Flags naming the admin's certificate (init, cert use). */
export interface TlsFlags {
  cert?: string;
  key?: string;
  pfx?: string;
  passphrase?: string;
}

/** TLS settings from flags, or `undefined` when none was given. */
export function tlsFromFlags(flags: TlsFlags, cwd: string): TlsSettings | undefined {
  const passphrase = flags.passphrase === undefined ? {} : { passphrase: new Secret(flags.passphrase) };
  if (flags.pfx !== undefined) {
    if (flags.cert !== undefined || flags.key !== undefined) throw new OpsError('invalid-argument', 'give either --pfx or --cert with --key, not both.');
    return { mode: 'pfx', pfx: path.resolve(cwd, flags.pfx), ...passphrase };
  }
  if (flags.cert !== undefined || flags.key !== undefined) {
    if (flags.cert === undefined || flags.key === undefined) throw new OpsError('invalid-argument', '--cert and --key go together (PEM certificate and private key).');
    return { mode: 'pem', cert: path.resolve(cwd, flags.cert), key: path.resolve(cwd, flags.key), ...passphrase };
  }
  return undefined;
}

/** Prints what a certificate says, warning when it expires soon. */
export function printCertificate(ctx: CliContext, info: CertificateInfo, source: string): void {
  say(ctx, `Source:      ${source}`);
  say(ctx, `Subject:     ${info.subject}`);
  say(ctx, `Issuer:      ${info.issuer}${info.selfSigned ? ' (self-signed)' : ''}`);
  say(ctx, `SANs:        ${info.subjectAltNames.join(', ') || '(none)'}`);
  say(ctx, `Valid from:  ${info.validFrom.toISOString()}`);
  say(ctx, `Valid to:    ${info.validTo.toISOString()}`);
  say(ctx, `Days left:   ${info.daysLeft}`);
  say(ctx, `SHA-256:     ${info.fingerprint256}`);
  if (info.daysLeft < 0) warn(ctx, 'warning: the certificate has EXPIRED; Entra cannot connect. Run "ecmahost cert generate" or install a new certificate.');
  else if (info.daysLeft < EXPIRY_WARNING_DAYS) warn(ctx, `warning: the certificate expires in ${info.daysLeft} days.`);
}

/** `ecmahost cert show`. */
export async function certShowCommand(ctx: CliContext, store: Store): Promise<void> {
  const settings = await store.readSettings();
  const material = await loadTlsMaterial(settings, store.paths, { generate: false });
  printCertificate(ctx, material.certificate, material.source);
}

/** `ecmahost cert generate`: a new self-signed certificate, made the serving one. */
export async function certGenerateCommand(ctx: CliContext, store: Store, flags: { hostName?: string; days?: string }): Promise<void> {
  const settings = await store.readSettings();
  const hostName = flags.hostName ?? settings.hostName;
  const days = parseCount(flags.days, '--days', 1);
  const info = await generateDataDirCertificate(store.paths, hostName, days);
  if (settings.tls.mode !== 'self-signed' || hostName !== settings.hostName) {
    await store.writeSettings({ ...settings, hostName, tls: { mode: 'self-signed' } });
  }
  await recordCliAction(ctx, store.paths.root, { action: 'certificate.change', result: 'ok', detail: { source: 'self-signed', fingerprint256: info.fingerprint256 } });
  say(ctx, `Generated a self-signed certificate in ${store.paths.selfSignedCert}`);
  printCertificate(ctx, info, 'self-signed');
  say(ctx, 'Run "ecmahost reload" (or restart the host) to serve it; Entra\'s agent machine must trust it (see docs/admin/certificates.md).');
}

/** `ecmahost cert use`: serve the admin's PEM pair or PFX file (checked before it is saved). */
export async function certUseCommand(ctx: CliContext, store: Store, flags: TlsFlags): Promise<void> {
  const tls = tlsFromFlags(flags, ctx.cwd);
  if (tls === undefined) throw new OpsError('invalid-argument', 'give --cert and --key (PEM) or --pfx [--passphrase].');
  const settings = { ...(await store.readSettings()), tls };
  const material = await loadTlsMaterial(settings, store.paths);
  await store.writeSettings(settings);
  await recordCliAction(ctx, store.paths.root, { action: 'certificate.change', result: 'ok', detail: { source: settings.tls.mode, fingerprint256: material.certificate.fingerprint256 } });
  printCertificate(ctx, material.certificate, material.source);
  say(ctx, 'Saved. Run "ecmahost reload" (or restart the host) to serve it.');
}
