import type { ParameterValues } from '@ecmahost/sdk';
import { afterEach, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase, type TestDialect } from './targets.js';

/**
 * Microsoft's tutorial table `Employees` (ContosoLogin anchor, FirstName and LastName NOT NULL,
 * Email, InternalGUID, AzureID, textID) plus columns of every attribute type, a child table of
 * proxy addresses (multi-valued), and a change table kept by triggers for delta import.
 */
export async function createEmployees(db: TestDatabase): Promise<void> {
  const p = db.prefix;
  switch (db.dialect) {
    case 'postgresql':
      await db.exec(`
        CREATE TABLE ${p}"Employees" (
          "ContosoLogin" varchar(100) PRIMARY KEY,
          "FirstName" varchar(100) NOT NULL,
          "LastName" varchar(100) NOT NULL,
          "Email" varchar(200),
          "InternalGUID" uuid DEFAULT gen_random_uuid(),
          "AzureID" varchar(100),
          "textID" varchar(100),
          "IsActive" boolean,
          "EmployeeNumber" integer,
          "Photo" bytea,
          "HireDate" timestamp,
          "PasswordHash" varchar(200),
          "LastModified" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
          CONSTRAINT "EmployeeNumberPositive" CHECK ("EmployeeNumber" IS NULL OR "EmployeeNumber" >= 0)
        );
        CREATE TABLE ${p}"EmployeeProxy" ("ContosoLogin" varchar(100) NOT NULL, "ProxyAddress" varchar(200));
        CREATE TABLE ${p}"EmployeeChanges" ("ChangeId" bigserial PRIMARY KEY, "ContosoLogin" varchar(100) NOT NULL, "ChangeType" varchar(10) NOT NULL);
        CREATE FUNCTION ${p}track_employee() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            INSERT INTO ${p}"EmployeeChanges" ("ContosoLogin", "ChangeType") VALUES (OLD."ContosoLogin", 'Delete');
            RETURN OLD;
          END IF;
          INSERT INTO ${p}"EmployeeChanges" ("ContosoLogin", "ChangeType") VALUES (NEW."ContosoLogin", CASE TG_OP WHEN 'INSERT' THEN 'Add' ELSE 'Update' END);
          RETURN NEW;
        END $$;
        CREATE TRIGGER employee_changes AFTER INSERT OR UPDATE OR DELETE ON ${p}"Employees" FOR EACH ROW EXECUTE FUNCTION ${p}track_employee();`);
      return;
    case 'mysql':
      await db.exec(`
        CREATE TABLE Employees (
          ContosoLogin varchar(100) PRIMARY KEY,
          FirstName varchar(100) NOT NULL,
          LastName varchar(100) NOT NULL,
          Email varchar(200),
          InternalGUID varchar(36) DEFAULT (UUID()),
          AzureID varchar(100),
          textID varchar(100),
          IsActive boolean,
          EmployeeNumber int,
          Photo blob,
          HireDate datetime,
          PasswordHash varchar(200),
          LastModified datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
          CONSTRAINT EmployeeNumberPositive CHECK (EmployeeNumber IS NULL OR EmployeeNumber >= 0)
        )`);
      await db.exec('CREATE TABLE EmployeeProxy (ContosoLogin varchar(100) NOT NULL, ProxyAddress varchar(200))');
      await db.exec('CREATE TABLE EmployeeChanges (ChangeId bigint AUTO_INCREMENT PRIMARY KEY, ContosoLogin varchar(100) NOT NULL, ChangeType varchar(10) NOT NULL)');
      await db.exec("CREATE TRIGGER employee_add AFTER INSERT ON Employees FOR EACH ROW INSERT INTO EmployeeChanges (ContosoLogin, ChangeType) VALUES (NEW.ContosoLogin, 'Add')");
      await db.exec("CREATE TRIGGER employee_update AFTER UPDATE ON Employees FOR EACH ROW INSERT INTO EmployeeChanges (ContosoLogin, ChangeType) VALUES (NEW.ContosoLogin, 'Update')");
      await db.exec("CREATE TRIGGER employee_delete AFTER DELETE ON Employees FOR EACH ROW INSERT INTO EmployeeChanges (ContosoLogin, ChangeType) VALUES (OLD.ContosoLogin, 'Delete')");
      return;
    case 'mssql':
      // The shipped tutorial script's shape (fixtures/mssql-contoso.sql) with a column of every
      // attribute type; CREATE TRIGGER must start its own batch.
      await db.exec(`
        CREATE TABLE ${p}Employees (
          ContosoLogin nvarchar(100) NOT NULL PRIMARY KEY,
          FirstName nvarchar(100) NOT NULL,
          LastName nvarchar(100) NOT NULL,
          Email nvarchar(200),
          InternalGUID uniqueidentifier DEFAULT NEWID(),
          AzureID nvarchar(100),
          textID nvarchar(100),
          IsActive bit,
          EmployeeNumber int CONSTRAINT EmployeeNumberPositive CHECK (EmployeeNumber IS NULL OR EmployeeNumber >= 0),
          Photo varbinary(max),
          HireDate datetime2,
          PasswordHash nvarchar(200),
          LastModified datetime2 NOT NULL DEFAULT SYSUTCDATETIME()
        );
        CREATE TABLE ${p}EmployeeProxy (ContosoLogin nvarchar(100) NOT NULL, ProxyAddress nvarchar(200));
        CREATE TABLE ${p}EmployeeChanges (ChangeId bigint IDENTITY(1,1) PRIMARY KEY, ContosoLogin nvarchar(100) NOT NULL, ChangeType nvarchar(10) NOT NULL);`);
      await db.exec(`
        CREATE TRIGGER ${p}employee_changes ON ${p}Employees AFTER INSERT, UPDATE, DELETE AS
        BEGIN
          SET NOCOUNT ON;
          INSERT INTO ${p}EmployeeChanges (ContosoLogin, ChangeType)
            SELECT i.ContosoLogin, CASE WHEN EXISTS (SELECT 1 FROM deleted) THEN 'Update' ELSE 'Add' END FROM inserted i;
          INSERT INTO ${p}EmployeeChanges (ContosoLogin, ChangeType)
            SELECT d.ContosoLogin, 'Delete' FROM deleted d WHERE NOT EXISTS (SELECT 1 FROM inserted);
        END`);
      return;
    case 'sqlite':
      await db.exec(`
        CREATE TABLE Employees (
          ContosoLogin TEXT PRIMARY KEY,
          FirstName TEXT NOT NULL,
          LastName TEXT NOT NULL,
          Email TEXT,
          InternalGUID TEXT DEFAULT (lower(hex(randomblob(16)))),
          AzureID TEXT,
          textID TEXT,
          IsActive BOOLEAN,
          EmployeeNumber INTEGER CHECK (EmployeeNumber IS NULL OR EmployeeNumber >= 0),
          Photo BLOB,
          HireDate DATETIME,
          PasswordHash TEXT,
          LastModified DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
        );
        CREATE TABLE EmployeeProxy (ContosoLogin TEXT NOT NULL, ProxyAddress TEXT);
        CREATE TABLE EmployeeChanges (ChangeId INTEGER PRIMARY KEY AUTOINCREMENT, ContosoLogin TEXT NOT NULL, ChangeType TEXT NOT NULL);
        CREATE TRIGGER employee_add AFTER INSERT ON Employees BEGIN INSERT INTO EmployeeChanges (ContosoLogin, ChangeType) VALUES (NEW.ContosoLogin, 'Add'); END;
        CREATE TRIGGER employee_update AFTER UPDATE ON Employees BEGIN INSERT INTO EmployeeChanges (ContosoLogin, ChangeType) VALUES (NEW.ContosoLogin, 'Update'); END;
        CREATE TRIGGER employee_delete AFTER DELETE ON Employees BEGIN INSERT INTO EmployeeChanges (ContosoLogin, ChangeType) VALUES (OLD.ContosoLogin, 'Delete'); END;`);
      return;
  }
}

/**
 * A fresh database of `dialect` with the Employees tables for each test of the enclosing suite,
 * dropped after it; `use` receives each new one.
 */
export function useEmployeesDatabase(dialect: TestDialect, use: (db: TestDatabase) => void): void {
  useFreshDatabase(dialect, createEmployees, use);
}

/**
 * A fresh database of `dialect` for each test of the enclosing suite, set up by `setUp` and dropped
 * after it; `use` receives each new one before `setUp` runs.
 */
export function useFreshDatabase(dialect: TestDialect, setUp: (db: TestDatabase) => Promise<void>, use: (db: TestDatabase) => void): void {
  let db: TestDatabase | undefined;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    use(db);
    await setUp(db);
  });
  afterEach(async () => {
    await db?.drop();
  });
}

/** The connector's configuration of the Employees table in `db`: table export, change-table delta, scrypt passwords. */
export function employeesValues(db: TestDatabase, overrides: ParameterValues = {}): ParameterValues {
  return {
    ...db.connection,
    objectTypeDetection: 'fixed',
    objectTypes: 'User',
    attributeDetection: 'table',
    table: `${db.prefix}Employees`,
    multiValuedTable: `${db.prefix}EmployeeProxy`,
    multiValuedJoin: 'Employees.ContosoLogin = EmployeeProxy.ContosoLogin',
    anchorColumns: 'ContosoLogin',
    attributeTypes: 'HireDate: datetime',
    attributeDirections: 'PasswordHash: exportOnly\nLastModified: importOnly\nInternalGUID: importOnly',
    deltaStrategy: 'changeTable',
    changeTable: `${db.prefix}EmployeeChanges`,
    changeTypeColumn: 'ChangeType',
    changeSequenceColumn: 'ChangeId',
    passwordMethod: 'column',
    passwordColumn: 'PasswordHash',
    passwordHash: 'scrypt',
    importMethod: 'table',
    exportMethod: 'table',
    ...overrides,
  };
}

/** The n-th distinct employee, covering every attribute type. */
export function employee(n: number): { attributes: Record<string, string | number | boolean | Uint8Array | string[]> } {
  return {
    attributes: {
      ContosoLogin: `user${String(n)}`,
      FirstName: `First${String(n)}`,
      LastName: `Last${String(n)}`,
      Email: `user${String(n)}@contoso.com`,
      AzureID: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
      textID: `T${String(n)}`,
      IsActive: n % 2 === 0,
      EmployeeNumber: 1000 + n,
      Photo: new Uint8Array([n % 256, 0, 1, 255]),
      HireDate: new Date(Date.UTC(2020, 0, 1 + n, 12, 30, 15)).toISOString(),
      ProxyAddress: [`smtp:user${String(n)}@contoso.com`, `smtp:alias${String(n)}@contoso.com`],
    },
  };
}
