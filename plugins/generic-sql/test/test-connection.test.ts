import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParameterValues } from '@ecmahost/sdk';
import { isConnectorError, secret } from '@ecmahost/sdk';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.js';
import { MYSQL_URL, PG_URL } from './support/live.js';
import { openInstance } from './support/run.js';

/** The ConnectorError testConnection throws, as `{ code, parameter, message }`. */
async function refusal(values: ParameterValues): Promise<{ code: string; parameter: string | undefined; message: string }> {
  const instance = await openInstance({ anchorColumns: 'id', objectTypes: 'User', importMethod: 'query', importQuery: 'SELECT 1', exportMethod: 'statement', attributeDetection: 'query', attributeQuery: 'SELECT 1', ...values });
  try {
    await instance.testConnection();
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return { code: error.code, parameter: error.parameter, message: error.message };
  } finally {
    await instance.close();
  }
  throw new Error('testConnection succeeded');
}

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

describeEachDialect(
  'testConnection against a real server',
  (dialect) => {
    const url = dialect === 'postgresql' ? PG_URL : MYSQL_URL;
    const values = { dialect };

    it('reports an unknown database in the server\'s words', async () => {
      const result = await refusal({ ...values, connectionUrl: withDatabase(url, 'no_such_db_ecmahost') });
      expect(result.code).toBe('invalid-configuration');
      expect(result.parameter).toBe('database');
      expect(result.message).toMatch(/does not exist|Unknown database/);
      expect(result.message).toContain('no_such_db_ecmahost');
    });

    it('reports a refused connection with the address to check', async () => {
      const result = await refusal({ ...values, host: '127.0.0.1', port: '1', database: 'test', user: 'root' });
      expect(result.code).toBe('connection-failed');
      expect(result.message).toContain('Cannot reach 127.0.0.1:1');
      expect(result.message).toContain('ECONNREFUSED');
    });

    it('reports a TLS refusal by a server without TLS', async () => {
      const result = await refusal({ ...values, connectionUrl: url, tls: 'required' });
      expect(result.code).toBe('connection-failed');
      expect(result.parameter).toBe('tls');
      expect(result.message).toMatch(/TLS connection .* failed: .*(SSL|secure)/i);
    });

    it('fills the user field into a connection URL that has none', async () => {
      const u = new URL(url);
      const user = decodeURIComponent(u.username);
      u.username = '';
      const instance = await openInstance({ dialect, connectionUrl: u.toString(), user, anchorColumns: 'id', attributeDetection: 'query', attributeQuery: 'SELECT 1', importMethod: 'query', importQuery: 'SELECT 1', exportMethod: 'statement' });
      try {
        await expect(instance.testConnection()).resolves.toBeUndefined();
      } finally {
        await instance.close();
      }
    });

    it('reports a missing table after connecting', async () => {
      const result = await refusal({ ...values, connectionUrl: url, attributeDetection: 'table', table: 'NoSuchTable' });
      expect(result).toMatchObject({ code: 'invalid-configuration', parameter: 'table', message: expect.stringContaining('NoSuchTable') });
    });
  },
  ['postgresql', 'mysql'],
);

describeEachDialect(
  'testConnection with a wrong password',
  () => {
    const user = `gsql_${randomBytes(4).toString('hex')}`;
    let admin: mysql.Connection;
    beforeAll(async () => {
      admin = await mysql.createConnection({ uri: MYSQL_URL });
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-password'`);
    });
    afterAll(async () => {
      await admin.query(`DROP USER '${user}'@'%'`);
      await admin.end();
    });

    it('says the database refused the credentials, with the server\'s message', async () => {
      const u = new URL(MYSQL_URL);
      const result = await refusal({ dialect: 'mariadb', host: u.hostname, port: u.port || '3306', user, password: secret('wrong-password'), database: 'test' });
      expect(result.code).toBe('authentication-failed');
      expect(result.parameter).toBe('password');
      expect(result.message).toContain('refused the user name or password');
      expect(result.message).toContain(`Access denied for user '${user}'`);
      expect(result.message).not.toContain('wrong-password');
    });

    it('uses the password field beside a connection URL that has none', async () => {
      const u = new URL(MYSQL_URL);
      u.username = user;
      u.password = '';
      u.pathname = '/';
      const instance = await openInstance({
        dialect: 'mariadb',
        connectionUrl: u.toString(),
        password: secret('right-password'),
        anchorColumns: 'id',
        attributeDetection: 'query',
        attributeQuery: 'SELECT 1',
        importMethod: 'query',
        importQuery: 'SELECT 1',
        exportMethod: 'statement',
      });
      try {
        await expect(instance.testConnection()).resolves.toBeUndefined();
      } finally {
        await instance.close();
      }
    });
  },
  ['mysql'],
);

describe('testConnection on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ecmahost-gsql-conn-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to open a database file that does not exist rather than creating it', async () => {
    const file = path.join(dir, 'missing.db');
    await expect(openInstance({ dialect: 'sqlite', connectionUrl: file, table: 'Employees', anchorColumns: 'ContosoLogin' })).rejects.toMatchObject({
      code: 'connection-failed',
      message: expect.stringContaining(file),
    });
  });
});
