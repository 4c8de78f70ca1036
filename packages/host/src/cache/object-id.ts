import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';

/**
 * The SCIM `id` of an object, derived from its anchor (as Microsoft's host does, so Entra keeps
 * its link across host restarts and cache rebuilds): the base64url encoding of the anchor value's
 * UTF-8 text, or of the JSON array of values for a composite anchor. Deterministic, reversible,
 * and safe in a URL path segment whatever the anchor holds (DNs with commas, spaces, slashes).
 *
 * String values of anchors that are not `caseExact` are lower-cased first: a target that hands
 * back `alice` for the `Alice` it was given (or `cn=a,dc=b` for `CN=a,DC=b`) must not change the
 * id Entra holds.
 */
export function objectId(anchorNames: readonly string[], anchor: AnchorValues, caseExact: (name: string) => boolean = () => true): string {
  if (anchorNames.length === 1) {
    // The common single anchor without the arrays below: every imported object goes through here.
    const name = anchorNames[0]!;
    const value = anchor[name];
    if (value === undefined) throw new Error(`anchor ${name} missing`);
    const text = typeof value !== 'string' ? anchorText(value) : caseExact(name) ? value : value.toLowerCase();
    return Buffer.from(text, 'utf8').toString('base64url');
  }
  const values = anchorNames.map((name) => {
    const value = anchor[name];
    return typeof value === 'string' && !caseExact(name) ? value.toLowerCase() : value;
  });
  if (values.some((v) => v === undefined)) {
    throw new Error(`anchor ${anchorNames.filter((n) => anchor[n] === undefined).join(', ')} missing`);
  }
  const text = values.length === 1 ? anchorText(values[0]!) : JSON.stringify(values.map((v) => anchorText(v!)));
  return Buffer.from(text, 'utf8').toString('base64url');
}

function anchorText(value: AttributeValue): string {
  return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
}
