import type { AttributeValues } from '@ecmahost/sdk';
import { toValueArray } from '@ecmahost/sdk';
import { escapeDnValue, parseDn } from './escape.js';

/**
 * Builds a DN from a template such as `uid={uid},ou=people,dc=example,dc=com`: each `{name}` is
 * replaced by the first value of that attribute, escaped per RFC 4514 so that a value holding `,`,
 * `+`, `=` or a leading `#` stays one RDN value. Throws `TypeError` naming a missing attribute.
 */
export function renderDnTemplate(template: string, attributes: AttributeValues): string {
  const lookup = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), v]));
  const dn = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const [first] = toValueArray(lookup.get(name.trim().toLowerCase()));
    if (first === undefined || first === '') throw new TypeError(`the DN template needs a value for ${name}`);
    return escapeDnValue(first instanceof Uint8Array ? Buffer.from(first).toString('utf8') : String(first));
  });
  parseDn(dn);
  return dn;
}
