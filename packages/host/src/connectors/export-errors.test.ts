import { EXPORT_ERROR_CODES } from '@ecmahost/sdk';
import { describe, expect, it } from 'vitest';
import { scimErrorOf } from './export-errors.js';

describe('scimErrorOf', () => {
  it.each([
    ['missing-object', 404, undefined],
    ['existing-object', 409, 'uniqueness'],
    ['syntax-violation', 400, 'invalidValue'],
    ['invalid-provisioning-value', 400, 'invalidValue'],
    ['permission-issue', 403, undefined],
    ['connected-directory-error', 503, undefined],
    ['custom-stop-run', 503, undefined],
    ['custom-continue-run', 400, undefined],
  ] as const)('maps %s to %i', (code, status, scimType) => {
    const error = scimErrorOf({ code, message: 'the directory says no' }, 'SQL1');
    expect(error.status).toBe(status);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toBe('SQL1: the directory says no');
    expect(error.retryAfter !== undefined).toBe(status === 503);
  });

  it('covers every export error code', () => {
    for (const code of EXPORT_ERROR_CODES) expect(scimErrorOf({ code, message: 'x' }, 'c').status).toBeGreaterThanOrEqual(400);
  });
});
