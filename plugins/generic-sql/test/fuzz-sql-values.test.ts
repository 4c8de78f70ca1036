import type { ConnectorInstance, ImportEntry, ParameterValues } from '@ecmahost/sdk';
import { attributeChange } from '@ecmahost/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.js';
import { FUZZ_TIMEOUT_MS, fuzzParameters, importedValues, unicodeText } from './support/fuzz.js';
import { addUser, changeUser, exportBatch, importAll, openInstance } from './support/run.js';
import { createTestDatabase, type LocalDialect, type TestDatabase } from './support/targets.js';

// Property-based round trips of value binding (issue 15): any well-formed Unicode string, whole
// number, boolean, date and byte string is added through the connector's export, read back through
// its import byte for byte, replaced by an update and read back again, then deleted; no value
// changes a statement, so the other rows of the table are untouched after every case.
//
// What a database cannot store: PostgreSQL refuses NUL (U+0000) in any text value, so there an
// entry carrying one must come back as that entry's error and leave the table as it was. MariaDB
// (utf8mb4) and SQLite store every code point, NUL included. Dates are those all three hold at
// millisecond precision: years 1000 to 9999 (MariaDB's DATETIME range).

const CASES = 80;

/** A table of one column per attribute type, the anchor a text column too. */
async function createPeople(db: TestDatabase): Promise<void> {
  const p = db.prefix;
  switch (db.dialect) {
    case 'postgresql':
      await db.exec(`CREATE TABLE ${p}"People" ("Login" text PRIMARY KEY, "Label" text, "Count" bigint, "Active" boolean, "Since" timestamp(3), "Photo" bytea)`);
      return;
    case 'mysql':
      // A binary collation: the default one folds case and accents, so `a` and `A` would be one anchor.
      await db.exec('CREATE TABLE People (Login varchar(255) PRIMARY KEY, Label longtext, `Count` bigint, Active boolean, Since datetime(3), Photo longblob) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
      return;
    default:
      await db.exec('CREATE TABLE People (Login TEXT PRIMARY KEY, Label TEXT, Count INTEGER, Active BOOLEAN, Since DATETIME, Photo BLOB)');
  }
}

function peopleValues(db: TestDatabase): ParameterValues {
  return { ...db.connection, objectTypeDetection: 'fixed', objectTypes: 'User', attributeDetection: 'table', table: `${db.prefix}People`, anchorColumns: 'Login', importMethod: 'table', exportMethod: 'table' };
}

const person = fc.record({
  Label: unicodeText({ maxLength: 24 }),
  Count: fc.maxSafeInteger(),
  Active: fc.boolean(),
  Since: fc.date({ min: new Date('1000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  Photo: fc.uint8Array({ maxLength: 32 }),
});
type Person = typeof person extends fc.Arbitrary<infer T> ? T : never;

/** What the import must hold for a person: every attribute, the binary one as hex. */
function expected(login: string, p: Person): Record<string, unknown[]> {
  return { Login: [login], Label: [p.Label], Count: [p.Count], Active: [p.Active], Since: [p.Since], Photo: [{ hex: Buffer.from(p.Photo).toString('hex') }] };
}

/** Whether every text of the case can be stored: PostgreSQL text cannot hold NUL. */
function storable(dialect: LocalDialect, ...texts: string[]): boolean {
  return dialect !== 'postgresql' || texts.every((t) => !t.includes('\0'));
}

const byLogin = (entries: readonly ImportEntry[]): ImportEntry[] => [...entries].sort((a, b) => (String(a.anchor.Login) < String(b.anchor.Login) ? -1 : 1));

describeEachDialect('value binding round trip (property-based)', (dialect) => {
  let db: TestDatabase;
  let instance: ConnectorInstance;
  /** Rows written before the cases with hostile values of their own: every case must leave them as they are. */
  let bystanderRows: Record<string, unknown>[];
  let bystanderEntries: ImportEntry[];
  const allRows = async (): Promise<Record<string, unknown>[]> => db.query(`SELECT * FROM ${db.prefix}${db.id('People')} ORDER BY ${db.id('Login')}`);

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    await createPeople(db);
    instance = await openInstance(peopleValues(db));
    const bystanders = ["' OR '1'='1", 'x"; DROP TABLE People; --', '%_\\'].map((login, n) =>
      addUser({ Login: login, Label: `${login}!`, Count: n, Active: n % 2 === 0, Since: '2020-02-29T12:00:00.000Z', Photo: new Uint8Array([n]) }, { Login: login }),
    );
    expect((await exportBatch(instance, bystanders)).map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    bystanderRows = await allRows();
    bystanderEntries = byLogin((await importAll(instance)).entries);
    expect(bystanderEntries).toHaveLength(3);
  });
  afterAll(async () => {
    await instance?.close();
    await db?.drop();
  });

  /** The table holds the bystanders as they were, and (when given) one more row, read back through the import. */
  const expectTable = async (login?: string, values?: Record<string, unknown[]>): Promise<void> => {
    const { entries } = await importAll(instance);
    expect(byLogin(entries.filter((e) => e.anchor.Login !== login))).toEqual(bystanderEntries);
    const mine = entries.filter((e) => e.anchor.Login === login);
    if (login === undefined || values === undefined) expect(mine).toEqual([]);
    else {
      expect(mine.map((e) => e.error)).toEqual([undefined]);
      expect(importedValues(mine[0] as ImportEntry)).toEqual(values);
    }
  };

  it('writes any value through add and update, reads it back byte for byte, and leaves the other rows alone', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(unicodeText({ minLength: 1, maxLength: 24 }), person, person, async (anchorText, first, second) => {
        // A counter keeps anchors of different cases apart.
        const login = `${anchorText}#${String(++n)}`;
        const [added] = await exportBatch(instance, [addUser({ Login: login, ...first }, { Login: login })]);
        if (!storable(dialect, login, first.Label)) {
          expect(added?.error?.code).toBe('syntax-violation');
          await expectTable();
          return;
        }
        expect(added?.error).toBeUndefined();
        await expectTable(login, expected(login, first));

        const [updated] = await exportBatch(instance, [
          changeUser('update', { Login: login }, [
            attributeChange.replace('Label', second.Label),
            attributeChange.replace('Count', second.Count),
            attributeChange.replace('Active', second.Active),
            attributeChange.replace('Since', second.Since),
            attributeChange.replace('Photo', second.Photo),
          ]),
        ]);
        if (storable(dialect, second.Label)) {
          expect(updated?.error).toBeUndefined();
          await expectTable(login, expected(login, second));
        } else {
          expect(updated?.error?.code).toBe('syntax-violation');
          await expectTable(login, expected(login, first));
        }

        const [deleted] = await exportBatch(instance, [changeUser('delete', { Login: login })]);
        expect(deleted?.error).toBeUndefined();
        // Checked on the database itself too, beside the connector's own reading.
        expect(await allRows()).toEqual(bystanderRows);
      }),
      fuzzParameters(CASES),
    );
  }, FUZZ_TIMEOUT_MS);
});
