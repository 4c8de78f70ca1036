import type { AttributeChange, AttributeValue, CSEntryChange, EntryError, ExportEntryResult, ExportRunStep, ExportSession, Logger, ObjectTypeDefinition } from '@ecmahost/sdk';
import { DN_ATTRIBUTE, findObjectType, isConnectorError, toValueArray } from '@ecmahost/sdk';
import { anchorMatchValue, resolveDn } from './anchor-lookup.js';
import type { LdapConnection, LdapModification, LdapPool } from './client.js';
import type { LdapConfig } from './config.js';
import type { Discovery } from './discovery.js';
import { renderDnTemplate } from './dn-template.js';
import { confine } from './containment.js';
import { anchorOf } from './entry-mapping.js';
import { ProvisioningError, entryErrorOf, isLdapOperationError } from './errors.js';
import type { GroupRule } from './groups.js';
import { followRename, isPlaceholderMember, modifyValues, placeholderMember, refuseDangling, requiredMemberAttribute } from './groups.js';
import type { ParsedDn } from './escape.js';
import { dnKey, formatDn, keysUnder, parseDn, rdnKeys } from './escape.js';
import { OID } from './root-dse.js';
import type { DirectoryAttribute } from './schema-builder.js';
import { sshaHash } from './ssha.js';
import { attributeNamed } from './type-attributes.js';
import { toLdap } from './value-codec.js';

/** What an export session needs from its instance. */
export interface ExportContext {
  pool: LdapPool;
  config: LdapConfig;
  /**
   * Root DSE and schema, read on first need: a session opens while the server is down, and its
   * entries then fail one by one as retryable instead of the whole session failing.
   */
  discover(): Promise<Discovery>;
  log: Logger;
  /** Where objects are looked up by anchor. */
  bases(discovery: Discovery): string[];
}

/** Whether passwords go to AD's `unicodePwd`, which takes them only in its own encoding. */
export function isUnicodePwd(config: Pick<LdapConfig, 'passwordAttribute'>): boolean {
  return config.passwordAttribute.toLowerCase() === 'unicodepwd';
}

/** Whether passwords go through the Password Modify extended operation (RFC 3062). */
export function usesPasswordModify(config: LdapConfig, discovery: Discovery): boolean {
  if (config.passwordMethod === 'passwordModify') return true;
  // AD LDS offers no Password Modify operation; a server that does still stores unicodePwd as written.
  if (config.passwordMethod === 'auto') return !isUnicodePwd(config) && discovery.server.supportedExtensions.has(OID.passwordModify);
  return false;
}

/**
 * The value written to the password attribute when passwords are attributes: AD's `unicodePwd`
 * takes the password in double quotes, encoded UTF-16LE (MS-ADTS §3.1.1.3.1.5.1), and only over
 * an encrypted connection, so in clear it is refused here before anything is sent.
 */
export function passwordValue(config: LdapConfig, password: string): string | Buffer {
  if (isUnicodePwd(config)) {
    if (config.tls === undefined) {
      throw new ProvisioningError(`${config.passwordAttribute} is only sent over an encrypted connection (AD LDS refuses it in clear text): choose StartTLS or LDAPS as the connection security`, { attribute: config.passwordAttribute });
    }
    return Buffer.from(`"${password}"`, 'utf16le');
  }
  return config.passwordMethod === 'attributeSsha' ? sshaHash(password) : password;
}

const parsedBases = new WeakMap<Discovery, Map<string, string[] | undefined>>();

/**
 * The RDN keys of a base the export looks under (`undefined` when it does not parse), parsed once
 * per discovery: every update in place compares its DN with the bases, and each export has its
 * own session.
 */
function keysOfBase(discovery: Discovery, base: string): string[] | undefined {
  let known = parsedBases.get(discovery);
  if (known === undefined) {
    known = new Map();
    parsedBases.set(discovery, known);
  }
  if (known.has(base)) return known.get(base);
  let keys: string[] | undefined;
  try {
    keys = rdnKeys(base);
  } catch {
    keys = undefined;
  }
  known.set(base, keys);
  return keys;
}

function attributeOf(discovery: Discovery, type: ObjectTypeDefinition, name: string): Pick<DirectoryAttribute, 'name' | 'type'> {
  const def = attributeNamed(type, name);
  if (def !== undefined) return { name: def.name, type: def.type };
  const attr = discovery.schema.attribute(name);
  if (attr === undefined) throw new ProvisioningError(`${name} is not an attribute of ${type.name} or of the directory schema`);
  return attr;
}

function encode(attr: Pick<DirectoryAttribute, 'name' | 'type'>, values: readonly AttributeValue[]): (string | Buffer)[] {
  try {
    return values.map((v) => toLdap(attr, v));
  } catch (error) {
    throw new ProvisioningError((error as Error).message);
  }
}

function added(change: AttributeChange): AttributeValue[] {
  return change.valueChanges.filter((v) => v.modification === 'add').map((v) => v.value);
}

/**
 * Opens an export run. Each entry is applied on its own pooled connection, so a connection lost
 * in the middle of a batch fails only the entries in flight (retryable) and the next entries
 * reconnect on their own.
 */
export function openExportSession(ctx: ExportContext, runStep: ExportRunStep): ExportSession {
  const { config } = ctx;
  let discovery: Discovery;
  let passwordModify = false;
  const isPassword = (name: string) => name.toLowerCase() === config.passwordAttribute.toLowerCase();

  /** The empty-group rule for an entry of `type` at `dn`, when its class requires members. */
  const groupRule = (type: ObjectTypeDefinition, dn: string): GroupRule | undefined => {
    const attribute = requiredMemberAttribute(discovery.schema, type.name);
    return attribute === undefined ? undefined : { attribute, placeholder: placeholderMember(config.emptyGroupMember, dn) };
  };

  /** Refuses the reference values an update adds that name no entry (see `refuseDangling`). */
  const checkWritten = async (connection: LdapConnection, type: ObjectTypeDefinition, changes: readonly AttributeChange[], dn: string): Promise<void> => {
    if (!config.checkReferences) return;
    await refuseDangling(connection, type, changes.map((c) => ({ name: c.name, values: added(c) })), (v) => isPlaceholderMember(config.emptyGroupMember, dn, v));
  };

  const typeOf = (entry: CSEntryChange): ObjectTypeDefinition => {
    const type = findObjectType(runStep.schema, entry.objectType);
    if (type === undefined) throw new ProvisioningError(`unknown object type ${entry.objectType}`);
    return type;
  };

  const add = async (connection: LdapConnection, entry: CSEntryChange): Promise<ExportEntryResult> => {
    const type = typeOf(entry);
    const values = new Map<string, AttributeValue[]>();
    for (const change of entry.attributeChanges) values.set(change.name.toLowerCase() === DN_ATTRIBUTE ? DN_ATTRIBUTE : change.name, added(change));
    const plain: Record<string, AttributeValue | readonly AttributeValue[]> = Object.fromEntries(values);
    const given = toValueArray(plain[DN_ATTRIBUTE])[0];
    let dn: string;
    let parsed: ParsedDn;
    try {
      dn = entry.dn ?? (typeof given === 'string' ? given : undefined) ?? (config.dnTemplate === undefined ? '' : renderDnTemplate(config.dnTemplate, plain));
      if (dn === '') throw new ProvisioningError(`the new ${type.name} has no DN: map -dn- or configure a DN template`);
      parsed = parseDn(dn);
      dn = formatDn(parsed);
    } catch (error) {
      throw error instanceof ProvisioningError ? error : new ProvisioningError((error as Error).message);
    }
    confine(dn, ctx.bases(discovery), `add of ${type.name}`);
    const attributes: Record<string, (string | Buffer)[]> = {};
    let password: string | undefined;
    for (const [name, list] of values) {
      if (name === DN_ATTRIBUTE || list.length === 0) continue;
      if (isPassword(name)) {
        password = String(list[0]);
        if (!passwordModify) attributes[name] = [passwordValue(config, password)];
        continue;
      }
      if (name.toLowerCase() === 'objectclass') continue;
      const attr = attributeOf(discovery, type, name);
      attributes[attr.name] = encode(attr, list);
    }
    // objectClass comes from the objectClass attribute (structural plus auxiliaries such as
    // posixAccount); the object type's structural class is added when it is missing.
    const classes = (values.get('objectClass') ?? [...values.entries()].find(([k]) => k.toLowerCase() === 'objectclass')?.[1] ?? []).map(String);
    if (!classes.some((c) => c.toLowerCase() === type.name.toLowerCase())) classes.unshift(type.name);
    attributes.objectClass = classes;
    // A group created empty, as Entra creates every group (members come by PATCH after), holds the placeholder.
    const group = groupRule(type, dn);
    if (group !== undefined && !Object.entries(attributes).some(([k, v]) => k.toLowerCase() === group.attribute.toLowerCase() && v.length > 0)) attributes[group.attribute] = [group.placeholder];
    // The naming attribute's value must be among the entry's values (RFC 4512 §2.3.1).
    for (const ava of parsed[0] ?? []) {
      const key = Object.keys(attributes).find((k) => k.toLowerCase() === ava.type.toLowerCase()) ?? ava.type;
      const current = attributes[key] ?? [];
      if (!current.some((v) => v.toString().toLowerCase() === ava.value.toLowerCase())) attributes[key] = [...current, ava.value];
    }
    if (config.checkReferences) await refuseDangling(connection, type, [...values].map(([name, list]) => ({ name, values: list })), (v) => isPlaceholderMember(config.emptyGroupMember, dn, v));
    await connection.add(dn, attributes);
    if (password !== undefined && passwordModify) await connection.passwordModify(dn, password);
    const result: ExportEntryResult = { identifier: entry.identifier, dn };
    if (config.anchor === DN_ATTRIBUTE) return { ...result, anchor: { [DN_ATTRIBUTE]: dn } };
    // An anchor the add itself set to one value is that value: no read-back round trip. A
    // server-assigned anchor (entryUUID, objectGUID) or several values are read from the entry.
    const anchorKey = Object.keys(attributes).find((k) => k.toLowerCase() === config.anchor.toLowerCase());
    const sent = anchorKey === undefined ? undefined : attributes[anchorKey];
    const [only] = sent ?? [];
    if (sent?.length === 1 && only !== undefined) return { ...result, anchor: { [config.anchor]: anchorOf({ dn, attributes: { [config.anchor]: [only] } }, config.anchor) ?? only.toString() } };
    const [created] = await connection.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [config.anchor] });
    const anchor = created === undefined ? undefined : anchorOf(created, config.anchor);
    return anchor === undefined ? result : { ...result, anchor: { [config.anchor]: anchor } };
  };

  const modifications = (type: ObjectTypeDefinition, changes: readonly AttributeChange[]): { mods: LdapModification[]; password: string | undefined } => {
    const mods: LdapModification[] = [];
    let password: string | undefined;
    for (const change of changes) {
      if (change.name === DN_ATTRIBUTE) continue;
      if (isPassword(change.name)) {
        const [value] = added(change);
        if (value === undefined) {
          mods.push({ operation: 'replace', attribute: change.name, values: [] });
        } else {
          password = String(value);
          if (!passwordModify) mods.push({ operation: 'replace', attribute: change.name, values: [passwordValue(config, password)] });
        }
        continue;
      }
      const attr = attributeOf(discovery, type, change.name);
      switch (change.modification) {
        // ECMA2 `add` means "had no value": a replace gives the same result without failing when
        // the cache was stale and the directory already had a value.
        case 'add':
        case 'replace':
          mods.push({ operation: 'replace', attribute: attr.name, values: encode(attr, added(change)) });
          break;
        case 'delete':
          mods.push({ operation: 'replace', attribute: attr.name, values: [] });
          break;
        case 'update': {
          const removed = change.valueChanges.filter((v) => v.modification === 'delete').map((v) => v.value);
          if (removed.length > 0) mods.push({ operation: 'delete', attribute: attr.name, values: encode(attr, removed) });
          const extra = added(change);
          if (extra.length > 0) mods.push({ operation: 'add', attribute: attr.name, values: encode(attr, extra) });
          break;
        }
      }
    }
    return { mods, password };
  };

  /**
   * An update of attributes at the DN the host knows, on the condition that the entry there still
   * has the anchor value (RFC 4528 assertion): one round trip instead of a search and a modify.
   * `false` when the entry is gone or is another object now, for the caller to find it by anchor.
   */
  const updateInPlace = async (connection: LdapConnection, entry: CSEntryChange, type: ObjectTypeDefinition): Promise<boolean> => {
    const anchorValue = entry.anchor[config.anchor];
    const { dn } = entry;
    if (dn === undefined || config.anchor === DN_ATTRIBUTE || typeof anchorValue !== 'string' || !discovery.server.supportedControls.has(OID.assertion)) return false;
    // Only where the anchor search would look: an object moved out of the containers is not this connector's.
    let keys: string[];
    try {
      keys = rdnKeys(dn);
    } catch {
      // A DN the host holds that does not parse: the anchor search decides, as before.
      return false;
    }
    if (!ctx.bases(discovery).some((base) => {
      const baseKeys = keysOfBase(discovery, base);
      return baseKeys !== undefined && keysUnder(keys, baseKeys);
    })) return false;
    const { mods, password } = modifications(type, entry.attributeChanges);
    if (mods.length === 0) return false;
    await checkWritten(connection, type, entry.attributeChanges, dn);
    try {
      await modifyValues(connection, dn, mods, { attribute: config.anchor, value: anchorMatchValue(config.anchor, anchorValue) }, groupRule(type, dn));
    } catch (error) {
      if (isLdapOperationError(error) && (error.resultCode === 32 || error.resultCode === 122)) return false;
      throw error;
    }
    if (password !== undefined && passwordModify) await connection.passwordModify(dn, password);
    return true;
  };

  const update = async (connection: LdapConnection, entry: CSEntryChange): Promise<ExportEntryResult> => {
    const type = typeOf(entry);
    const dnChange = entry.attributeChanges.find((c) => c.name === DN_ATTRIBUTE);
    const requested = entry.newDn ?? (dnChange === undefined ? undefined : added(dnChange)[0]);
    const renames = typeof requested === 'string' && requested !== '';
    if (entry.modification === 'update' && !renames && entry.dn !== undefined && (await updateInPlace(connection, entry, type))) {
      return { identifier: entry.identifier, dn: entry.dn };
    }
    const bases = ctx.bases(discovery);
    let dn = await resolveDn(connection, config.anchor, entry.anchor, entry.dn, bases);
    confine(dn, bases, `${entry.modification} of ${entry.objectType}`);
    if (typeof requested === 'string' && requested !== '') {
      let target: string;
      try {
        target = formatDn(parseDn(requested));
      } catch (error) {
        throw new ProvisioningError((error as Error).message);
      }
      if (dnKey(target) !== dnKey(dn)) {
        confine(target, bases, `rename of ${dn}`);
        // The old naming value goes when the naming attribute stays (cn=Alice Smith → cn=Alice
        // Jones); when it changes (uid=jdoe → cn=John Doe) the old value is kept, as it is often
        // required by the entry's classes (posixAccount needs uid).
        const oldTypes = (parseDn(dn)[0] ?? []).map((a) => a.type.toLowerCase()).sort().join('+');
        const newTypes = (parseDn(target)[0] ?? []).map((a) => a.type.toLowerCase()).sort().join('+');
        await connection.modifyDn(dn, target, oldTypes === newTypes);
        await followRename(connection, bases, dn, target);
        dn = target;
      }
    }
    let changes = entry.attributeChanges;
    if (entry.modification === 'replace') {
      // An object replace: every attribute the entry has and the change leaves out is cleared,
      // except the naming attribute, objectClass and what the server maintains.
      const [current] = await connection.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['*'] });
      const given = new Set(changes.map((c) => c.name.toLowerCase()));
      const naming = new Set((parseDn(dn)[0] ?? []).map((a) => a.type.toLowerCase()));
      const cleared = Object.keys(current?.attributes ?? {}).filter((name) => {
        const lower = name.toLowerCase();
        const attr = discovery.schema.attribute(name);
        return !given.has(lower) && !given.has(attr?.name.toLowerCase() ?? '') && lower !== 'objectclass' && !naming.has(lower) && !isPassword(name) && attr?.importOnly !== true;
      });
      changes = [...changes.map((c) => ({ ...c, modification: 'replace' as const })), ...cleared.map((name) => ({ name, modification: 'delete' as const, valueChanges: [] }))];
    }
    const { mods, password } = modifications(type, changes);
    await checkWritten(connection, type, changes, dn);
    if (mods.length > 0) await modifyValues(connection, dn, mods, undefined, groupRule(type, dn));
    if (password !== undefined && passwordModify) await connection.passwordModify(dn, password);
    const result: ExportEntryResult = { identifier: entry.identifier, dn };
    return config.anchor === DN_ATTRIBUTE ? { ...result, anchor: { [DN_ATTRIBUTE]: dn } } : result;
  };

  const remove = async (connection: LdapConnection, entry: CSEntryChange): Promise<ExportEntryResult> => {
    const bases = ctx.bases(discovery);
    const dn = await resolveDn(connection, config.anchor, entry.anchor, entry.dn, bases);
    confine(dn, bases, `delete of ${entry.objectType}`);
    await connection.delete(dn);
    return { identifier: entry.identifier };
  };

  const one = async (entry: CSEntryChange): Promise<ExportEntryResult> => {
    try {
      discovery = await ctx.discover();
      passwordModify = usesPasswordModify(config, discovery);
      return await ctx.pool.use(async (connection) => {
        switch (entry.modification) {
          case 'add':
            return add(connection, entry);
          case 'update':
          case 'replace':
            return update(connection, entry);
          case 'delete':
            return remove(connection, entry);
        }
      });
    } catch (error) {
      const entryError: EntryError = entryErrorOf(error);
      // Discovery failing because the server is away is the same retryable condition.
      if (isConnectorError(error) && error.code === 'server-down') entryError.retryable = true;
      ctx.log.warn({ identifier: entry.identifier, code: entryError.code, retryable: entryError.retryable ?? false }, entryError.message);
      return { identifier: entry.identifier, error: entryError };
    }
  };

  return {
    async putEntries(batch) {
      // In order: two changes of one object in a batch must apply in the order they were sent.
      const results: ExportEntryResult[] = [];
      for (const entry of batch) results.push(await one(entry));
      return results;
    },
    async close() {},
  };
}
