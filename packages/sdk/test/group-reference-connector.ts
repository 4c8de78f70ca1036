// The reference connector with its group members checked as a database checks a foreign key: a
// member must be the id of a stored object. The reference connector itself keeps references as free
// text (its samples name DNs of nothing), so the reference checks run against this wrapper; its
// defects break one reference behaviour each, to prove the checks notice.
import type { ConnectorDefinition, ConnectorInstance, CSEntryChange, ExportEntryResult } from '../src/index.js';
import { readParameters } from '../src/index.js';
import type { ConformanceOptions } from '../src/testing/index.js';
import { createReferenceConnector, referenceObjects } from './reference-connector.js';
import { referenceOptions } from './reference-samples.js';

/** One deliberate defect of the wrapper. */
export type GroupDefect = 'writes-dangling-reference' | 'ignores-member-removal';

const MEMBER = 'member';

function danglingMember(store: string, entry: CSEntryChange): string | undefined {
  const ids = new Set(referenceObjects(store).map((o) => o.id));
  for (const change of entry.attributeChanges) {
    if (change.name !== MEMBER) continue;
    for (const value of change.valueChanges) if (value.modification === 'add' && !ids.has(String(value.value))) return String(value.value);
  }
  return undefined;
}

function withoutMemberRemovals(entry: CSEntryChange): CSEntryChange {
  return { ...entry, attributeChanges: entry.attributeChanges.map((c) => (c.name === MEMBER ? { ...c, valueChanges: c.valueChanges.filter((v) => v.modification !== 'delete') } : c)) };
}

/** The reference connector whose groups' members must name stored objects, or a variant with one defect. */
export function createGroupReferenceConnector(defect?: GroupDefect): ConnectorDefinition {
  const inner = createReferenceConnector();
  return {
    ...inner,
    async open(values, context): Promise<ConnectorInstance> {
      const instance = await inner.open(values, context);
      const store = readParameters(values).string('store');
      const openExport = instance.openExport!.bind(instance);
      instance.openExport = async (runStep) => {
        const session = await openExport(runStep);
        return {
          async putEntries(batch) {
            const results: ExportEntryResult[] = [];
            for (const given of batch) {
              const entry = defect === 'ignores-member-removal' ? withoutMemberRemovals(given) : given;
              const dangling = defect === 'writes-dangling-reference' ? undefined : danglingMember(store, entry);
              if (dangling !== undefined) {
                results.push({ identifier: entry.identifier, error: { code: 'syntax-violation', message: `member ${dangling} is no stored object`, attribute: MEMBER } });
                continue;
              }
              results.push(...(await session.putEntries([entry])));
            }
            return results;
          },
          close: (reason) => session.close(reason),
        };
      };
      return instance;
    },
  };
}

/** Conformance options for the wrapper: persons as members of groups, referenced by id. */
export function groupReferenceOptions(defect?: GroupDefect): ConformanceOptions {
  return {
    ...referenceOptions(),
    name: defect ? `reference connector with checked members, defect ${defect}` : 'reference connector with checked members',
    connector: createGroupReferenceConnector(defect),
    references: {
      objectType: 'group',
      attribute: MEMBER,
      sample: (n) => ({ attributes: { displayName: `Group ${String(n)}` } }),
      referenceTo: (object) => object.anchor.id ?? '',
      dangling: () => 'no-such-object',
    },
  };
}
