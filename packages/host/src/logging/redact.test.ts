import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact.js';

const EXT = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';

describe('redact', () => {
  it('masks passwords, tokens and secrets at any depth, including URN-qualified keys', () => {
    const body = { userName: 'u', password: 'p', [EXT]: { export_password: 'x', userPassword: 'y', mail: 'm' }, [`${EXT}:export_password`]: 'z', nested: [{ apiKey: 'k', token: 't' }] };
    expect(redact(body)).toEqual({
      userName: 'u',
      password: REDACTED,
      [EXT]: { export_password: REDACTED, userPassword: REDACTED, mail: 'm' },
      [`${EXT}:export_password`]: REDACTED,
      nested: [{ apiKey: REDACTED, token: REDACTED }],
    });
  });

  it('masks the value of PATCH operations on a password path', () => {
    const body = { Operations: [{ op: 'replace', path: `${EXT}:export_password`, value: 'secret!' }, { op: 'replace', path: 'displayName', value: 'D' }] };
    expect(redact(body)).toEqual({ Operations: [{ op: 'replace', path: `${EXT}:export_password`, value: REDACTED }, { op: 'replace', path: 'displayName', value: 'D' }] });
  });
});
