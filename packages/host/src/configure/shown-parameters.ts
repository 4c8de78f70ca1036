import { isSecret } from '@ecmahost/sdk';
import type { ParameterValue } from '@ecmahost/sdk';

/** What a front-end prints for a secret parameter. */
export const SECRET_SHOWN = '[secret]';

/**
 * A connector's parameter values as `connector show`, `/admin` and other front-ends print them:
 * secrets masked, and the password of a URL-shaped value (`scheme://user:password@host`) masked
 * too. New configurations refuse such URLs (the password belongs in the connector's encrypted
 * parameter), but one stored by an earlier version must not be printed in clear.
 */
export function shownParameters(parameters: Readonly<Record<string, ParameterValue>>): Record<string, string | boolean> {
  const shown: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(parameters)) {
    shown[name] = isSecret(value) ? SECRET_SHOWN : typeof value === 'string' ? withoutUrlPassword(value) : value;
  }
  return shown;
}

/** `value` with the password of a URL-shaped value (`scheme://user:password@host`) masked; anything else as it is. */
export function withoutUrlPassword(value: string): string {
  // Only values that look like URLs are parsed; `new URL` throws on everything else.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.password === '') return value;
  url.password = '***';
  return url.toString();
}
