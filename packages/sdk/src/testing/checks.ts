import type { Capabilities } from '../capabilities.js';
import { attributeChange } from '../changes.js';
import { instanceProblems } from '../connector.js';
import { schemaProblems } from '../schema.js';
import { secret } from '../secret.js';
import type { AttributeValue } from '../values.js';
import { isValueOfType, toValueArray } from '../values.js';
import { sameAnchor, sameValue, showValue, showValues } from './compare.js';
import type { CheckSession, KnownObject } from './harness.js';
import {
  addEntry,
  changeEntry,
  entriesFor,
  expectSuccess,
  expectValues,
  exportEntries,
  fail,
  importedObject,
  knownAfterAdd,
  populate,
  runImport,
  setAttributeEntry,
  showAnchor,
  showAnchors,
  valuesOf,
} from './harness.js';
import type { ConformanceCheckId, ConformanceOptions } from './options.js';
import { REFERENCE_CHECKS } from './reference-checks.js';
import { runThroughHost } from './through-host.js';

/** What a check needs from the capabilities and options; a string is the reason it cannot run. */
type Precondition = (capabilities: Capabilities, options: ConformanceOptions) => string | undefined;

/** One check: its title, when it applies, and its body. */
export interface CheckDefinition {
  title: string;
  precondition?: Precondition;
  /** Returns a reason string when the check finds, once the instance is open, that it does not apply. */
  run(session: CheckSession): Promise<string | void>;
}

const needsImport: Precondition = (caps, options) => {
  if (!caps.import) return 'the connector does not import (capabilities.import is false)';
  if (!caps.export && !options.seed) return 'the connector does not export and the options give no seed';
  return undefined;
};

/** Why the kit sends no object replace: @ecmahost/host sends one to objectReplace connectors only. */
const objectReplaceReason: Precondition = (caps, options) => {
  if (caps.exportType === 'objectReplace') return undefined;
  if (!caps.deleteAddAsReplace) return `the host never sends an object replace to this connector (exportType ${caps.exportType}, deleteAddAsReplace false)`;
  if (options.deleteAddAsReplace === true) return undefined;
  return `the host never sends an object replace to this connector (exportType ${caps.exportType}; @ecmahost/host does not use deleteAddAsReplace, set the deleteAddAsReplace option to check it for other hosts)`;
};

const needsExport: Precondition = (caps) => {
  if (!caps.export) return 'the connector does not export (capabilities.export is false)';
  if (!caps.import) return 'the connector does not import, so exported objects cannot be read back';
  return undefined;
};

function sample(session: CheckSession, n: number) {
  return session.options.sample(n);
}

function attribute(session: CheckSession, name: string) {
  const definition = session.type.attributes.find((a) => a.name === name);
  if (!definition) fail(`${name} is not an attribute of ${session.type.name}`);
  return definition;
}

async function readBack(session: CheckSession, object: KnownObject, label: string) {
  return importedObject(await runImport(session, 'full'), object, label);
}

function valueOf(session: CheckSession, n: number, name: string): AttributeValue[] {
  const values = toValueArray(sample(session, n).attributes[name]);
  if (values.length === 0) fail(`sample(${String(n)}) has no value of ${name}, which this check needs`);
  return values;
}

/** Puts an object into the object-replace shape: the new attributes under the old anchor. */
function withAnchorAttributes(session: CheckSession, object: KnownObject, attributes: KnownObject['attributes']): KnownObject['attributes'] {
  const merged = { ...attributes };
  for (const name of session.type.anchors) {
    const value = object.anchor[name];
    if (value !== undefined && name in merged) merged[name] = value;
  }
  return merged;
}

// The attributes every SCIM resource has (RFC 7643 §3: schemas; §3.1: id, externalId, meta).
// Attribute names are case-insensitive in SCIM (RFC 7643 §2.1), so `ID` collides too.
const SCIM_RESERVED = ['id', 'externalId', 'meta', 'schemas'];

/** A warning naming the attributes of a type whose names are SCIM's reserved ones, or undefined. */
export function reservedNameWarning(type: { name: string; attributes: readonly { name: string }[] }): string | undefined {
  const colliding = type.attributes.filter((a) => SCIM_RESERVED.some((r) => r.toLowerCase() === a.name.toLowerCase())).map((a) => a.name);
  if (colliding.length === 0) return undefined;
  return (
    `${type.name} has attributes named like SCIM's reserved ones: ${colliding.join(', ')}. ` +
    `In SCIM filters, PATCH paths and Entra's attribute mappings a bare ${colliding[0] ?? ''} means SCIM's own attribute, not this one: ` +
    `admins must write the extension's full path (urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:${colliding[0] ?? ''}) or map it to a SCIM attribute. ` +
    'Another name (userId, externalKey...) avoids the confusion.'
  );
}

/** Every check, by id. */
export const CHECKS: Record<ConformanceCheckId, CheckDefinition> = {
  schema: {
    title: 'schema discovery is well-formed',
    async run(session) {
      const problems = schemaProblems(session.schema);
      if (problems.length > 0) fail(`the discovered schema has problems:\n  ${problems.join('\n  ')}`);
      const { options, type } = session;
      // A warning, not a failure: @ecmahost/host serves such an attribute like any other.
      const reserved = reservedNameWarning(type);
      if (reserved !== undefined) session.warnings.push(reserved);
      const single = attribute(session, options.singleValued);
      if (single.multiValued) fail(`singleValued names ${single.name}, which the schema says is multi-valued`);
      if (options.multiValued !== undefined && !attribute(session, options.multiValued).multiValued) {
        fail(`multiValued names ${options.multiValued}, which the schema says is single-valued`);
      }
      for (const [name, value] of Object.entries(options.sample(0).attributes)) {
        const definition = type.attributes.find((a) => a.name === name);
        if (!definition) fail(`sample(0) sets ${name}, which is not an attribute of ${type.name}`);
        const values = toValueArray(value);
        if (!definition.multiValued && values.length > 1) fail(`sample(0) gives ${String(values.length)} values of the single-valued ${name}`);
        const wrong = values.find((v) => !isValueOfType(v, definition.type));
        if (wrong !== undefined) fail(`sample(0).${name} is ${showValue(wrong)}, not a value of type ${definition.type} (see the AttributeType table of the contract)`);
      }
    },
  },
  capabilities: {
    title: 'capabilities are coherent with the instance',
    async run(session) {
      const problems = instanceProblems(session.capabilities, session.instance);
      if (problems.length > 0) fail(`the capabilities disagree with the instance:\n  ${problems.join('\n  ')}`);
    },
  },
  'test-connection': {
    title: 'test connection succeeds',
    async run(session) {
      await session.instance.testConnection();
    },
  },
  'full-import-paging': {
    title: 'full import pages to the end',
    precondition: needsImport,
    async run(session) {
      const count = session.pageSize * 2 + 1;
      const known = await populate(session, Array.from({ length: count }, (_, n) => sample(session, n)));
      const run = await runImport(session, 'full');
      if (run.pages < 2) fail(`${String(count)} objects with page size ${String(session.pageSize)} came in ${String(run.pages)} page; expected several`);
      known.forEach((object, n) => importedObject(run, object, `sample(${String(n)})`));
      if (run.entries.length !== count) fail(`a full import of a target holding ${String(count)} objects returned ${String(run.entries.length)} entries`);
    },
  },
  watermark: {
    title: 'the watermark round-trips',
    // @ecmahost/host gives a watermark back to delta imports only; a full import never gets one.
    precondition: (caps, options) =>
      needsImport(caps, options) ?? (caps.deltaImport ? undefined : 'the connector has no delta import, and the host gives watermarks to delta imports only'),
    async run(session) {
      await populate(session, [sample(session, 0), sample(session, 1), sample(session, 2)]);
      const first = await runImport(session, 'full');
      if (first.watermark === undefined) fail('a full import of a delta-capable connector returned no watermark');
      const delta = await runImport(session, 'delta', first.watermark);
      if (delta.entries.length > 0) {
        fail(`nothing changed since the full import, yet a delta import given its watermark returned ${String(delta.entries.length)} entries`);
      }
      if (delta.watermark === undefined) fail('a delta import returned no watermark');
      const again = await runImport(session, 'delta', delta.watermark);
      if (again.entries.length > 0) fail(`a delta import given the previous delta's watermark returned ${String(again.entries.length)} entries for no change`);
    },
  },
  'export-add': {
    title: 'export add, then full import sees every attribute value',
    precondition: needsExport,
    async run(session) {
      const known = await populate(session, [sample(session, 0), sample(session, 1)]);
      const run = await runImport(session, 'full');
      known.forEach((object, n) => expectValues(session, importedObject(run, object, `sample(${String(n)})`), object.attributes, `sample(${String(n)})`));
    },
  },
  'generated-anchor': {
    title: 'server-generated anchors come back in results',
    precondition: needsExport,
    async run(session) {
      if (!session.type.anchorGeneratedOnAdd) return `${session.type.name} does not generate its anchor on add (anchorGeneratedOnAdd is not set)`;
      const object = sample(session, 0);
      const entry = { ...addEntry(session, object), anchor: {} };
      const result = expectSuccess((await exportEntries(session, [entry])).get(entry.identifier), 'the add without an anchor');
      const anchor = result.anchor;
      const missing = session.type.anchors.filter((name) => anchor?.[name] === undefined);
      if (missing.length > 0) fail(`the add result does not carry the generated anchor (missing: ${missing.join(', ')})`);
      await readBack(session, knownAfterAdd(session, object, result), 'the object with a generated anchor');
      return undefined;
    },
  },
  'update-single-value': {
    title: 'update replaces a single value',
    precondition: needsExport,
    async run(session) {
      const name = session.options.singleValued;
      const [object] = (await populate(session, [sample(session, 0)])) as [KnownObject];
      const next = valueOf(session, 1, name);
      const before = toValueArray(object.attributes[name]);
      if (before.length === 1 && next[0] !== undefined && before[0] !== undefined && sameValue(attribute(session, name), before[0], next[0])) {
        fail(`sample(0) and sample(1) have the same ${name}; the samples must differ in it`);
      }
      const update = setAttributeEntry(session, object, name, next);
      expectSuccess((await exportEntries(session, [update])).get(update.identifier), `the update of ${name}`);
      const expected = { ...object.attributes, [name]: next };
      expectValues(session, await readBack(session, object, 'the updated object'), expected, 'the updated object');
    },
  },
  'update-multi-value': {
    title: 'update adds and deletes values of a multi-valued attribute',
    precondition: (caps, options) => needsExport(caps, options) ?? (options.multiValued === undefined ? 'no multiValued attribute given' : undefined),
    async run(session) {
      const name = session.options.multiValued as string;
      const definition = attribute(session, name);
      const [object] = (await populate(session, [sample(session, 0)])) as [KnownObject];
      const before = valueOf(session, 0, name);
      const added = valueOf(session, 1, name).filter((v) => !before.some((b) => sameValue(definition, b, v)));
      if (added.length === 0) fail(`sample(1) has no value of ${name} that sample(0) lacks; the samples must differ in it`);
      const [deleted] = before as [AttributeValue];
      const expectedValues = [...before.slice(1), ...added];
      // As @ecmahost/host shapes it: value deltas for attributeUpdate only, the full new set for the
      // other export types (multivaluedReferenceAttributeUpdate included, references too).
      const entry =
        session.capabilities.exportType === 'attributeUpdate'
        ? changeEntry(session, object, 'update', [attributeChange.update(name, { add: added, delete: [deleted] })])
        : setAttributeEntry(session, object, name, expectedValues);
      expectSuccess((await exportEntries(session, [entry])).get(entry.identifier), `the update of ${name} (add ${showValues(added)}, delete ${showValues([deleted])})`);
      expectValues(session, await readBack(session, object, 'the updated object'), { ...object.attributes, [name]: expectedValues }, 'the updated object');
    },
  },
  'object-replace': {
    title: 'object replace',
    precondition: (caps, options) => needsExport(caps, options) ?? objectReplaceReason(caps, options),
    async run(session) {
      const [object] = (await populate(session, [sample(session, 0)])) as [KnownObject];
      const attributes = withAnchorAttributes(session, object, sample(session, 1).attributes);
      // The replacement leaves out the multi-valued attribute: a replace that merges keeps it.
      const dropped = session.options.multiValued;
      if (dropped !== undefined) delete attributes[dropped];
      const entry = changeEntry(session, object, 'replace', Object.entries(attributes).map(([k, v]) => attributeChange.add(k, v)));
      expectSuccess((await exportEntries(session, [entry])).get(entry.identifier), 'the object replace');
      const actual = await readBack(session, object, 'the replaced object');
      expectValues(session, actual, attributes, 'the replaced object');
      const left = dropped === undefined ? [] : (actual[dropped] ?? []);
      if (left.length > 0) fail(`the replacement had no ${String(dropped)}, yet the replaced object still has ${showValues(left)}`);
    },
  },
  delete: {
    title: 'delete',
    precondition: needsExport,
    async run(session) {
      const [gone, kept] = (await populate(session, [sample(session, 0), sample(session, 1)])) as [KnownObject, KnownObject];
      const entry = changeEntry(session, gone, 'delete');
      expectSuccess((await exportEntries(session, [entry])).get(entry.identifier), 'the delete');
      const run = await runImport(session, 'full');
      if (entriesFor(run, gone).length > 0) fail(`the deleted object (anchor ${showAnchor(gone.anchor)}) is still in the full import`);
      importedObject(run, kept, 'the object that was not deleted');
    },
  },
  'delta-import': {
    title: 'delta import after an export reports exactly the changes',
    precondition: (caps, options) =>
      needsExport(caps, options) ?? (caps.deltaImport ? undefined : 'the connector has no delta import (capabilities.deltaImport is false)'),
    async run(session) {
      const name = session.options.singleValued;
      const [updated, deleted, untouched] = (await populate(session, [sample(session, 0), sample(session, 1), sample(session, 2)])) as [
        KnownObject,
        KnownObject,
        KnownObject,
      ];
      const full = await runImport(session, 'full');
      if (full.watermark === undefined) fail('the full import returned no watermark');
      const addedSample = sample(session, 3);
      const next = valueOf(session, 4, name);
      const add = addEntry(session, addedSample);
      const update = setAttributeEntry(session, updated, name, next);
      const remove = changeEntry(session, deleted, 'delete');
      const results = await exportEntries(session, [add, update, remove]);
      const added = knownAfterAdd(session, addedSample, expectSuccess(results.get(add.identifier), 'the add'));
      expectSuccess(results.get(update.identifier), 'the update');
      expectSuccess(results.get(remove.identifier), 'the delete');

      const delta = await runImport(session, 'delta', full.watermark);
      if (entriesFor(delta, untouched).length > 0) fail('the delta import reports an object that did not change');
      const unexpected = delta.entries.filter((e) => ![added, updated, deleted].some((o) => sameAnchor(o.anchor, e.anchor)));
      if (unexpected.length > 0) fail(`the delta import reports ${String(unexpected.length)} entries for objects the kit never touched: ${showAnchors(unexpected)}`);

      const addedEntries = entriesFor(delta, added);
      if (addedEntries.length === 0) fail('the delta import does not report the added object');
      if (addedEntries.some((e) => e.modification === 'delete')) fail('the delta import reports the added object as deleted');
      const addedState = addedEntries.reduce<Record<string, AttributeValue[]>>((state, e) => (e.modification === 'update' ? valuesOf(e, state) : valuesOf(e)), {});
      expectValues(session, addedState, addedSample.attributes, 'the added object in the delta import');

      const updatedEntries = entriesFor(delta, updated);
      if (updatedEntries.length === 0) fail(`the delta import does not report the object whose ${name} was replaced`);
      const base: Record<string, AttributeValue[]> = Object.fromEntries(Object.entries(updated.attributes).map(([k, v]) => [k, toValueArray(v)]));
      const updatedState = updatedEntries.reduce((state, e) => {
        if (e.modification === 'delete') fail('the delta import reports the updated object as deleted');
        return e.modification === 'update' ? valuesOf(e, state) : valuesOf(e);
      }, base);
      expectValues(session, updatedState, { [name]: next }, 'the updated object in the delta import');

      const deletedEntries = entriesFor(delta, deleted);
      const lastDeleted = deletedEntries[deletedEntries.length - 1];
      if (lastDeleted?.modification !== 'delete') fail('the delta import does not report the deleted object as delete');

      if (delta.watermark === undefined) fail('the delta import returned no watermark');
      const quiet = await runImport(session, 'delta', delta.watermark);
      if (quiet.entries.length > 0) fail(`a second delta import with no change in between returned ${String(quiet.entries.length)} entries`);
    },
  },
  'missing-object': {
    title: 'update and delete of a missing object are per-entry missing-object results',
    precondition: needsExport,
    async run(session) {
      const [object] = (await populate(session, [sample(session, 0)])) as [KnownObject];
      const remove = changeEntry(session, object, 'delete');
      expectSuccess((await exportEntries(session, [remove])).get(remove.identifier), 'the delete');
      const name = session.options.singleValued;
      const update = setAttributeEntry(session, object, name, valueOf(session, 1, name));
      const again = changeEntry(session, object, 'delete');
      const results = await exportEntries(session, [update, again]);
      for (const [entry, what] of [
        [update, 'an update'],
        [again, 'a delete'],
      ] as const) {
        const error = results.get(entry.identifier)?.error;
        if (error?.code !== 'missing-object') fail(`${what} of an object the target does not have returned ${error ? error.code : 'success'}, not missing-object`);
      }
    },
  },
  'existing-object': {
    title: 'adding an existing object is a per-entry existing-object result',
    precondition: needsExport,
    async run(session) {
      const object = sample(session, 0);
      await populate(session, [object]);
      const entry = addEntry(session, object);
      const error = (await exportEntries(session, [entry])).get(entry.identifier)?.error;
      if (error?.code !== 'existing-object') fail(`adding the same object twice returned ${error ? error.code : 'success'}, not existing-object`);
    },
  },
  'batch-partial-failure': {
    title: 'a bad entry gets its own error result and the good ones beside it are applied',
    precondition: (caps, options) => needsExport(caps, options) ?? (options.invalid === undefined ? 'no invalid object given' : undefined),
    async run(session) {
      const invalid = (session.options.invalid as NonNullable<ConformanceOptions['invalid']>)();
      const good = [sample(session, 0), sample(session, 1)] as const;
      const entries = [addEntry(session, good[0]), addEntry(session, invalid), addEntry(session, good[1])] as const;
      const results = await exportEntries(session, entries);
      const bad = results.get(entries[1].identifier);
      if (!bad?.error) fail('the invalid object was accepted; invalid() must return an object the target rejects');
      const known = [0, 2].map((i, n) => knownAfterAdd(session, good[n] as (typeof good)[number], expectSuccess(results.get(entries[i as 0 | 2].identifier), `good entry ${String(n)} beside a bad one`)));
      const run = await runImport(session, 'full');
      known.forEach((object, n) => expectValues(session, importedObject(run, object, `good entry ${String(n)}`), object.attributes, `good entry ${String(n)}`));
    },
  },
  password: {
    title: 'password set, and missing-object for an object that is gone',
    precondition: (caps, options) =>
      (caps.password ? undefined : 'the connector does not set passwords (capabilities.password is false)') ?? (caps.export || options.seed ? undefined : 'no way to create an object'),
    async run(session) {
      const open = session.instance.openPassword;
      if (!open) fail('capabilities.password is true but the instance has no openPassword');
      const [object] = (await populate(session, [sample(session, 0)])) as [KnownObject];
      const passwords = await open.call(session.instance, session.partition === undefined ? {} : { partition: session.partition });
      try {
        const target = { objectType: session.type.name, anchor: object.anchor, ...(object.dn === undefined ? {} : { dn: object.dn }) };
        const error = await passwords.setPassword(target, secret('Conformance-Passw0rd!'), {});
        if (error) fail(`setting a password returned ${error.code}: ${error.message}`);
        if (session.capabilities.export) {
          const remove = changeEntry(session, object, 'delete');
          expectSuccess((await exportEntries(session, [remove])).get(remove.identifier), 'the delete');
          const missing = await passwords.setPassword(target, secret('Conformance-Passw0rd!'), {});
          if (missing?.code !== 'missing-object') {
            fail(`setting the password of an object the target does not have returned ${missing ? missing.code : 'success'}, not missing-object`);
          }
        }
      } finally {
        await passwords.close();
      }
    },
  },
  ...REFERENCE_CHECKS,
  'through-host': {
    title: "Entra's user sequence through @ecmahost/host over HTTP",
    precondition: (caps, options) =>
      options.throughHost === false ? 'turned off by the throughHost option' : caps.export && caps.import ? undefined : 'the host provisions users only through a connector that imports and exports',
    run: runThroughHost,
  },
  'handles-released': {
    title: 'connections are released after close',
    // run-check.ts takes the baseline before open and compares after close; this body only makes
    // the instance use its connections the way a host does.
    async run(session) {
      await session.instance.testConnection();
      if (session.capabilities.export && session.capabilities.import) await populate(session, [sample(session, 0)]);
      if (session.capabilities.import) await runImport(session, 'full');
    },
  },
};
