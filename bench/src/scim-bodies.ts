import type { BenchUser } from './users.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXTENSION = 'urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * A SCIM POST body as Entra's agent sends it for a user: core attributes where the connector
 * maps them, the rest (`extension`, by connector attribute name) through the ECMA2Host extension.
 */
export function createBody(user: BenchUser, extension: Record<string, string>): string {
  return JSON.stringify({
    schemas: [CORE, EXTENSION],
    userName: user.login,
    active: true,
    name: { givenName: user.givenName, familyName: user.familyName },
    displayName: user.displayName,
    title: user.title,
    emails: [{ type: 'work', primary: true, value: user.email }],
    [EXTENSION]: extension,
  });
}

/** A SCIM PATCH replacing two attributes, as Entra sends for a changed user. */
export function patchBody(displayName: string, title: string): string {
  return JSON.stringify({
    schemas: [PATCH_OP],
    Operations: [
      { op: 'Replace', path: 'displayName', value: displayName },
      { op: 'Replace', path: 'title', value: title },
    ],
  });
}

/** A user as a SCIM resource, the shape the host answers a lookup with (for the bare limit). */
export function scimResourceOf(user: BenchUser): Record<string, unknown> {
  const id = Buffer.from(user.login, 'utf8').toString('base64url');
  return {
    schemas: [CORE, EXTENSION],
    id,
    userName: user.login,
    active: true,
    name: { givenName: user.givenName, familyName: user.familyName },
    displayName: user.displayName,
    title: user.title,
    emails: [{ type: 'work', primary: true, value: user.email }],
    [EXTENSION]: { login: user.login, department: user.department, phone: user.phone, city: user.city, employee_id: user.employeeId },
    meta: { resourceType: 'User', created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z', location: `http://127.0.0.1/Users/${id}` },
  };
}
