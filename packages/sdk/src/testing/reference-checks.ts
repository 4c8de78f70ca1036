import type { Capabilities } from '../capabilities.js';
import { attributeChange } from '../changes.js';
import { findObjectType } from '../schema.js';
import type { AnchorValues, AttributeValue } from '../values.js';
import { sameValues, showValues } from './compare.js';
import type { CheckSession, KnownObject } from './harness.js';
import { addEntry, changeEntry, entriesFor, exportEntries, expectSuccess, fail, knownAfterAdd, populate, runImport, showAnchor, valuesOf } from './harness.js';
import type { ConformanceOptions, ConformanceReferences, ReferenceCheckId } from './options.js';


function needsExportAndImport(capabilities: Capabilities, options: ConformanceOptions): string | undefined {
  if (options.references === undefined) return "the options give no references (an object type holding references to the suite's objects)";
  if (!capabilities.export || !capabilities.import) return 'references are checked by exporting them and importing them back';
  return undefined;
}

/** The session of the referencing type: the harness helpers work on `session.type`. */
function holderSession(session: CheckSession): { holder: CheckSession; references: ConformanceReferences } {
  const references = session.options.references;
  if (references === undefined) fail('the options give no references');
  const type = findObjectType(session.schema, references.objectType);
  if (!type) fail(`the discovered schema has no object type ${references.objectType} (it has: ${session.schema.objectTypes.map((t) => t.name).join(', ')})`);
  const definition = type.attributes.find((a) => a.name === references.attribute);
  if (!definition) fail(`${references.attribute} is not an attribute of ${type.name}`);
  if (definition.type !== 'reference' || !definition.multiValued) fail(`${type.name}.${references.attribute} is ${definition.multiValued ? '' : 'single-valued '}${definition.type}; the schema must say it is a multi-valued reference`);
  return { holder: { ...session, type }, references };
}

/** Two members and an empty referencing object in the target. */
async function setUp(session: CheckSession): Promise<{ holder: CheckSession; references: ConformanceReferences; members: KnownObject[]; group: KnownObject }> {
  const { holder, references } = holderSession(session);
  const members = await populate(session, [session.options.sample(0), session.options.sample(1)]);
  const [group] = await populate(holder, [references.sample(0, session.values)]);
  if (!group) fail('the referencing object was not added');
  return { holder, references, members, group };
}

/** The reference values the target holds for `object`, read back by a full import of its type. */
async function referencesOf(holder: CheckSession, references: ConformanceReferences, object: KnownObject): Promise<AttributeValue[] | undefined> {
  const found = entriesFor(await runImport(holder, 'full'), object);
  if (found.length === 0) return undefined;
  if (found.length > 1) fail(`${holder.type.name} ${showAnchor(object.anchor)} appears ${String(found.length)} times in one full import`);
  return valuesOf(found[0]!)[references.attribute] ?? [];
}

async function expectReferences(holder: CheckSession, references: ConformanceReferences, object: KnownObject, expected: readonly AttributeValue[], when: string): Promise<void> {
  const actual = await referencesOf(holder, references, object);
  if (actual === undefined) fail(`${when}, ${holder.type.name} ${showAnchor(object.anchor)} is missing from the full import`);
  const definition = holder.type.attributes.find((a) => a.name === references.attribute)!;
  if (!sameValues(definition, expected, actual)) fail(`${when}, ${references.attribute} of ${holder.type.name} ${showAnchor(object.anchor)} reads ${showValues(actual)}; expected ${showValues(expected)}`);
}

async function changeMembers(holder: CheckSession, references: ConformanceReferences, group: KnownObject, change: { add?: AttributeValue[]; delete?: AttributeValue[] }, what: string) {
  const entry = changeEntry(holder, group, 'update', [attributeChange.update(references.attribute, change)]);
  return (await exportEntries(holder, [entry])).get(entry.identifier) ?? fail(`no result for ${what}`);
}

/**
 * The shape of `CheckDefinition` in checks.ts, written out: checks.ts imports this file to
 * register the reference checks, and importing its type back would make a cycle.
 */
interface ReferenceCheck {
  title: string;
  precondition?: (capabilities: Capabilities, options: ConformanceOptions) => string | undefined;
  run(session: CheckSession): Promise<string | void>;
}

/** The reference checks, registered beside the others in `CHECKS`. */
export const REFERENCE_CHECKS: Record<ReferenceCheckId, ReferenceCheck> = {
  'reference-add': {
    title: 'members are added to an empty object by reference, and adding one already there changes nothing',
    precondition: needsExportAndImport,
    async run(session) {
      const { holder, references, members, group } = await setUp(session);
      await expectReferences(holder, references, group, [], 'after the add of an object with no members');
      const refs = members.map((m) => references.referenceTo(m));
      expectSuccess(await changeMembers(holder, references, group, { add: refs }, 'the member add'), `the add of members ${showValues(refs)}`);
      await expectReferences(holder, references, group, refs, 'after two members were added');
      // The host's cache may be stale: a member added twice is a member once.
      expectSuccess(await changeMembers(holder, references, group, { add: refs.slice(0, 1) }, 'the repeated member add'), 'the add of a member already there');
      await expectReferences(holder, references, group, refs, 'after a member already there was added again');
    },
  },
  'reference-remove': {
    title: 'a member removed by reference is gone, the others stay',
    precondition: needsExportAndImport,
    async run(session) {
      const { holder, references, members, group } = await setUp(session);
      const refs = members.map((m) => references.referenceTo(m));
      expectSuccess(await changeMembers(holder, references, group, { add: refs }, 'the member add'), 'the add of two members');
      expectSuccess(await changeMembers(holder, references, group, { delete: refs.slice(0, 1) }, 'the member removal'), `the removal of member ${showValues(refs.slice(0, 1))}`);
      await expectReferences(holder, references, group, refs.slice(1), 'after one of two members was removed');
      expectSuccess(await changeMembers(holder, references, group, { delete: refs.slice(1) }, 'the last member removal'), 'the removal of the last member');
      await expectReferences(holder, references, group, [], 'after the last member was removed');
    },
  },
  'reference-rename': {
    title: 'renaming a member keeps its membership, under its new reference',
    precondition: (capabilities, options) => {
      const reason = needsExportAndImport(capabilities, options);
      if (reason !== undefined) return reason;
      if (!capabilities.objectRename) return 'the connector does not declare objectRename';
      if (options.references?.renamedDn === undefined) return 'the references option gives no renamedDn';
      return undefined;
    },
    async run(session) {
      const { holder, references, members, group } = await setUp(session);
      const [member, other] = members as [KnownObject, KnownObject];
      expectSuccess(await changeMembers(holder, references, group, { add: [references.referenceTo(member), references.referenceTo(other)] }, 'the member add'), 'the add of two members');
      const newDn = references.renamedDn!(member, session.values);
      const rename = { ...changeEntry(session, member, 'update'), newDn };
      const result = expectSuccess((await exportEntries(session, [rename])).get(rename.identifier), `the rename of member ${showAnchor(member.anchor)} to ${newDn}`);
      const renamed: KnownObject = { ...member, dn: result.dn ?? newDn, ...(result.anchor === undefined ? {} : { anchor: result.anchor as AnchorValues }) };
      await expectReferences(holder, references, group, [references.referenceTo(renamed), references.referenceTo(other)], 'after a member was renamed');
    },
  },
  'reference-dangling': {
    title: 'a reference to no object is refused for its entry alone and not written',
    precondition: needsExportAndImport,
    async run(session) {
      const { holder, references, members, group } = await setUp(session);
      const good = references.referenceTo(members[0]!);
      const dangling = references.dangling(session.values);
      const update = await changeMembers(holder, references, group, { add: [good, dangling] }, 'the dangling member add');
      if (!update.error) fail(`adding the dangling reference ${showValues([dangling])} beside a good one returned success; it must be refused as a per-entry error`);
      await expectReferences(holder, references, group, [], 'after an update adding a dangling reference was refused');
      const object = references.sample(1, session.values);
      const add = addEntry(holder, { ...object, attributes: { ...object.attributes, [references.attribute]: [good, dangling] } });
      const added = (await exportEntries(holder, [add])).get(add.identifier) ?? fail('no result for the add with a dangling reference');
      if (!added.error) {
        const known = knownAfterAdd(holder, object, added);
        fail(`adding ${holder.type.name} ${showAnchor(known.anchor)} with the dangling reference ${showValues([dangling])} returned success; it must be refused as a per-entry error`);
      }
      const run = await runImport(holder, 'full');
      if (run.entries.length !== 1) fail(`after the add with a dangling reference was refused, the full import of ${holder.type.name} holds ${String(run.entries.length)} objects; expected only the first`);
    },
  },
};
