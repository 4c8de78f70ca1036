import { describe, expect, it } from 'vitest';
import { connectorErrorOf, entryErrorOf, LdapOperationError } from './errors.js';

const result = (resultCode: number, diagnostic = 'server says no') => new LdapOperationError({ resultCode, diagnostic, operation: 'add uid=a,dc=x' });

describe('per-entry export errors', () => {
  it.each([
    [68, 'existing-object', undefined],
    [32, 'missing-object', undefined],
    [65, 'syntax-violation', undefined],
    [21, 'syntax-violation', undefined],
    [19, 'syntax-violation', undefined],
    [50, 'permission-issue', undefined],
    [51, 'connected-directory-error', true],
    [52, 'connected-directory-error', true],
    [3, 'connected-directory-error', true],
    [53, 'connected-directory-error', undefined],
  ])('result code %i → %s', (code, expected, retryable) => {
    const error = entryErrorOf(result(code));
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
  });

  it("keeps the server's diagnostic message and names the result", () => {
    const error = entryErrorOf(result(65, "object class 'inetOrgPerson' requires attribute 'sn'"));
    expect(error.message).toBe("add uid=a,dc=x: objectClassViolation (65): object class 'inetOrgPerson' requires attribute 'sn'");
  });

  it('makes a lost connection or timeout retryable', () => {
    const error = entryErrorOf(new LdapOperationError({ diagnostic: 'connect ECONNREFUSED', transport: true, operation: 'modify x' }));
    expect(error).toMatchObject({ code: 'connected-directory-error', retryable: true });
  });
});

describe('whole-operation errors', () => {
  it('says what to do about refused credentials, missing TLS and a server that is down', () => {
    expect(connectorErrorOf(result(49, ''), 'test').code).toBe('authentication-failed');
    expect(connectorErrorOf(result(13, 'TLS confidentiality required'), 'test').message).toMatch(/Use ldaps:\/\/ or StartTLS/);
    expect(connectorErrorOf(new LdapOperationError({ diagnostic: 'gone', transport: true, operation: 'search' }), 'import').code).toBe('server-down');
    expect(connectorErrorOf(new Error('boom'), 'import').code).toBe('internal');
  });
});
