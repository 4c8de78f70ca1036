import { describe, expect, it } from 'vitest';
import { entryErrorOf, losesConnection } from './error-mapping.js';

describe('entryErrorOf', () => {
  it('maps database error kinds to ECMA2 export errors with the server message and column', () => {
    expect(entryErrorOf({ kind: 'unique', message: 'duplicate key', column: 'ContosoLogin' })).toEqual({ code: 'existing-object', message: 'duplicate key', attribute: 'ContosoLogin' });
    expect(entryErrorOf({ kind: 'not-null', message: 'null value in column "LastName"', column: 'LastName' })).toEqual({
      code: 'syntax-violation',
      message: 'null value in column "LastName"',
      attribute: 'LastName',
    });
    expect(entryErrorOf({ kind: 'value', message: 'value too long', column: 'Email' })).toEqual({ code: 'syntax-violation', message: 'Email: value too long', attribute: 'Email' });
    expect(entryErrorOf({ kind: 'check', message: 'violates check' })).toEqual({ code: 'syntax-violation', message: 'violates check' });
    expect(entryErrorOf({ kind: 'permission', message: 'denied' })).toEqual({ code: 'permission-issue', message: 'denied' });
  });

  it('marks transient failures retryable and configuration failures not', () => {
    for (const kind of ['connection-lost', 'unreachable', 'timeout', 'busy'] as const) {
      expect(entryErrorOf({ kind, message: 'm' })).toEqual({ code: 'connected-directory-error', message: 'm', retryable: true });
    }
    for (const kind of ['authentication', 'unknown-database', 'tls', 'other'] as const) {
      expect(entryErrorOf({ kind, message: 'm' }).retryable).toBeUndefined();
    }
  });

  it('knows which failures take the transaction with them', () => {
    expect(losesConnection({ kind: 'connection-lost', message: '' })).toBe(true);
    expect(losesConnection({ kind: 'timeout', message: '' })).toBe(false);
  });
});
