import { describe, expect, it } from 'vitest';
import type { CachedObject } from '../cache/cached-object.js';
import { ConnectorCache } from '../cache/connector-cache.js';
import type { OpenConnector } from './open-connector.js';
import { References } from './references.js';

const object = (id: string, attributes: Record<string, string[]>): CachedObject => ({
  id,
  anchor: { entryUUID: id },
  dn: `cn=${id},dc=example,dc=com`,
  attributes,
  created: '2024-01-01T00:00:00.000Z',
  lastModified: '2024-01-01T00:00:00.000Z',
});

function ready(objects: CachedObject[]): ConnectorCache {
  const cache = new ConnectorCache([]);
  const generation = cache.beginFull();
  for (const o of objects) generation.put(o);
  cache.commitFull(generation);
  return cache;
}

const OLD = 'uid=dave,ou=people,dc=example,dc=com';
const NEW = 'cn=Dave,ou=people,dc=example,dc=com';

/**
 * Two served types over real connector spaces: people (manager a reference) and groups (member a
 * reference). `renamed` reads only the spaces and each type's reference attributes.
 */
function spaces() {
  const people = ready([
    object('erin', { uid: ['erin'], manager: ['UID=Dave,ou=people,dc=example,dc=com'] }),
    object('finn', { uid: ['finn'], manager: ['uid=erin,ou=people,dc=example,dc=com'], description: [OLD] }),
  ]);
  const groups = ready([
    object('staff', { cn: ['staff'], member: ['uid=erin,ou=people,dc=example,dc=com', OLD] }),
    // A DN below the old one is another entry (a subtree rename is not a member's rename).
    object('ops', { cn: ['ops'], member: [`cn=x,${OLD}`] }),
  ]);
  const open = {
    caches: new Map([
      ['inetOrgPerson', people],
      ['groupOfNames', groups],
    ]),
    schemas: new Map([
      ['inetOrgPerson', { references: new Set(['manager']) }],
      ['groupOfNames', { references: new Set(['member']) }],
    ]),
  } as unknown as OpenConnector;
  return { people, groups, references: new References(open) };
}

describe('References.renamed', () => {
  it('rewrites the reference values naming the old DN, in every served type, and nothing else', () => {
    const { people, groups, references } = spaces();
    const ops = groups.get('ops');
    references.renamed(OLD, NEW);
    // DNs compare case-insensitively, as the directory compares them.
    expect(people.get('erin')!.attributes.manager).toEqual([NEW]);
    expect(groups.get('staff')!.attributes.member).toEqual(['uid=erin,ou=people,dc=example,dc=com', NEW]);
    // Not a reference attribute, and not the renamed entry: untouched.
    expect(people.get('finn')!.attributes).toEqual({ uid: ['finn'], manager: ['uid=erin,ou=people,dc=example,dc=com'], description: [OLD] });
    // Not rewritten: the same values, and still the packed record (never written to the overlay).
    expect(groups.get('ops')).toEqual(ops);
    expect(groups.view()!.objects.map((o) => o.id)).toEqual(['staff']);
  });

  it('keeps the rewrite when a full import that read the old values completes afterwards', () => {
    // The rewritten object is replayed onto the import's generation, as a completed export is.
    const { groups, references } = spaces();
    const building = groups.beginFull();
    building.put(object('staff', { cn: ['staff'], member: [OLD] }));
    references.renamed(OLD, NEW);
    groups.commitFull(building);
    expect(groups.get('staff')!.attributes.member).toEqual(['uid=erin,ou=people,dc=example,dc=com', NEW]);
  });
});
