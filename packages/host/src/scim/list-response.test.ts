import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, listResponse, listResponseText, readPaging } from './list-response.js';

describe('list responses', () => {
  it('builds a ListResponse', () => {
    expect(listResponse([{ id: 'a' }], 7, 3)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: [{ id: 'a' }],
    });
  });

  it('writes the text JSON.stringify writes of a ListResponse, from resources written as text', () => {
    const pages = [[], [{ id: 'a' }], [{ id: 'a' }, { id: 'b"', x: [1, { y: null }] }, {}]];
    for (const resources of pages) {
      for (const [total, startIndex] of [
        [0, 1],
        [3, 1],
        [1000, 998],
      ] as const) {
        expect(listResponseText(resources.map((r) => JSON.stringify(r)), total, startIndex)).toBe(JSON.stringify(listResponse(resources, total, startIndex)));
      }
    }
  });

  it('reads paging leniently (RFC 7644 §3.4.2.4)', () => {
    expect(readPaging(undefined, undefined)).toEqual({ startIndex: 1, count: 100 });
    expect(readPaging('0', '-5')).toEqual({ startIndex: 1, count: 0 });
    expect(readPaging('6', '5')).toEqual({ startIndex: 6, count: 5 });
    expect(readPaging('x', '99999')).toEqual({ startIndex: 1, count: MAX_PAGE_SIZE });
  });
});
