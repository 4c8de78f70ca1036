import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { ConnectorErrorCode } from './errors.js';
import { CONNECTOR_ERROR_CODES, ConnectorError, isConnectorError } from './errors.js';
import type { ExportErrorCode } from './export.js';
import { EXPORT_ERROR_CODES } from './export.js';

// Every member of each union, checked by the compiler: a Record misses no key and takes no extra one.
const connectorCodes: Record<ConnectorErrorCode, true> = {
  'invalid-configuration': true,
  'connection-failed': true,
  'authentication-failed': true,
  'not-supported': true,
  'unsupported-api-version': true,
  'invalid-watermark': true,
  'server-down': true,
  'stop-run': true,
  internal: true,
};
const exportCodes: Record<ExportErrorCode, true> = {
  'missing-object': true,
  'existing-object': true,
  'syntax-violation': true,
  'invalid-provisioning-value': true,
  'permission-issue': true,
  'connected-directory-error': true,
  'custom-continue-run': true,
  'custom-stop-run': true,
};

describe('ConnectorError', () => {
  it('carries a code, the parameter and the cause', () => {
    const cause = new Error('ECONNREFUSED 127.0.0.1:5432');
    const error = new ConnectorError('connection-failed', 'PostgreSQL refused the connection', { cause, parameter: 'host' });
    expect(error).toMatchObject({ name: 'ConnectorError', code: 'connection-failed', parameter: 'host', message: 'PostgreSQL refused the connection' });
    expect(error.cause).toBe(cause);
    expect(new ConnectorError('internal', 'x')).not.toHaveProperty('cause');
  });

  it('is recognised by brand, also from another copy of the SDK', () => {
    expect(isConnectorError(new ConnectorError('internal', 'x'))).toBe(true);
    expect(isConnectorError(Object.assign(new Error('x'), { [Symbol.for('ecmahost.connector-error')]: true, code: 'internal' }))).toBe(true);
    expect(isConnectorError(Object.assign(new Error('x'), { code: 'internal' }))).toBe(false);
    expect(isConnectorError('internal')).toBe(false);
  });
});

describe('the code lists', () => {
  it('hold every code of their union once', () => {
    expect([...CONNECTOR_ERROR_CODES].sort()).toEqual(Object.keys(connectorCodes).sort());
    expect([...EXPORT_ERROR_CODES].sort()).toEqual(Object.keys(exportCodes).sort());
  });
});

describe('docs/reference/errors.md', () => {
  it('has a row for every ConnectorErrorCode and ExportErrorCode', async () => {
    const docs = await readFile(new URL('../../../docs/reference/errors.md', import.meta.url), 'utf8');
    const rows = new Set([...docs.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
    expect([...CONNECTOR_ERROR_CODES, ...EXPORT_ERROR_CODES].filter((code) => !rows.has(code))).toEqual([]);
  });
});
