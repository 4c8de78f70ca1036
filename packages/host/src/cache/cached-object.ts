import type { AnchorValues, AttributeValue } from '@ecmahost/sdk';

/** One object of the connector space as the cache holds it. */
export interface CachedObject {
  /** The SCIM id, derived from the anchor (see `objectId`). */
  id: string;
  anchor: AnchorValues;
  dn?: string;
  /** Values by connector attribute name; every attribute present has at least one value. */
  attributes: Record<string, AttributeValue[]>;
  /** When the host first saw the object and when it last changed (ISO 8601). */
  created: string;
  lastModified: string;
}
