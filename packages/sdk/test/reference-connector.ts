// An in-memory connector that implements the whole contract, to prove the conformance kit passes on
// a correct connector. Its `defect` option breaks one behaviour at a time, to prove the kit notices.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import type {
  AttributeDefinition,
  AttributeValue,
  CloseReason,
  ConnectorInstance,
  CSEntryChange,
  EntryError,
  ExportEntryResult,
  ImportEntry,
  ImportSession,
  ObjectTypeDefinition,
  Partition,
  PasswordSession,
  Schema,
} from '../src/index.js';
import {
  ConnectorError,
  applyAttributeChanges,
  attributeChangesOf,
  defineConnector,
  isValueOfType,
  readParameters,
  toValueArray,
  valuesEqual,
} from '../src/index.js';
import type { Capabilities } from '../src/index.js';

/** One deliberate defect of a variant; each should make at least one conformance check fail. */
export type ReferenceDefect =
  | 'drops-multi-value-deletes'
  | 'ignores-single-value-replace'
  | 'throws-on-missing-object'
  | 'loses-watermark'
  | 'fails-whole-batch'
  | 'leaks-timer'
  | 'malformed-schema'
  | 'ignores-page-size'
  | 'add-twice-succeeds'
  | 'corrupts-binary'
  | 'shifts-datetime'
  | 'delta-misses-deletes'
  | 'hides-generated-anchor'
  | 'replace-merges'
  | 'password-without-session'
  | 'password-ignores-missing-object'
  | 'ignores-delete'
  | 'test-connection-broken'
  | 'leaks-socket'
  | 'drops-update-results'
  | 'imports-prefixed-anchors'
  | 'imports-null-value'
  | 'delta-reports-phantom';

interface StoredObject {
  id: string;
  objectType: string;
  attributes: Record<string, AttributeValue[]>;
  password?: string;
  /** The change sequence number at which the object was created. */
  createdAt: number;
}

/** One session call the reference connector received, as tests of the kit's calling conventions read them. */
export type ReferenceCall =
  | { method: 'openImport'; type: 'full' | 'delta'; partition: string | undefined }
  | { method: 'openExport'; batchSize: number; partition: string | undefined }
  | { method: 'putEntries'; entries: number }
  | { method: 'closeExport'; reason: CloseReason }
  | { method: 'openPassword'; partition: string | undefined };

interface Store {
  objects: Map<string, StoredObject>;
  /** Sequence number of the last change; the watermark is this number as a string. */
  sequence: number;
  /** Per object id, the sequence number of its last change (including deletion). */
  changedAt: Map<string, number>;
  /** Keep-alive timers of open instances; a leaky variant leaves its own here until the store is dropped. */
  timers: Set<NodeJS.Timeout>;
  /** Listening sockets a leaky variant left open, closed when the store is dropped. */
  servers: Set<Server>;
  /** Objects deleted, by id, with their creation sequence and type, for delta imports. */
  deleted: Map<string, { createdAt: number; objectType: string }>;
  /** Every session call, in order. */
  calls: ReferenceCall[];
}

const stores = new Map<string, Store>();

/** Creates an empty store and returns its name, the value of the `store` parameter. */
export function createReferenceStore(): string {
  const name = `store-${randomUUID()}`;
  stores.set(name, { objects: new Map(), sequence: 0, changedAt: new Map(), deleted: new Map(), timers: new Set(), servers: new Set(), calls: [] });
  return name;
}

/**
 * Puts objects straight into a store, as a seed for an import-only connector. Each object must give
 * its anchor `id`.
 */
export function seedReferenceStore(name: string, objects: readonly { anchor?: Record<string, AttributeValue>; attributes: Record<string, AttributeValue | readonly AttributeValue[]> }[]): void {
  const store = stores.get(name);
  if (!store) throw new Error(`no store ${name}`);
  for (const object of objects) {
    const id = object.anchor?.id;
    if (typeof id !== 'string') throw new Error('a seeded object needs anchor.id');
    const attributes = Object.fromEntries(Object.entries(object.attributes).filter(([k]) => k !== 'password').map(([k, v]) => [k, toValueArray(v)]));
    store.sequence += 1;
    store.changedAt.set(id, store.sequence);
    store.objects.set(id, { id, objectType: 'person', attributes, createdAt: store.sequence });
  }
}

/** Drops a store. */
export function dropReferenceStore(name: string): void {
  for (const timer of stores.get(name)?.timers ?? []) clearInterval(timer);
  for (const server of stores.get(name)?.servers ?? []) server.close();
  stores.delete(name);
}

/** The session calls a store's instances received, in order. */
export function referenceCalls(name: string): ReferenceCall[] {
  return [...(stores.get(name)?.calls ?? [])];
}

/** The objects of a store, for tests that look at the target directly. */
export function referenceObjects(name: string): StoredObject[] {
  return [...(stores.get(name)?.objects.values() ?? [])];
}

const attr = (name: string, type: AttributeDefinition['type'], multiValued = false, extra: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name,
  type,
  multiValued,
  ...extra,
});

const PERSON: ObjectTypeDefinition = {
  name: 'person',
  anchors: ['id'],
  anchorGeneratedOnAdd: true,
  attributes: [
    attr('id', 'string', false, { operation: 'importOnly', caseExact: true }),
    attr('userName', 'string', false, { required: true }),
    attr('displayName', 'string'),
    attr('age', 'integer'),
    attr('active', 'boolean'),
    attr('photo', 'binary'),
    attr('manager', 'reference'),
    attr('hiredAt', 'datetime'),
    attr('mail', 'string', true),
    attr('badges', 'binary', true),
    attr('password', 'string', false, { operation: 'exportOnly' }),
  ],
};

const GROUP: ObjectTypeDefinition = {
  name: 'group',
  anchors: ['id'],
  anchorGeneratedOnAdd: true,
  attributes: [attr('id', 'string', false, { operation: 'importOnly', caseExact: true }), attr('displayName', 'string'), attr('member', 'reference', true)],
};

function schemaFor(defect: ReferenceDefect | undefined): Schema {
  if (defect === 'malformed-schema') return { objectTypes: [{ ...PERSON, anchors: ['objectGUID'] }, GROUP] };
  return { objectTypes: [PERSON, GROUP] };
}

function copyValue(value: AttributeValue): AttributeValue {
  return value instanceof Uint8Array ? Uint8Array.from(value) : value;
}

function copyAttributes(attributes: Record<string, AttributeValue[]>): Record<string, AttributeValue[]> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.map(copyValue)]));
}

class EntryFailure extends Error {
  constructor(readonly error: EntryError) {
    super(error.message);
  }
}

function entryError(code: EntryError['code'], message: string, attribute?: string): EntryFailure {
  return new EntryFailure({ code, message, ...(attribute === undefined ? {} : { attribute }) });
}

/** Checks values against the schema the way a database checks column types. */
function validate(type: ObjectTypeDefinition, attributes: Record<string, AttributeValue[]>): void {
  for (const [name, values] of Object.entries(attributes)) {
    const definition = type.attributes.find((a) => a.name === name);
    if (!definition) throw entryError('syntax-violation', `${type.name} has no attribute ${name}`, name);
    if (definition.operation === 'importOnly') throw entryError('syntax-violation', `${name} is read-only`, name);
    if (!definition.multiValued && values.length > 1) throw entryError('syntax-violation', `${name} takes one value`, name);
    for (const value of values) {
      if (!isValueOfType(value, definition.type)) throw entryError('syntax-violation', `${name} must be a ${definition.type}`, name);
    }
  }
  for (const definition of type.attributes) {
    if (definition.required && (attributes[definition.name]?.length ?? 0) === 0) {
      throw entryError('syntax-violation', `${definition.name} is required`, definition.name);
    }
  }
}

/** What the defective variants store in place of what they were given. */
function damage(defect: ReferenceDefect | undefined, attributes: Record<string, AttributeValue[]>): Record<string, AttributeValue[]> {
  const out = copyAttributes(attributes);
  if (defect === 'corrupts-binary' && out.photo) out.photo = out.photo.map((v) => (v instanceof Uint8Array ? v.slice(0, Math.max(0, v.length - 1)) : v));
  if (defect === 'shifts-datetime' && out.hiredAt) {
    out.hiredAt = out.hiredAt.map((v) => (typeof v === 'string' ? new Date(Date.parse(v) + 3_600_000).toISOString() : v));
  }
  return out;
}

const PARTITIONS: Partition[] = [
  { id: 'archive', dn: 'dc=archive', name: 'Archive', hidden: true },
  { id: 'people', dn: 'dc=example,dc=com', name: 'People' },
];

/** With partitions, every session must name the visible one, as a directory needs a naming context. */
function checkPartition(partitioned: boolean, partition: Partition | undefined): void {
  if (partitioned && partition?.id !== 'people') throw new ConnectorError('invalid-configuration', `no such partition: ${String(partition?.id)}`);
}

function createInstance(store: Store, defect: ReferenceDefect | undefined, partitioned: boolean): ConnectorInstance {
  // Stands for the keep-alive timer of a real connection pool: it must go on close.
  const keepAlive = setInterval(() => {}, 60_000);
  store.timers.add(keepAlive);
  if (defect === 'leaks-socket') {
    // A listener on loopback that close() forgets, as a driver that never ends its pool would.
    const server = createServer().listen(0, '127.0.0.1');
    store.servers.add(server);
  }
  const schema = schemaFor(defect);

  const touch = (id: string) => {
    store.sequence += 1;
    store.changedAt.set(id, store.sequence);
  };

  const typeOf = (entry: CSEntryChange): ObjectTypeDefinition => {
    const type = schema.objectTypes.find((t) => t.name === entry.objectType);
    if (!type) throw entryError('invalid-provisioning-value', `unknown object type ${entry.objectType}`);
    return type;
  };

  const find = (entry: CSEntryChange): StoredObject => {
    const id = entry.anchor.id;
    const object = typeof id === 'string' ? store.objects.get(id) : undefined;
    if (!object) {
      if (defect === 'throws-on-missing-object') throw new ConnectorError('internal', `no object ${String(id)}`);
      throw entryError('missing-object', `no object with id ${String(id)}`);
    }
    return object;
  };

  const uniqueUserName = (attributes: Record<string, AttributeValue[]>, self?: string) => {
    if (defect === 'add-twice-succeeds') return;
    const userName = attributes.userName?.[0];
    if (userName === undefined) return;
    for (const other of store.objects.values()) {
      if (other.id !== self && other.attributes.userName?.some((v) => valuesEqual(v, userName))) {
        throw entryError('existing-object', `userName ${String(userName)} is taken`, 'userName');
      }
    }
  };

  const apply = (entry: CSEntryChange): ExportEntryResult => {
    const type = typeOf(entry);
    switch (entry.modification) {
      case 'add': {
        const attributes = applyAttributeChanges({}, entry.attributeChanges, valuesEqual);
        const password = attributes.password?.[0];
        delete attributes.password;
        validate(type, attributes);
        const given = entry.anchor.id;
        const id = typeof given === 'string' ? given : randomUUID();
        if (store.objects.has(id)) throw entryError('existing-object', `an object with id ${id} exists`);
        uniqueUserName(attributes);
        touch(id);
        store.objects.set(id, {
          id,
          objectType: type.name,
          attributes: damage(defect, attributes),
          createdAt: store.sequence,
          ...(typeof password === 'string' ? { password } : {}),
        });
        return { identifier: entry.identifier, ...(defect === 'hides-generated-anchor' ? {} : { anchor: { id } }) };
      }
      case 'update': {
        const object = find(entry);
        let changes = entry.attributeChanges;
        if (defect === 'drops-multi-value-deletes') {
          changes = changes.map((c) => ({ ...c, valueChanges: c.valueChanges.filter((v) => v.modification !== 'delete') }));
        }
        if (defect === 'ignores-single-value-replace') changes = changes.filter((c) => c.modification !== 'replace');
        const attributes = applyAttributeChanges(object.attributes, changes, valuesEqual);
        delete attributes.password;
        validate(type, attributes);
        uniqueUserName(attributes, object.id);
        object.attributes = damage(defect, attributes);
        touch(object.id);
        return { identifier: entry.identifier };
      }
      case 'replace': {
        const object = find(entry);
        const replacement = applyAttributeChanges({}, entry.attributeChanges, valuesEqual);
        delete replacement.password;
        const attributes = defect === 'replace-merges' ? { ...object.attributes, ...replacement } : replacement;
        validate(type, attributes);
        uniqueUserName(attributes, object.id);
        object.attributes = damage(defect, attributes);
        touch(object.id);
        return { identifier: entry.identifier };
      }
      case 'delete': {
        const object = find(entry);
        if (defect === 'ignores-delete') return { identifier: entry.identifier };
        store.objects.delete(object.id);
        touch(object.id);
        store.deleted.set(object.id, { createdAt: object.createdAt, objectType: object.objectType });
        return { identifier: entry.identifier };
      }
    }
  };

  // Both forms of a whole object (decision 028): an `add` as its values, a `replace` as changes.
  const entryOf = (object: StoredObject, modification: 'add' | 'replace'): ImportEntry => {
    const anchor = { id: defect === 'imports-prefixed-anchors' ? `x-${object.id}` : object.id };
    const values = { ...copyAttributes(object.attributes), id: object.id };
    if (modification === 'replace') return { objectType: object.objectType, modification, anchor, attributeChanges: attributeChangesOf(values) };
    const attributes = defect === 'imports-null-value' ? { ...values, mail: null as unknown as string } : values;
    return { objectType: object.objectType, modification, anchor, attributes };
  };

  const watermarkNumber = (watermark: string | undefined): number => {
    if (watermark === undefined || !/^\d+$/.test(watermark) || Number(watermark) > store.sequence) {
      throw new ConnectorError('invalid-watermark', `watermark ${String(watermark)} is not one this store issued; run a full import`);
    }
    return Number(watermark);
  };

  const instance: ConnectorInstance = {
    async testConnection() {
      if (defect === 'test-connection-broken') throw new ConnectorError('authentication-failed', 'the reference store refused the API key');
      if (![...stores.values()].includes(store)) throw new ConnectorError('connection-failed', 'the store was dropped');
    },
    async getSchema() {
      return schema;
    },
    async openImport(runStep): Promise<ImportSession> {
      store.calls.push({ method: 'openImport', type: runStep.type, partition: runStep.partition?.id });
      checkPartition(partitioned, runStep.partition);
      const at = store.sequence;
      const wanted = new Set(runStep.schema.objectTypes.map((t) => t.name));
      let entries: ImportEntry[];
      if (runStep.type === 'full') {
        entries = [...store.objects.values()].filter((o) => wanted.has(o.objectType)).map((o) => entryOf(o, 'add'));
      } else {
        const since = watermarkNumber(runStep.watermark);
        entries = [];
        for (const [id, changed] of store.changedAt) {
          if (changed <= since) continue;
          const object = store.objects.get(id);
          if (object && !wanted.has(object.objectType)) continue;
          if (object) entries.push(entryOf(object, object.createdAt > since ? 'add' : 'replace'));
          const gone = store.deleted.get(id);
          if (gone && gone.createdAt <= since && wanted.has(gone.objectType) && defect !== 'delta-misses-deletes') {
            entries.push({ objectType: gone.objectType, modification: 'delete', anchor: { id }, attributeChanges: [] });
          }
        }
        if (defect === 'delta-reports-phantom') entries.push({ objectType: 'person', modification: 'add', anchor: { id: 'phantom' }, attributeChanges: [] });
      }
      const size = defect === 'ignores-page-size' ? Math.max(entries.length, 1) : runStep.pageSize;
      let offset = 0;
      const watermark = defect === 'loses-watermark' ? '0' : String(at);
      return {
        async getEntries() {
          const page = entries.slice(offset, offset + size);
          offset += page.length;
          return { entries: page, more: offset < entries.length, watermark };
        },
        async close() {
          return { watermark };
        },
      };
    },
    async openExport(runStep) {
      store.calls.push({ method: 'openExport', batchSize: runStep.batchSize, partition: runStep.partition?.id });
      checkPartition(partitioned, runStep.partition);
      return {
        async putEntries(batch) {
          store.calls.push({ method: 'putEntries', entries: batch.length });
          const results = batch.map((entry): ExportEntryResult => {
            try {
              return apply(entry);
            } catch (error) {
              if (error instanceof EntryFailure) return { identifier: entry.identifier, error: error.error };
              throw error;
            }
          });
          if (defect === 'drops-update-results') return results.filter((_, i) => batch[i]?.modification !== 'update');
          const failed = results.find((r) => r.error);
          if (defect === 'fails-whole-batch' && failed?.error) {
            const error = failed.error;
            return batch.map((e) => ({ identifier: e.identifier, error }));
          }
          return results;
        },
        async close(reason) {
          store.calls.push({ method: 'closeExport', reason });
        },
      };
    },
    async close() {
      if (defect === 'leaks-timer') return;
      clearInterval(keepAlive);
      store.timers.delete(keepAlive);
    },
  };
  if (defect !== 'password-without-session') {
    instance.openPassword = async (runStep): Promise<PasswordSession> => {
      store.calls.push({ method: 'openPassword', partition: runStep.partition?.id });
      checkPartition(partitioned, runStep.partition);
      return passwordSession();
    };
  }
  if (partitioned) instance.getPartitions = async () => PARTITIONS;
  return instance;

  function passwordSession(): PasswordSession {
    return {
      securityLevel: 'secure',
      async setPassword(target, password) {
        const id = target.anchor.id;
        const object = typeof id === 'string' ? store.objects.get(id) : undefined;
        if (!object && defect === 'password-ignores-missing-object') return undefined;
        if (!object) return { code: 'missing-object', message: `no object with id ${String(id)}` };
        if (password.reveal().length < 8) return { code: 'syntax-violation', message: 'a password has at least 8 characters' };
        object.password = password.reveal();
        return undefined;
      },
      async changePassword(target, oldPassword, newPassword) {
        const id = target.anchor.id;
        const object = typeof id === 'string' ? store.objects.get(id) : undefined;
        if (!object) return { code: 'missing-object', message: `no object with id ${String(id)}` };
        if (object.password !== oldPassword.reveal()) return { code: 'permission-issue', message: 'the old password is wrong' };
        object.password = newPassword.reveal();
        return undefined;
      },
      async close() {},
    };
  }
}

/**
 * The reference connector, or a variant of it with one defect. `capabilities` overrides what it
 * declares, to run the kit against a connector that does less (import only, no delta...).
 */
export function createReferenceConnector(defect?: ReferenceDefect, capabilities: Partial<Capabilities> = {}) {
  return defineConnector({
    name: '@ecmahost/connector-reference',
    displayName: 'Reference (in memory)',
    version: '1.0.0',
    description: 'Keeps objects in memory; the conformance kit runs against it.',
    capabilities: {
      import: true,
      deltaImport: true,
      export: true,
      exportType: 'attributeUpdate',
      password: true,
      deleteAddAsReplace: true,
      ...capabilities,
    },
    parameters: {
      connectivity: [
        { type: 'string', name: 'store', label: 'Store', required: true, pattern: '^store-[0-9a-f-]+$', patternMessage: 'Store is a name made by createReferenceStore.' },
        { type: 'encryptedString', name: 'apiKey', label: 'API key' },
      ],
    },
    async open(values) {
      const name = readParameters(values).string('store');
      const store = stores.get(name);
      if (!store) throw new ConnectorError('connection-failed', `no store named ${name}`, { parameter: 'store' });
      const instance = createInstance(store, defect, capabilities.partitions === true);
      // A connector that declares less must not offer more: drop the sessions it says it lacks.
      if (capabilities.export === false) delete instance.openExport;
      if (capabilities.password === false) delete instance.openPassword;
      return instance;
    },
  });
}
