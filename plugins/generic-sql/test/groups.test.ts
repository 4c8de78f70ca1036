import { attributeChange, attributeChangesOf, importEntryChanges, type AttributeValues, type CSEntryChange, type ImportEntry } from '@ecmahost/sdk';
import { expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.js';
import { groupsValues, membershipRows as membershipRowsOf, useGroupsDatabase } from './support/groups.js';
import { addUser, changeUser, exportBatch, importAll, openInstance } from './support/run.js';
import type { LocalDialect, TestDatabase } from './support/targets.js';

let counter = 0;
function groupEntry(modification: CSEntryChange['modification'], groupId: string, attributes: AttributeValues | CSEntryChange['attributeChanges'] = []): CSEntryChange {
  counter += 1;
  return {
    identifier: `g${String(counter)}`,
    objectType: 'Group',
    modification,
    anchor: { GroupId: groupId },
    attributeChanges: Array.isArray(attributes) ? attributes : attributeChangesOf(attributes as AttributeValues),
  };
}

const members = (entry: ImportEntry | undefined) =>
  (entry && importEntryChanges(entry))
    ?.find((c) => c.name === 'MemberId')
    ?.valueChanges.map((v) => String(v.value))
    .sort();

/**
 * A watermark column on both tables, and triggers on the membership table that set the group's:
 * how an admin makes membership changes visible to a `watermark` delta.
 */
const WATERMARK_DDL: Record<LocalDialect, (p: string) => string[]> = {
  postgresql: (p) => [
    `ALTER TABLE ${p}"Employees" ADD COLUMN "LastModified" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP`,
    `ALTER TABLE ${p}"Groups" ADD COLUMN "LastModified" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP`,
    `CREATE FUNCTION ${p}touch_group() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE ${p}"Groups" SET "LastModified" = clock_timestamp() WHERE "GroupId" = CASE WHEN TG_OP = 'DELETE' THEN OLD."GroupId" ELSE NEW."GroupId" END;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER group_members_touch AFTER INSERT OR DELETE ON ${p}"GroupMembers" FOR EACH ROW EXECUTE FUNCTION ${p}touch_group()`,
  ],
  mysql: () => [
    'ALTER TABLE Employees ADD COLUMN LastModified datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)',
    'ALTER TABLE `Groups` ADD COLUMN LastModified datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)',
    'CREATE TRIGGER group_member_added AFTER INSERT ON GroupMembers FOR EACH ROW UPDATE `Groups` SET LastModified = CURRENT_TIMESTAMP(6) WHERE GroupId = NEW.GroupId',
    'CREATE TRIGGER group_member_removed AFTER DELETE ON GroupMembers FOR EACH ROW UPDATE `Groups` SET LastModified = CURRENT_TIMESTAMP(6) WHERE GroupId = OLD.GroupId',
  ],
  sqlite: () => [
    "ALTER TABLE Employees ADD COLUMN LastModified DATETIME NOT NULL DEFAULT '1970-01-01 00:00:00.000'",
    "ALTER TABLE Groups ADD COLUMN LastModified DATETIME NOT NULL DEFAULT '1970-01-01 00:00:00.000'",
    "CREATE TRIGGER group_member_added AFTER INSERT ON GroupMembers BEGIN UPDATE Groups SET LastModified = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE GroupId = NEW.GroupId; END",
    "CREATE TRIGGER group_member_removed AFTER DELETE ON GroupMembers BEGIN UPDATE Groups SET LastModified = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE GroupId = OLD.GroupId; END",
  ],
};

describeEachDialect('groups, memberships and managers in tables of their own', (dialect) => {
  let db!: TestDatabase;
  useGroupsDatabase(dialect, (fresh) => {
    db = fresh;
  });
  const t = (name: string): string => `${db.prefix}${db.id(name)}`;
  const membershipRows = () => membershipRowsOf(db);
  const managerOf = async (login: string): Promise<unknown> =>
    (await db.query(`SELECT ${db.id('Manager')} AS m FROM ${t('Employees')} WHERE ${db.id('ContosoLogin')} = ?`, [login]))[0]?.m;

  it('creates a group, adds and removes members one row at a time, refuses a missing member, and deletes the group', async () => {
    const instance = await openInstance(groupsValues(db));
    try {
      const schema = await instance.getSchema();
      const group = schema.objectTypes.find((o) => o.name === 'Group');
      expect(group?.anchors).toEqual(['GroupId']);
      expect(group?.attributes.find((a) => a.name === 'MemberId')).toMatchObject({ type: 'reference', multiValued: true });
      expect(schema.objectTypes.find((o) => o.name === 'User')?.attributes.find((a) => a.name === 'Manager')).toMatchObject({ type: 'reference', multiValued: false });

      const users = await exportBatch(instance, [
        addUser({ ContosoLogin: 'ann', FirstName: 'Ann', LastName: 'A' }),
        addUser({ ContosoLogin: 'bob', FirstName: 'Bob', LastName: 'B', Manager: 'ann' }),
        addUser({ ContosoLogin: 'cat', FirstName: 'Cat', LastName: 'C' }),
      ]);
      expect(users.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
      expect(await managerOf('bob')).toBe('ann');

      // Entra creates groups empty.
      const [created] = await exportBatch(instance, [groupEntry('add', 'staff', { GroupId: 'staff', DisplayName: 'Staff' })]);
      expect(created?.error).toBeUndefined();
      expect(await db.query(`SELECT ${db.id('DisplayName')} AS d FROM ${t('Groups')}`)).toEqual([{ d: 'Staff' }]);
      expect(await membershipRows()).toEqual([]);

      const change = async (add: string[], remove: string[]) => (await exportBatch(instance, [groupEntry('update', 'staff', [attributeChange.update('MemberId', { add, delete: remove })])]))[0];
      expect((await change(['ann', 'bob'], []))?.error).toBeUndefined();
      expect(await membershipRows()).toEqual(['staff:ann', 'staff:bob']);
      // A stale cache: a member already there and one already gone change nothing.
      expect((await change(['ann'], ['cat']))?.error).toBeUndefined();
      expect(await membershipRows()).toEqual(['staff:ann', 'staff:bob']);
      expect((await change([], ['bob']))?.error).toBeUndefined();
      expect(await membershipRows()).toEqual(['staff:ann']);

      // A member that is no row of Employees: the admin's foreign key refuses it, for this entry
      // alone, and nothing of the entry is written.
      const dangling = await change(['cat', 'ghost'], []);
      expect(dangling?.error?.code).toBe('syntax-violation');
      expect(await membershipRows()).toEqual(['staff:ann']);
      const [badManager] = await exportBatch(instance, [changeUser('update', { ContosoLogin: 'cat' }, [attributeChange.replace('Manager', 'ghost')])]);
      expect(badManager?.error?.code).toBe('syntax-violation');
      expect(await managerOf('cat')).toBeNull();
      const [goodManager] = await exportBatch(instance, [changeUser('update', { ContosoLogin: 'cat' }, [attributeChange.replace('Manager', 'bob')])]);
      expect(goodManager?.error).toBeUndefined();
      expect(await managerOf('cat')).toBe('bob');

      expect((await change(['cat'], []))?.error).toBeUndefined();
      const { entries } = await importAll(instance, 'full');
      const staff = entries.find((e) => e.objectType === 'Group' && e.anchor.GroupId === 'staff');
      expect(staff?.attributes?.DisplayName).toBe('Staff');
      expect(members(staff)).toEqual(['ann', 'cat']);
      expect(entries.filter((e) => e.objectType === 'User').map((e) => e.anchor.ContosoLogin).sort()).toEqual(['ann', 'bob', 'cat']);
      expect(entries.find((e) => e.anchor.ContosoLogin === 'cat')?.attributes?.Manager).toBe('bob');

      const [deleted] = await exportBatch(instance, [groupEntry('delete', 'staff')]);
      expect(deleted?.error).toBeUndefined();
      expect(await db.query(`SELECT ${db.id('GroupId')} AS g FROM ${t('Groups')}`)).toEqual([]);
      expect(await membershipRows()).toEqual([]);
    } finally {
      await instance.close();
    }
  });

  it('creates a group with its members in one entry, and refuses the whole entry when one member is missing', async () => {
    const instance = await openInstance(groupsValues(db));
    try {
      await exportBatch(instance, [addUser({ ContosoLogin: 'dan', FirstName: 'Dan', LastName: 'D' })]);
      const [bad] = await exportBatch(instance, [groupEntry('add', 'ops', { GroupId: 'ops', DisplayName: 'Ops', MemberId: ['dan', 'nobody'] })]);
      expect(bad?.error?.code).toBe('syntax-violation');
      expect(await db.query(`SELECT ${db.id('GroupId')} AS g FROM ${t('Groups')}`)).toEqual([]);
      expect(await membershipRows()).toEqual([]);
      const [good] = await exportBatch(instance, [groupEntry('add', 'ops', { GroupId: 'ops', DisplayName: 'Ops', MemberId: ['dan'] })]);
      expect(good?.error).toBeUndefined();
      expect(await membershipRows()).toEqual(['ops:dan']);
      // Deleting a member's row removes its memberships (the admin's ON DELETE CASCADE).
      const [gone] = await exportBatch(instance, [changeUser('delete', { ContosoLogin: 'dan' })]);
      expect(gone?.error).toBeUndefined();
      expect(await membershipRows()).toEqual([]);
    } finally {
      await instance.close();
    }
  });

  it('delta-imports (watermark) a group whose members changed, with its whole member list', async () => {
    for (const statement of WATERMARK_DDL[dialect](db.prefix)) await db.exec(statement);
    const instance = await openInstance(groupsValues(db, { deltaStrategy: 'watermark', watermarkColumn: 'LastModified' }));
    try {
      await exportBatch(instance, [addUser({ ContosoLogin: 'eve', FirstName: 'Eve', LastName: 'E' }), addUser({ ContosoLogin: 'fay', FirstName: 'Fay', LastName: 'F' })]);
      await exportBatch(instance, [groupEntry('add', 'devs', { GroupId: 'devs', DisplayName: 'Devs', MemberId: ['eve'] })]);
      // Rows written a minute before the import, so clock resolution cannot blur the test.
      const earlier = { postgresql: "CURRENT_TIMESTAMP - interval '1 minute'", mysql: 'CURRENT_TIMESTAMP(6) - INTERVAL 1 MINUTE', sqlite: "strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 minute')" }[dialect];
      for (const table of ['Employees', 'Groups']) await db.query(`UPDATE ${t(table)} SET ${db.id('LastModified')} = ${earlier}`);
      const full = await importAll(instance, 'full');
      expect(members(full.entries.find((e) => e.objectType === 'Group'))).toEqual(['eve']);

      await exportBatch(instance, [groupEntry('update', 'devs', [attributeChange.update('MemberId', { add: ['fay'], delete: ['eve'] })])]);
      expect(await membershipRows()).toEqual(['devs:fay']);
      const delta = await importAll(instance, 'delta', full.watermark);
      expect(delta.entries.map((e) => `${e.objectType}:${e.modification}:${String(e.anchor.GroupId ?? e.anchor.ContosoLogin)}`)).toEqual(['Group:replace:devs']);
      expect(members(delta.entries[0])).toEqual(['fay']);
    } finally {
      await instance.close();
    }
  });
});

/** Object procedures branching on the object type, and value procedures for memberships. */
const PROCEDURES_DDL: Record<'postgresql' | 'mysql', (p: string) => string[]> = {
  postgresql: (p) => [
    `CREATE PROCEDURE ${p}add_object(kind varchar, gid varchar, dname varchar, login varchar, first varchar, last varchar) LANGUAGE plpgsql AS $$
     BEGIN
       IF kind = 'Group' THEN INSERT INTO ${p}"Groups" ("GroupId", "DisplayName") VALUES (gid, dname);
       ELSE INSERT INTO ${p}"Employees" ("ContosoLogin", "FirstName", "LastName") VALUES (login, first, last);
       END IF;
     END $$`,
    `CREATE PROCEDURE ${p}update_object(kind varchar, gid varchar, dname varchar, login varchar, first varchar, last varchar) LANGUAGE plpgsql AS $$
     BEGIN
       IF kind = 'Group' THEN UPDATE ${p}"Groups" SET "DisplayName" = dname WHERE "GroupId" = gid;
       ELSE UPDATE ${p}"Employees" SET "FirstName" = first, "LastName" = last WHERE "ContosoLogin" = login;
       END IF;
     END $$`,
    `CREATE PROCEDURE ${p}delete_object(id varchar) LANGUAGE sql AS $$ DELETE FROM ${p}"Groups" WHERE "GroupId" = id; DELETE FROM ${p}"Employees" WHERE "ContosoLogin" = id $$`,
    `CREATE PROCEDURE ${p}add_value(owner varchar, attr varchar, v varchar) LANGUAGE sql AS $$ INSERT INTO ${p}"GroupMembers" ("GroupId", "MemberId") VALUES (owner, v) ON CONFLICT DO NOTHING $$`,
    `CREATE PROCEDURE ${p}remove_value(owner varchar, attr varchar, v varchar) LANGUAGE sql AS $$ DELETE FROM ${p}"GroupMembers" WHERE "GroupId" = owner AND (v IS NULL OR "MemberId" = v) $$`,
  ],
  mysql: () => [
    `CREATE PROCEDURE add_object(IN kind varchar(20), IN gid varchar(100), IN dname varchar(256), IN login varchar(100), IN first varchar(100), IN last varchar(100))
     BEGIN
       IF kind = 'Group' THEN INSERT INTO \`Groups\` (GroupId, DisplayName) VALUES (gid, dname);
       ELSE INSERT INTO Employees (ContosoLogin, FirstName, LastName) VALUES (login, first, last);
       END IF;
     END`,
    `CREATE PROCEDURE update_object(IN kind varchar(20), IN gid varchar(100), IN dname varchar(256), IN login varchar(100), IN first varchar(100), IN last varchar(100))
     BEGIN
       IF kind = 'Group' THEN UPDATE \`Groups\` SET DisplayName = dname WHERE GroupId = gid;
       ELSE UPDATE Employees SET FirstName = first, LastName = last WHERE ContosoLogin = login;
       END IF;
     END`,
    'CREATE PROCEDURE delete_object(IN id varchar(100)) BEGIN DELETE FROM `Groups` WHERE GroupId = id; DELETE FROM Employees WHERE ContosoLogin = id; END',
    // Not INSERT IGNORE: it would ignore the foreign key too.
    'CREATE PROCEDURE add_value(IN owner varchar(100), IN attr varchar(100), IN v varchar(100)) INSERT INTO GroupMembers (GroupId, MemberId) VALUES (owner, v) ON DUPLICATE KEY UPDATE MemberId = MemberId',
    'CREATE PROCEDURE remove_value(IN owner varchar(100), IN attr varchar(100), IN v varchar(100)) DELETE FROM GroupMembers WHERE GroupId = owner AND (v IS NULL OR MemberId = v)',
  ],
};

describeEachDialect(
  'group members through stored procedures',
  (dialect) => {
    let db!: TestDatabase;
    useGroupsDatabase(dialect, (fresh) => {
      db = fresh;
    });
    const membershipRows = () => membershipRowsOf(db);

    it('calls the value procedures once per member added or removed, and the object procedure only for its own columns', async () => {
      if (dialect === 'sqlite') throw new Error('SQLite has no stored procedures');
      for (const statement of PROCEDURES_DDL[dialect](db.prefix)) await db.exec(statement);
      const p = db.prefix;
      const instance = await openInstance(
        groupsValues(db, {
          exportMethod: 'procedure',
          addProcedure: `${p}add_object`,
          updateProcedure: `${p}update_object`,
          deleteProcedure: `${p}delete_object`,
          procedureParameters: 'ObjectType, GroupId, DisplayName, ContosoLogin, FirstName, LastName',
          addValueProcedure: `${p}add_value`,
          removeValueProcedure: `${p}remove_value`,
        }),
      );
      try {
        const users = await exportBatch(instance, [addUser({ ContosoLogin: 'gil', FirstName: 'Gil', LastName: 'G' }), addUser({ ContosoLogin: 'hal', FirstName: 'Hal', LastName: 'H' })]);
        expect(users.map((r) => r.error)).toEqual([undefined, undefined]);
        const [created] = await exportBatch(instance, [groupEntry('add', 'qa', { GroupId: 'qa', DisplayName: 'QA', MemberId: ['gil'] })]);
        expect(created?.error).toBeUndefined();
        expect(await membershipRows()).toEqual(['qa:gil']);
        // A members-only update calls the value procedures alone: with the update procedure
        // dropped, it still succeeds.
        await db.exec(dialect === 'postgresql' ? `DROP PROCEDURE ${p}update_object` : 'DROP PROCEDURE update_object');
        const [swapped] = await exportBatch(instance, [groupEntry('update', 'qa', [attributeChange.update('MemberId', { add: ['hal'], delete: ['gil'] })])]);
        expect(swapped?.error).toBeUndefined();
        expect(await membershipRows()).toEqual(['qa:hal']);
        const [dangling] = await exportBatch(instance, [groupEntry('update', 'qa', [attributeChange.update('MemberId', { add: ['ghost'] })])]);
        expect(dangling?.error?.code).toBe('syntax-violation');
        expect(await membershipRows()).toEqual(['qa:hal']);
        const [cleared] = await exportBatch(instance, [groupEntry('update', 'qa', [attributeChange.delete('MemberId')])]);
        expect(cleared?.error).toBeUndefined();
        expect(await membershipRows()).toEqual([]);
      } finally {
        await instance.close();
      }
    });
  },
  ['postgresql', 'mysql'],
);
