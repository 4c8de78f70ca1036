import type { HostSettings } from '../../store/host-settings.js';
import type { CertificateInfo } from '../../tls/certificate-info.js';
import { Csrf, FieldError, Layout } from '../layout.js';
import type { PageContext } from '../layout.js';

/** What the settings page shows. */
export interface SettingsView {
  settings: HostSettings;
  /** The certificate the settings name, or why it cannot be read. */
  certificate: { info: CertificateInfo; source: string } | { problem: string };
  /** The port actually served (may differ from the saved one: `--port`, `ECMAHOST_PORT`). */
  servingPort: string;
  errors: Record<string, string>;
  /** Values typed in a form that was refused, shown again. */
  typed?: Record<string, string>;
}

/** First-run settings: port, host name, certificate (a PEM/PFX file or a generated self-signed one). */
export function SettingsPage(props: { ctx: PageContext; view: SettingsView }) {
  const { settings, certificate, errors } = props.view;
  const typed = props.view.typed ?? {};
  const tls = settings.tls;
  const mode = typed.tlsMode ?? tls.mode;
  return (
    <Layout title="Settings" ctx={props.ctx}>
      <section id="certificate">
        <h2>Certificate</h2>
        {'info' in certificate ? (
          <dl>
            <dt>Source</dt>
            <dd>{certificate.source}</dd>
            <dt>Subject</dt>
            <dd id="cert-subject">{certificate.info.subject}</dd>
            <dt>Issuer</dt>
            <dd>{certificate.info.issuer + (certificate.info.selfSigned ? ' (self-signed)' : '')}</dd>
            <dt>SANs</dt>
            <dd id="cert-sans">{certificate.info.subjectAltNames.join(', ') || '(none)'}</dd>
            <dt>Expires</dt>
            <dd>{certificate.info.validTo.toISOString()}</dd>
            <dt>Days left</dt>
            <dd id="cert-days">{String(certificate.info.daysLeft)}</dd>
            <dt>SHA-256</dt>
            <dd class="mono">{certificate.info.fingerprint256}</dd>
          </dl>
        ) : (
          <p class="notice" id="cert-problem">
            {certificate.problem}
          </p>
        )}
        <form method="post" action="/console/settings/generate-certificate">
          <Csrf token={props.ctx.csrf} />
          <label for="gen-host">Host name for a new self-signed certificate</label>
          <input type="text" id="gen-host" name="hostName" value={settings.hostName} />
          <FieldError id="gen-host" message={errors.generate} />
          <div class="actions">
            <button type="submit" id="generate-certificate">
              Generate self-signed certificate
            </button>
          </div>
        </form>
      </section>
      <form method="post" action="/console/settings" class="card">
        <Csrf token={props.ctx.csrf} />
        <h2>Host</h2>
        <p class="help">{`Serving on port ${props.view.servingPort}. Saved changes to the port and certificate apply when the host restarts.`}</p>
        <label for="port">Port</label>
        <input type="number" id="port" name="port" min="1" max="65535" value={typed.port ?? String(settings.port)} class={errors.port ? 'invalid' : undefined} />
        <FieldError id="port" message={errors.port} />
        <label for="hostName">Host name (what Entra's agent connects to)</label>
        <input type="text" id="hostName" name="hostName" value={typed.hostName ?? settings.hostName} class={errors.hostName ? 'invalid' : undefined} />
        <FieldError id="hostName" message={errors.hostName} />
        <label>
          <input type="checkbox" name="adminAllowRemote" value="true" checked={settings.adminAllowRemote} /> Answer the console and the admin API from other machines (loopback only when off)
        </label>
        <h2>Certificate source</h2>
        <label>
          <input type="radio" name="tlsMode" value="self-signed" checked={mode === 'self-signed'} /> Self-signed (generated in the data directory)
        </label>
        <label>
          <input type="radio" name="tlsMode" value="pem" checked={mode === 'pem'} /> PEM certificate and key files
        </label>
        <label for="pemCert">Certificate file (PEM)</label>
        <input type="text" id="pemCert" name="pemCert" value={typed.pemCert ?? (tls.mode === 'pem' ? tls.cert : '')} />
        <label for="pemKey">Private key file (PEM)</label>
        <input type="text" id="pemKey" name="pemKey" value={typed.pemKey ?? (tls.mode === 'pem' ? tls.key : '')} />
        <label>
          <input type="radio" name="tlsMode" value="pfx" checked={mode === 'pfx'} /> PFX (PKCS#12) file
        </label>
        <label for="pfx">PFX file</label>
        <input type="text" id="pfx" name="pfx" value={typed.pfx ?? (tls.mode === 'pfx' ? tls.pfx : '')} />
        <label for="passphrase">Passphrase (key or PFX)</label>
        <input type="password" id="passphrase" name="passphrase" value="" autocomplete="new-password" placeholder={'passphrase' in tls && tls.passphrase !== undefined ? 'unchanged' : ''} />
        <FieldError id="tls" message={errors.tls} />
        <div class="actions">
          <button type="submit" id="save-settings">
            Save settings
          </button>
        </div>
      </form>
    </Layout>
  );
}
