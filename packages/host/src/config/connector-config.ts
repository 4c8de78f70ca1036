import type { ParameterValue } from '@ecmahost/sdk';

/**
 * What happens when Entra disables a user (`active: false`), as in Microsoft's wizard
 * (Deprovisioning page): nothing, delete the object, or set a boolean attribute. With
 * `attribute`, the attribute holds `true` for an active user unless `activeValue` is `false`
 * (an "AccountDisabled"-style column).
 */
export type DisableFlow =
  | { action: 'none' }
  | { action: 'delete' }
  | { action: 'attribute'; attribute: string; activeValue?: boolean };

/**
 * What a SCIM DELETE does: delete the object, nothing (the host answers 204 and forgets it), or
 * set an attribute to a value and leave the object in the target (Microsoft's "Set attribute
 * value" delete flow: a `deleted` flag, a status column). The value is written as the connector
 * attribute's type (`"true"` becomes `true` for a boolean).
 */
export type DeleteFlow = { action: 'delete' } | { action: 'none' } | { action: 'attribute'; attribute: string; value: string };

/**
 * The SCIM resource type an object type is served as: `User` (`/Users`), `Group` (`/Groups`), or
 * a custom type with its own core schema URN and endpoint (`/Devices`).
 */
export type ResourceTypeConfig = 'User' | 'Group' | { name: string; schema: string; endpoint: string };

/**
 * One object type a connector instance serves (one page of Microsoft's Object Types wizard): its
 * anchor, DN source, attributes, SCIM resource type, mapping and deprovisioning.
 */
export interface ServedTypeConfig {
  /** The connector's object type. */
  objectType: string;
  /** Anchor attribute(s) of that type; the SCIM `id` is derived from their values. */
  anchor: string[];
  /** Where an object's DN comes from: an attribute, or `CN=<anchor>,OBJECT=<type>`. */
  dn: { attribute: string } | { autogenerate: true };
  /** The attributes served; only these are exported, imported and cached. */
  attributes: SelectedAttribute[];
  /** Absent: `User`. */
  resourceType?: ResourceTypeConfig;
  deprovisioning: { disable: DisableFlow; delete: DeleteFlow };
  /**
   * Optional mapping of core SCIM attribute paths (`userName`, `externalId`, `active`,
   * `name.givenName`, `emails[type eq "work"].value`, `members`, ...) onto connector attribute
   * names. Every attribute is also always reachable through the ECMA2Host extension schema.
   */
  scimMapping?: Record<string, string>;
}

/** One attribute an instance serves (Microsoft's "Select Attributes" page). */
export interface SelectedAttribute {
  name: string;
  /** Expose a multi-valued attribute as single-valued ("treat as single value"). */
  singleValue?: boolean;
}

/** Run profiles: which operations run and with what page sizes. */
export interface RunProfiles {
  export: {
    /**
     * @deprecated Ignored: the host exports every SCIM write in its own one-entry session (and
     * tells the connector `batchSize: 1`), so that Entra gets that write's result. Still read from
     * stored configurations so that older files load.
     */
    batchSize: number;
  };
  fullImport: {
    pageSize: number;
    /**
     * Hours between scheduled full imports, the only imports that see objects deleted in the
     * target; 0 = never. Absent (configurations of earlier versions): the host's default, 24.
     */
    everyHours?: number;
  };
  /** Absent: no delta import; autosync always runs a full import. */
  deltaImport?: { pageSize: number };
}

/**
 * One connector instance as an admin configured it: the data behind
 * `/ecma2host_<name>/scim`. Persisted by the store as readable files (secrets encrypted), loaded
 * by the host at start.
 */
export interface ConnectorInstanceConfig extends ServedTypeConfig {
  /** Case-sensitive; letters, digits, `_` and `-`; the URL segment after `ecma2host_`. */
  name: string;
  /** An installed package name (found in the host's node_modules) or a path to a connector module. */
  package: string;
  /** Minutes between automatic imports; 0 turns autosync off. Microsoft's default is 120. */
  autosyncMinutes: number;
  /** The SCIM bearer token, hashed (see `auth/token.ts`); the token itself is never stored. */
  tokenHash: string;
  /** Values of the connector's own parameter pages, by parameter name; secrets as `Secret`. */
  parameters: Record<string, ParameterValue>;
  /*
   * The top-level object type fields (objectType, anchor, dn, attributes, resourceType,
   * deprovisioning, scimMapping) are the first served type: a one-type configuration reads as it
   * always did, and configurations stored before issue 17 load unchanged as one User type.
   */
  /**
   * After a restart, answer from the connector space kept on disk while the refresh import runs
   * (decision 021). Absent: `true`. `false` is Microsoft's behaviour: 503 until the first import
   * after the start completes.
   */
  serveBeforeRefresh?: boolean;
  /** Further object types served beside the top-level one (docs/decisions/019-groups-and-references.md). */
  additionalTypes?: ServedTypeConfig[];
  runProfiles: RunProfiles;
}

/** Every object type a configuration serves, the top-level one first. */
export function servedTypesOf(config: ConnectorInstanceConfig): ServedTypeConfig[] {
  const { objectType, anchor, dn, attributes, resourceType, deprovisioning, scimMapping } = config;
  const first: ServedTypeConfig = { objectType, anchor, dn, attributes, deprovisioning };
  if (resourceType !== undefined) first.resourceType = resourceType;
  if (scimMapping !== undefined) first.scimMapping = scimMapping;
  return [first, ...(config.additionalTypes ?? [])];
}

/** The SCIM resource type name of a served type (`User` when none is configured). */
export function resourceTypeName(type: Pick<ServedTypeConfig, 'resourceType'>): string {
  const resourceType = type.resourceType ?? 'User';
  return typeof resourceType === 'string' ? resourceType : resourceType.name;
}
