import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';

/**
 * The SCIM `id` of an object, derived from its anchor (as Microsoft's host does, so Entra keeps
 * its link across host restarts and cache rebuilds): the base64url encoding of the anchor value's
 * UTF-8 text, or of the JSON array of values for a composite anchor. Deterministic, reversible,
 * and safe in a URL path segment whatever the anchor holds (DNs with commas, spaces, slashes).
 */
export function objectId(anchorNames: readonly string[], anchor: AnchorValues): string {
  const values = anchorNames.map((name) => anchor[name]);
  if (values.some((v) => v === undefined)) {
    throw new Error(`anchor ${anchorNames.filter((n) => anchor[n] === undefined).join(', ')} missing`);
  }
  const text = values.length === 1 ? anchorText(values[0]!) : JSON.stringify(values.map((v) => anchorText(v!)));
  return Buffer.from(text, 'utf8').toString('base64url');
}

function anchorText(value: AttributeValue): string {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
}
