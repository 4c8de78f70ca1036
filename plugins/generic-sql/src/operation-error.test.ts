import { ConnectorError } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import type { SqlConfig } from './config.js';
import { readConfig } from './config.js';
import type { DbError, Dialect } from './dialects/dialect.js';
import { operationError } from './operation-error.js';

const config: SqlConfig = readConfig({ dialect: 'postgresql', host: 'db', port: '5432', table: 'Employees', anchorColumns: 'ContosoLogin' });
// Only the classification matters here; the dialects' own classification is tested against real servers.
const classifying = (described: DbError) => ({ describeError: () => described }) as unknown as Dialect;

describe('operationError', () => {
  it('reports a server that went away as server-down, retried by the host', () => {
    const error = operationError(classifying({ kind: 'connection-lost', message: 'Connection terminated unexpectedly' }), config, new Error('x'), 'Reading an import page');
    expect(error).toMatchObject({ code: 'server-down', message: 'Reading an import page failed: Connection terminated unexpectedly' });
  });

  it('reports refused credentials as testConnection does', () => {
    const error = operationError(classifying({ kind: 'authentication', message: 'password authentication failed for user "svc"' }), config, new Error('x'), 'Schema discovery');
    expect(error).toMatchObject({ code: 'authentication-failed', parameter: 'password' });
  });

  it('keeps the server message of anything else, and passes ConnectorErrors through', () => {
    expect(operationError(classifying({ kind: 'other', message: 'syntax error at or near "FORM"' }), config, new Error('x'), 'Schema discovery')).toMatchObject({
      code: 'internal',
      message: 'Schema discovery failed: syntax error at or near "FORM"',
    });
    const own = new ConnectorError('invalid-watermark', 'run a full import');
    expect(operationError(classifying({ kind: 'other', message: '' }), config, own, 'x')).toBe(own);
  });
});
