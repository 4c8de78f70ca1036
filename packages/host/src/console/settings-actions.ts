import { Secret } from '@ecmahost/sdk';
import { isOpsError } from '../store/errors.js';
import type { TlsSettings } from '../store/host-settings.js';
import type { Store } from '../store/store.js';
import { generateDataDirCertificate, loadTlsMaterial } from '../tls/load-tls.js';
import type { SettingsView } from './pages/settings-page.js';
import type { FormFields } from './console-env.js';
import { field } from './console-env.js';

/** The settings page's data: the saved settings and what their certificate says. */
export async function settingsView(store: Store, requestUrl: string, errors: Record<string, string>): Promise<SettingsView> {
  const settings = await store.readSettings();
  let certificate: SettingsView['certificate'];
  try {
    const material = await loadTlsMaterial(settings, store.paths, { generate: false });
    certificate = { info: material.certificate, source: material.source };
  } catch (error) {
    certificate = { problem: (error as Error).message };
  }
  const url = new URL(requestUrl);
  return { settings, certificate, errors, servingPort: url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port };
}

/**
 * Saves the settings form through the store (the same `host.yaml` as `ecmahost init` and `cert use`
 * write), after checking that a PEM pair or PFX file opens. Returns messages by field; empty when saved.
 */
export async function saveSettings(store: Store, form: FormFields): Promise<Record<string, string>> {
  const current = await store.readSettings();
  const errors: Record<string, string> = {};
  const portText = field(form, 'port') ?? '';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) errors.port = 'A port number between 1 and 65535.';
  const hostName = (field(form, 'hostName') ?? '').trim();
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(hostName) && !/^[0-9a-fA-F:]+$/.test(hostName)) errors.hostName = 'A DNS name or an IP address.';
  const typedPassphrase = field(form, 'passphrase') ?? '';
  const keptPassphrase = 'passphrase' in current.tls ? current.tls.passphrase : undefined;
  const passphrase = typedPassphrase !== '' ? { passphrase: new Secret(typedPassphrase) } : keptPassphrase !== undefined ? { passphrase: keptPassphrase } : {};
  let tls: TlsSettings;
  switch (field(form, 'tlsMode')) {
    case 'pem': {
      const cert = (field(form, 'pemCert') ?? '').trim();
      const key = (field(form, 'pemKey') ?? '').trim();
      if (cert === '' || key === '') errors.tls = 'A PEM certificate needs both the certificate file and the key file.';
      tls = { mode: 'pem', cert, key, ...passphrase };
      break;
    }
    case 'pfx': {
      const pfx = (field(form, 'pfx') ?? '').trim();
      if (pfx === '') errors.tls = 'Give the path of the PFX file.';
      tls = { mode: 'pfx', pfx, ...passphrase };
      break;
    }
    case 'self-signed':
      tls = { mode: 'self-signed' };
      break;
    default:
      errors.tls = 'Choose where the certificate comes from.';
      tls = current.tls;
  }
  if (Object.keys(errors).length > 0) return errors;
  const settings = { ...current, port, hostName, tls, adminAllowRemote: field(form, 'adminAllowRemote') === 'true' };
  if (tls.mode !== 'self-signed') {
    try {
      await loadTlsMaterial(settings, store.paths, { generate: false });
    } catch (error) {
      return { tls: isOpsError(error) ? error.message : `The certificate cannot be used: ${(error as Error).message}` };
    }
  }
  await store.writeSettings(settings);
  return {};
}

/** Generates a self-signed certificate as `ecmahost cert generate` does and makes it the serving one. */
export async function generateCertificate(store: Store, hostNameText: string): Promise<string | undefined> {
  const settings = await store.readSettings();
  const hostName = hostNameText.trim() === '' ? settings.hostName : hostNameText.trim();
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(hostName) && !/^[0-9a-fA-F:]+$/.test(hostName)) return 'A DNS name or an IP address.';
  await generateDataDirCertificate(store.paths, hostName);
  if (settings.tls.mode !== 'self-signed' || hostName !== settings.hostName) await store.writeSettings({ ...settings, hostName, tls: { mode: 'self-signed' } });
  return undefined;
}
