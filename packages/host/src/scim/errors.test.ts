import { describe, expect, it } from 'vitest';
import { ScimError, isScimError } from './errors.js';

describe('ScimError', () => {
  it('renders RFC 7644 §3.12 bodies with status as a string', () => {
    expect(new ScimError(400, 'invalidFilter', 'bad').toJSON()).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter', detail: 'bad' });
    expect(new ScimError(404, undefined, 'gone').toJSON()).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'gone' });
  });

  it('is recognised by brand', () => {
    expect(isScimError(new ScimError(503, undefined, 'x', { retryAfter: 5 }))).toBe(true);
    expect(isScimError(new Error('x'))).toBe(false);
    expect(isScimError({ status: 400 })).toBe(false);
  });
});
