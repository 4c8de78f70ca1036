import type { LdapConnection, LdapModification } from './client.js';
import type { AttributeValue, ObjectTypeDefinition } from '@ecmahost/sdk';
import { ProvisioningError, isLdapOperationError } from './errors.js';
import { dnKey, escapeFilterValue } from './escape.js';
import type { DirectorySchema } from './schema-builder.js';
import { attributeNamed } from './type-attributes.js';

// The group classes whose member list may not be empty (RFC 4519 §3.5 groupOfNames MUST member,
// §3.6 groupOfUniqueNames MUST uniqueMember), and the attribute each requires.
const REQUIRED_MEMBER: ReadonlyMap<string, string> = new Map([
  ['groupofnames', 'member'],
  ['groupofuniquenames', 'uniqueMember'],
]);

// LDAP result codes (RFC 4511 Appendix A).
const NO_SUCH_ATTRIBUTE = 16;
const ATTRIBUTE_OR_VALUE_EXISTS = 20;
const OBJECT_CLASS_VIOLATION = 65;
const NO_SUCH_OBJECT = 32;

/**
 * The member attribute a class requires when it is, or descends from, `groupOfNames` or
 * `groupOfUniqueNames`; `undefined` for every other class.
 */
export function requiredMemberAttribute(schema: DirectorySchema, className: string): string | undefined {
  // Asked at every export of the class: the walk up its lineage is made once per schema and class.
  let known = requiredMembers.get(schema);
  if (known === undefined) {
    known = new Map();
    requiredMembers.set(schema, known);
  }
  const key = className.toLowerCase();
  if (known.has(key)) return known.get(key);
  let found: string | undefined;
  for (const oc of schema.lineage(className)) {
    found = oc.names.map((name) => REQUIRED_MEMBER.get(name.toLowerCase())).find((attribute) => attribute !== undefined);
    if (found !== undefined) break;
  }
  known.set(key, found);
  return found;
}

const requiredMembers = new WeakMap<DirectorySchema, Map<string, string | undefined>>();

/** The DN kept as the only member of an empty group: the configured one, else the group's own DN. */
export function placeholderMember(configured: string | undefined, groupDn: string): string {
  return configured ?? groupDn;
}

/** Whether a member value is the empty-group placeholder, which imports leave out. */
export function isPlaceholderMember(configured: string | undefined, groupDn: string, value: string): boolean {
  // uniqueMember values may carry a `#'0101'B` suffix that is no DN: such a value is never the placeholder.
  return sameDn(value, placeholderMember(configured, groupDn));
}

const codeOf = (error: unknown): number | undefined => (isLdapOperationError(error) ? error.resultCode : undefined);

/** Where the group rule applies: the member attribute and the placeholder for this entry. */
export interface GroupRule {
  attribute: string;
  placeholder: string;
}

const sameAttribute = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Applies value-level modifications as the directory allows, whatever it already holds:
 *
 * - A value added that is already there (attributeOrValueExists) or removed that is already gone
 *   (noSuchAttribute) is what was asked for: the modify is retried value by value and those two
 *   answers are taken as done. The retry costs round trips only when the cache was stale, so a
 *   PATCH of 100 members of a large group stays one modify of 100 values, never a rewrite.
 * - With a `group` rule, removing the last member adds the placeholder in the same modify (the
 *   schema check is made on the result: RFC 4511 §4.6), and adding members removes it after (a
 *   replace of the whole list drops it by itself).
 */
export async function modifyValues(connection: LdapConnection, dn: string, mods: LdapModification[], assertion?: { attribute: string; value: string | Buffer }, group?: GroupRule): Promise<void> {
  const apply = async (list: LdapModification[]): Promise<void> => {
    try {
      await connection.modify(dn, list, assertion);
    } catch (error) {
      const code = codeOf(error);
      if (code === OBJECT_CLASS_VIOLATION && group !== undefined && list.some((m) => sameAttribute(m.attribute, group.attribute)) && !list.some((m) => m.operation === 'add' && m.values.includes(group.placeholder))) {
        return apply([...list, { operation: 'add', attribute: group.attribute, values: [group.placeholder] }]);
      }
      if (code !== ATTRIBUTE_OR_VALUE_EXISTS && code !== NO_SUCH_ATTRIBUTE) throw error;
      const [only] = list;
      if (list.length === 1 && only !== undefined && only.values.length === 1) {
        if ((only.operation === 'add' && code === ATTRIBUTE_OR_VALUE_EXISTS) || (only.operation === 'delete' && code === NO_SUCH_ATTRIBUTE)) return;
        throw error;
      }
      if (list.every((m) => m.operation === 'replace')) throw error;
      for (const mod of list.flatMap((m) => (m.operation === 'replace' ? [m] : m.values.map((value) => ({ ...m, values: [value] }))))) await apply([mod]);
    }
  };
  await apply(mods);
  if (group === undefined) return;
  const addsMembers = mods.some((m) => sameAttribute(m.attribute, group.attribute) && m.operation === 'add' && m.values.some((v) => v !== group.placeholder));
  if (!addsMembers) return;
  try {
    await connection.modify(dn, [{ operation: 'delete', attribute: group.attribute, values: [group.placeholder] }]);
  } catch (error) {
    // Not there: the group had members already, which is the usual case.
    if (codeOf(error) !== NO_SUCH_ATTRIBUTE) throw error;
  }
}

// The DN-valued attributes that name other objects and follow them through renames.
const REFERENCE_ATTRIBUTES = ['member', 'uniqueMember', 'manager'] as const;

/**
 * After `oldDn` was renamed to `newDn`: every `member`, `uniqueMember` and `manager` value under
 * `bases` naming the old DN is changed to the new one. Where the directory runs a referential
 * integrity overlay (OpenLDAP's refint, 389 DS's plug-in) it has done so already and the search
 * finds nothing: one indexed search per rename, so memberships stay right with or without it.
 */
export async function followRename(connection: LdapConnection, bases: readonly string[], oldDn: string, newDn: string): Promise<void> {
  const value = escapeFilterValue(oldDn);
  const filter = `(|${REFERENCE_ATTRIBUTES.map((a) => `(${a}=${value})`).join('')})`;
  for (const base of bases) {
    const found = await connection.search(base, { scope: 'sub', filter, attributes: [...REFERENCE_ATTRIBUTES] });
    for (const entry of found) {
      const mods: LdapModification[] = [];
      for (const [attribute, values] of Object.entries(entry.attributes)) {
        if (!REFERENCE_ATTRIBUTES.some((a) => sameAttribute(a, attribute))) continue;
        const stale = values.filter((v): v is string => typeof v === 'string' && sameDn(v, oldDn));
        if (stale.length === 0) continue;
        mods.push({ operation: 'delete', attribute, values: stale }, { operation: 'add', attribute, values: [newDn] });
      }
      if (mods.length > 0) await modifyValues(connection, entry.dn, mods);
    }
  }
}

function sameDn(a: string, b: string): boolean {
  try {
    return dnKey(a) === dnKey(b);
  } catch {
    return false;
  }
}

/**
 * Fails with a {@link ProvisioningError} naming the attribute when a reference value being written
 * (a `member`, `manager`… of DN syntax) names no entry of the directory: the host resolves
 * references to DNs it knows, so one naming nothing is an object deleted meanwhile, and writing it
 * would leave a dangling member (slapd checks no DN value's target). One base search per value.
 */
export async function refuseDangling(connection: LdapConnection, type: ObjectTypeDefinition, written: readonly { name: string; values: readonly AttributeValue[] }[], skip: (value: string) => boolean): Promise<void> {
  for (const { name, values } of written) {
    const definition = attributeNamed(type, name);
    if (definition?.type !== 'reference') continue;
    for (const value of values) {
      if (typeof value !== 'string' || skip(value)) continue;
      try {
        await connection.search(value, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
      } catch (error) {
        if (codeOf(error) === NO_SUCH_OBJECT) throw new ProvisioningError(`${name}: ${value} names no entry of the directory`, { attribute: name });
        throw error;
      }
    }
  }
}
