import type { ParameterValues } from '@ecmahost/sdk';
import { useFreshDatabase } from './employees.js';
import type { LocalDialect, TestDatabase } from './targets.js';

/**
 * Users, groups and memberships with the foreign keys an admin would declare: `Employees.Manager`
 * names another employee (set to NULL when the manager row goes), `GroupMembers` rows name a group
 * and an employee (removed with either). One DDL text per dialect, for tests and for the
 * integrator's replay and demo.
 */
export const GROUPS_DDL: Readonly<Record<LocalDialect, string>> = {
  postgresql: `
    CREATE TABLE {p}"Employees" (
      "ContosoLogin" varchar(100) PRIMARY KEY,
      "FirstName" varchar(100) NOT NULL,
      "LastName" varchar(100) NOT NULL,
      "Manager" varchar(100) REFERENCES {p}"Employees" ("ContosoLogin") ON DELETE SET NULL
    );
    CREATE TABLE {p}"Groups" (
      "GroupId" varchar(100) PRIMARY KEY,
      "DisplayName" varchar(256) NOT NULL UNIQUE
    );
    CREATE TABLE {p}"GroupMembers" (
      "GroupId" varchar(100) NOT NULL REFERENCES {p}"Groups" ("GroupId") ON DELETE CASCADE,
      "MemberId" varchar(100) NOT NULL REFERENCES {p}"Employees" ("ContosoLogin") ON DELETE CASCADE,
      PRIMARY KEY ("GroupId", "MemberId")
    );`,
  mysql: `
    CREATE TABLE Employees (
      ContosoLogin varchar(100) PRIMARY KEY,
      FirstName varchar(100) NOT NULL,
      LastName varchar(100) NOT NULL,
      Manager varchar(100),
      CONSTRAINT EmployeeManager FOREIGN KEY (Manager) REFERENCES Employees (ContosoLogin) ON DELETE SET NULL
    ) ENGINE=InnoDB;
    CREATE TABLE \`Groups\` (
      GroupId varchar(100) PRIMARY KEY,
      DisplayName varchar(256) NOT NULL UNIQUE
    ) ENGINE=InnoDB;
    CREATE TABLE GroupMembers (
      GroupId varchar(100) NOT NULL,
      MemberId varchar(100) NOT NULL,
      PRIMARY KEY (GroupId, MemberId),
      CONSTRAINT MemberGroup FOREIGN KEY (GroupId) REFERENCES \`Groups\` (GroupId) ON DELETE CASCADE,
      CONSTRAINT MemberEmployee FOREIGN KEY (MemberId) REFERENCES Employees (ContosoLogin) ON DELETE CASCADE
    ) ENGINE=InnoDB;`,
  sqlite: `
    CREATE TABLE Employees (
      ContosoLogin TEXT PRIMARY KEY,
      FirstName TEXT NOT NULL,
      LastName TEXT NOT NULL,
      Manager TEXT REFERENCES Employees (ContosoLogin) ON DELETE SET NULL
    );
    CREATE TABLE Groups (
      GroupId TEXT PRIMARY KEY,
      DisplayName TEXT NOT NULL UNIQUE
    );
    CREATE TABLE GroupMembers (
      GroupId TEXT NOT NULL REFERENCES Groups (GroupId) ON DELETE CASCADE,
      MemberId TEXT NOT NULL REFERENCES Employees (ContosoLogin) ON DELETE CASCADE,
      PRIMARY KEY (GroupId, MemberId)
    );`,
};

/** Creates the tables of {@link GROUPS_DDL} in `db`. */
export async function createGroupsTables(db: TestDatabase): Promise<void> {
  if (db.dialect === 'mssql') throw new Error('GROUPS_DDL has no SQL Server text');
  // MariaDB's client runs one statement per call.
  for (const statement of GROUPS_DDL[db.dialect].replaceAll('{p}', db.prefix).split(';')) if (statement.trim() !== '') await db.exec(statement);
}

/** A fresh database of `dialect` with the groups tables for each test of the suite, dropped after it. */
export function useGroupsDatabase(dialect: LocalDialect, use: (db: TestDatabase) => void): void {
  useFreshDatabase(dialect, createGroupsTables, use);
}

/** The membership rows of `db` as `GroupId:MemberId`, sorted. */
export async function membershipRows(db: TestDatabase): Promise<string[]> {
  const rows = await db.query(`SELECT ${db.id('GroupId')} AS g, ${db.id('MemberId')} AS m FROM ${db.prefix}${db.id('GroupMembers')} ORDER BY 1, 2`);
  return rows.map((r) => `${String(r.g)}:${String(r.m)}`);
}

/** The connector's configuration: User in Employees, Group in Groups with GroupMembers as its multi-valued table. */
export function groupsValues(db: TestDatabase, overrides: ParameterValues = {}): ParameterValues {
  return {
    ...db.connection,
    objectTypeDetection: 'fixed',
    objectTypes: 'User',
    attributeDetection: 'table',
    table: `${db.prefix}Employees`,
    anchorColumns: 'ContosoLogin',
    objectTypeTables: `Group: table=${db.prefix}Groups; anchor=GroupId; multiValuedTable=${db.prefix}GroupMembers; join=Groups.GroupId = GroupMembers.GroupId`,
    attributeTypes: 'Manager: reference\nMemberId: reference',
    importMethod: 'table',
    exportMethod: 'table',
    ...overrides,
  };
}
