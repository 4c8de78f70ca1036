import type { AttributeDefinition, ObjectTypeDefinition } from '@ecmahost/sdk';

const byType = new WeakMap<ObjectTypeDefinition, ReadonlyMap<string, AttributeDefinition>>();

/**
 * The attribute of `type` named `name` in any case (LDAP attribute names are case-insensitive,
 * RFC 4512 §2.5), as `type.attributes.find` would give it: the first one listed. An export looks
 * up every attribute it writes, in types of some sixty attributes, so each type's names are
 * lowercased once, not at every lookup. A type's attribute list is read-only, so the map stays true.
 */
export function attributeNamed(type: ObjectTypeDefinition, name: string): AttributeDefinition | undefined {
  let names = byType.get(type);
  if (names === undefined) {
    const map = new Map<string, AttributeDefinition>();
    for (const attribute of type.attributes) {
      const key = attribute.name.toLowerCase();
      if (!map.has(key)) map.set(key, attribute);
    }
    names = map;
    byType.set(type, names);
  }
  return names.get(name.toLowerCase());
}
