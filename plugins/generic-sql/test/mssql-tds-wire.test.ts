// The real tedious client, over a real TCP socket, against a minimal TDS responder written here
// (MS-TDS 7.4: PRELOGIN without encryption, LOGIN7 answered by LOGINACK, then each request answered
// by one result set of NVARCHAR columns and a DONE). It proves the SQL Server dialect's driver path —
// connect, execSqlBatch, execSql with typed parameters, rows, row counts — as tedious runs it. It
// does not prove SQL Server's behaviour: the responder answers what the test tells it to.
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Dialect } from '../src/dialects/dialect.js';
import { createMssqlDialect } from '../src/dialects/mssql.js';

const PRELOGIN = 0x12;
const LOGIN7 = 0x10;
const TABULAR = 0x04;

/** One TDS packet (MS-TDS 2.2.3): an 8-byte header, end of message set. */
function packet(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt8(0x01, 1);
  header.writeUInt16BE(payload.length + 8, 2);
  header.writeUInt8(1, 6);
  return Buffer.concat([header, payload]);
}

const ucs2 = (text: string): Buffer => Buffer.from(text, 'utf16le');
const bVarChar = (text: string): Buffer => Buffer.concat([Buffer.from([text.length]), ucs2(text)]);

/** PRELOGIN answer: version 16.0, encryption not supported (so no TLS). */
function preloginReply(): Buffer {
  const options = Buffer.from([0x00, 0x00, 0x0b, 0x00, 0x06, 0x01, 0x00, 0x11, 0x00, 0x01, 0xff]);
  return packet(TABULAR, Buffer.concat([options, Buffer.from([16, 0, 0, 0, 0, 0]), Buffer.from([0x02])]));
}

/** DONE (0xFD) with DONE_COUNT, the final token of a reply. */
function done(rowCount: number): Buffer {
  const token = Buffer.alloc(13);
  token.writeUInt8(0xfd, 0);
  token.writeUInt16LE(0x0010, 1);
  token.writeBigUInt64LE(BigInt(rowCount), 5);
  return token;
}

function loginReply(): Buffer {
  const body = Buffer.concat([Buffer.from([0x01]), Buffer.from([0x74, 0x00, 0x00, 0x04]), bVarChar('ecmahost-test'), Buffer.from([16, 0, 0, 0])]);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(body.length);
  return packet(TABULAR, Buffer.concat([Buffer.from([0xad]), length, body, done(0)]));
}

/** A result set of NVARCHAR(100) columns (COLMETADATA 0x81, ROW 0xD1), then DONE. */
function resultReply(columns: readonly string[], rows: readonly (readonly string[])[], rowCount = rows.length): Buffer {
  const parts: Buffer[] = [];
  if (columns.length > 0) {
    const count = Buffer.alloc(2);
    count.writeUInt16LE(columns.length);
    parts.push(Buffer.from([0x81]), count);
    for (const name of columns) {
      // UserType, flags (nullable), NVARCHAR (0xE7) of 200 bytes, Latin1_General_CI_AS collation, name.
      parts.push(Buffer.from([0, 0, 0, 0, 0x01, 0x00, 0xe7, 200, 0, 0x09, 0x04, 0xd0, 0x00, 0x34]), bVarChar(name));
    }
    for (const row of rows) {
      parts.push(Buffer.from([0xd1]));
      for (const value of row) {
        const bytes = ucs2(value);
        const length = Buffer.alloc(2);
        length.writeUInt16LE(bytes.length);
        parts.push(length, bytes);
      }
    }
  }
  parts.push(done(rowCount));
  return packet(TABULAR, Buffer.concat(parts));
}

/** An ERROR token (0xAA) with the server's number and message, then DONE with DONE_ERROR. */
function errorReply(number: number, message: string): Buffer {
  const text = Buffer.alloc(2);
  text.writeUInt16LE(message.length);
  const fixed = Buffer.alloc(6);
  fixed.writeInt32LE(number, 0);
  fixed.writeUInt8(1, 4);
  fixed.writeUInt8(14, 5);
  const line = Buffer.alloc(4);
  line.writeInt32LE(1);
  const body = Buffer.concat([fixed, text, ucs2(message), bVarChar('SQL01'), bVarChar(''), line]);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(body.length);
  const doneError = done(0);
  doneError.writeUInt16LE(0x0002, 1);
  return packet(TABULAR, Buffer.concat([Buffer.from([0xaa]), length, body, doneError]));
}

/** What the client sent in one request message, as UCS-2 text (statement, parameter declarations and values). */
interface WireRequest {
  type: number;
  text: string;
}

describe('tedious against a minimal TDS responder (real sockets, no SQL Server)', () => {
  let server: Server;
  let dialect: Dialect;
  const requests: WireRequest[] = [];
  const sockets = new Set<Socket>();
  let answer: (request: WireRequest) => Buffer = () => resultReply([], []);

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      let pending = Buffer.alloc(0);
      let message = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
          const length = pending.readUInt16BE(2);
          const type = pending.readUInt8(0);
          const last = (pending.readUInt8(1) & 0x01) === 1;
          message = Buffer.concat([message, pending.subarray(8, length)]);
          pending = pending.subarray(length);
          if (!last) continue;
          const body = message;
          message = Buffer.alloc(0);
          if (type === PRELOGIN) socket.write(preloginReply());
          else if (type === LOGIN7) socket.write(loginReply());
          else {
            // UCS-2 strings of an RPC request start at odd and even offsets alike: read both ways.
            const request = { type, text: `${body.toString('utf16le')}\n${body.subarray(1).toString('utf16le')}` };
            requests.push(request);
            socket.write(answer(request));
          }
        }
      });
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    dialect = await createMssqlDialect({ host: '127.0.0.1', port, user: 'ecmahost', password: 'pw', database: 'CONTOSO', tls: 'disabled', poolSize: 1, statementTimeoutMs: 5_000, sqlite: { journalMode: 'wal', synchronous: 'full' } });
  });

  afterAll(async () => {
    await dialect.close();
    for (const socket of sockets) socket.destroy();
    server.close();
  });

  it('logs in, runs a statement without parameters as a batch and reads its rows by column name', async () => {
    answer = (request) => (request.text.includes('SELECT [ContosoLogin]') ? resultReply(['ContosoLogin', 'FirstName'], [['adele', 'Adèle'], ['bianca', 'Bianca']]) : resultReply([], []));
    const rows = await dialect.all(sql`SELECT ${sql.identifier('ContosoLogin')}, ${sql.identifier('FirstName')} FROM ${sql.identifier('Employees')}`);
    expect(rows).toEqual([
      { ContosoLogin: 'adele', FirstName: 'Adèle' },
      { ContosoLogin: 'bianca', FirstName: 'Bianca' },
    ]);
    const batch = requests.find((r) => r.text.includes('SELECT [ContosoLogin]'));
    expect(batch?.type).toBe(0x01);
    expect(batch?.text).toContain('SELECT [ContosoLogin], [FirstName] FROM [Employees]');
  });

  it('sends a statement with values as sp_executesql with typed parameters, and reads the row count', async () => {
    answer = (request) => (request.text.includes('UPDATE [Employees]') ? resultReply([], [], 1) : resultReply([], []));
    const result = await dialect.run(sql`UPDATE ${sql.identifier('Employees')} SET ${sql.identifier('FirstName')} = ${'Adele'} WHERE ${sql.identifier('ContosoLogin')} = ${"o'brien"}`);
    expect(result).toEqual({ affected: 1 });
    const rpc = requests.find((r) => r.text.includes('UPDATE [Employees]'));
    // An RPC request (0x03) of sp_executesql: the statement, the declarations tedious derives from our TDS types, the values as sent.
    expect(rpc?.type).toBe(0x03);
    expect(rpc?.text).toContain('UPDATE [Employees] SET [FirstName] = @p0 WHERE [ContosoLogin] = @p1');
    expect(rpc?.text).toContain('@p0 nvarchar(5), @p1 nvarchar(7)');
    expect(rpc?.text).toContain("o'brien");
    expect(rpc?.text).not.toContain("o''brien");
  });

  it("hands the server's error number to the dialect: a duplicate key (2627) is an existing object", async () => {
    const message = "Violation of PRIMARY KEY constraint 'PK_Employees'. Cannot insert duplicate key in object 'dbo.Employees'. The duplicate key value is (adele).";
    answer = (request) => (request.text.includes('INSERT INTO [Employees]') ? errorReply(2627, message) : resultReply([], []));
    const error = await dialect.run(sql`INSERT INTO ${sql.identifier('Employees')} (${sql.identifier('ContosoLogin')}) VALUES (${'adele'})`).catch((e: unknown) => e);
    expect(dialect.describeError(error)).toEqual({ kind: 'unique', message });
    // The connection survives a statement error and serves the next request.
    answer = () => resultReply(['ok'], [['1']]);
    expect(await dialect.all(sql`SELECT 1 AS ok`)).toEqual([{ ok: '1' }]);
  });
});
