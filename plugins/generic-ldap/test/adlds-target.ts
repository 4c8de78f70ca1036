import type { ParameterValues } from '@ecmahost/sdk';
import { secret } from '@ecmahost/sdk';

/**
 * A real AD LDS instance for the gated live suite, from `ECMAHOST_ADLDS_URL`:
 * `ldaps://<bind DN>:<password>@<host>:636/<container DN>` (each part URL-encoded; `ldap://` means
 * StartTLS), with `ECMAHOST_ADLDS_CA` naming a PEM file of the CAs that sign its certificate. None
 * can run on this machine class, so the suite is skipped without it, even under
 * `ECMAHOST_REQUIRE_LIVE=1`.
 */
export interface AdldsTarget {
  values: ParameterValues;
  /** The container the suite creates its test containers under. */
  container: string;
  url: string;
  bindDn: string;
  password: string;
}

/** The AD LDS instance named by `text`, or why it cannot be used. */
export function adldsTarget(text: string | undefined, ca: string | undefined): AdldsTarget | { reason: string } {
  if (text === undefined || text === '') return { reason: 'ECMAHOST_ADLDS_URL is not set (ldaps://<bind DN>:<password>@<host>:636/<container DN>)' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: 'ECMAHOST_ADLDS_URL is not a URL' };
  }
  if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:') return { reason: `ECMAHOST_ADLDS_URL must start with ldaps:// or ldap://, not ${url.protocol}//` };
  const container = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const bindDn = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (container === '' || bindDn === '') return { reason: 'ECMAHOST_ADLDS_URL needs a bind DN and a container DN' };
  const ldaps = url.protocol === 'ldaps:';
  const values: ParameterValues = {
    directoryType: 'adlds',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || (ldaps ? '636' : '389'),
    security: ldaps ? 'LDAPS' : 'StartTLS',
    binding: 'Simple',
    bindDn,
    bindPassword: secret(password),
    ...(ca === undefined || ca === '' ? {} : { caCertificate: ca }),
  };
  return { values, container, url: `${url.protocol}//${url.host}`, bindDn, password };
}
