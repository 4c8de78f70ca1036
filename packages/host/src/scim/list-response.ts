/** The ListResponse message schema (RFC 7644 §3.4.2). */
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** A SCIM ListResponse body. */
export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/** Builds a ListResponse for one page of `total` results starting at `startIndex` (1-based). */
export function listResponse<T>(resources: T[], total: number, startIndex = 1): ListResponse<T> {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}

const LIST_HEAD = `{"schemas":[${JSON.stringify(LIST_RESPONSE_SCHEMA)}],"totalResults":`;

/** The JSON text of {@link listResponse} for resources already written as JSON text, byte for byte. */
export function listResponseText(resources: readonly string[], total: number, startIndex = 1): string {
  // Integers, as the paging gives them: their text is JSON's.
  let text = `${LIST_HEAD}${total},"startIndex":${startIndex},"itemsPerPage":${resources.length},"Resources":[`;
  for (let i = 0; i < resources.length; i++) text += i === 0 ? resources[i]! : `,${resources[i]!}`;
  return `${text}]}`;
}

/** Paging parameters after validation (RFC 7644 §3.4.2.4). */
export interface Paging {
  startIndex: number;
  count: number;
}

/** Default and largest page size. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * Reads `startIndex` and `count` leniently, as RFC 7644 §3.4.2.4 asks: a `startIndex` below 1 is 1,
 * a negative `count` is 0, a count above the maximum is the maximum, and text that is not a number
 * takes the default.
 */
export function readPaging(startIndex: string | undefined, count: string | undefined): Paging {
  const start = Number.parseInt(startIndex ?? '', 10);
  const size = Number.parseInt(count ?? '', 10);
  return {
    startIndex: Number.isFinite(start) && start > 1 ? start : 1,
    count: Number.isFinite(size) ? Math.min(Math.max(size, 0), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE,
  };
}
