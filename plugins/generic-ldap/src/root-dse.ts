/** What the Root DSE (RFC 4512 §5.1) says about a server, as the connector uses it. */
export interface ServerInfo {
  vendor: 'openldap' | '389ds' | 'adlds' | 'other';
  vendorName: string | undefined;
  vendorVersion: string | undefined;
  namingContexts: string[];
  subschemaSubentry: string | undefined;
  supportedControls: Set<string>;
  supportedExtensions: Set<string>;
  supportedFeatures: Set<string>;
  saslMechanisms: string[];
  /** The change log DN the server advertises (389 DS: `changelog`). */
  changelogDn: string | undefined;
}

/** OIDs of the controls, extensions and features the connector looks for. */
export const OID = {
  pagedResults: '1.2.840.113556.1.4.319',
  vlv: '2.16.840.1.113730.3.4.9',
  serverSort: '1.2.840.113556.1.4.473',
  passwordModify: '1.3.6.1.4.1.4203.1.11.1',
  startTls: '1.3.6.1.4.1.1466.20037',
  whoAmI: '1.3.6.1.4.1.4203.1.11.3',
  allOperationalAttributes: '1.3.6.1.4.1.4203.1.5.1',
  trueFalseFilters: '1.3.6.1.4.1.4203.1.5.3',
  assertion: '1.3.6.1.1.12',
  /** AD's LDAP_SERVER_SHOW_DELETED_OID: a search also returns deleted objects (tombstones). */
  showDeleted: '1.2.840.113556.1.4.417',
} as const;

type RawEntry = Readonly<Record<string, string | Buffer | readonly (string | Buffer)[]>>;

function values(entry: RawEntry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (v === undefined) return [];
  const list: readonly (string | Buffer)[] = Array.isArray(v) ? v : [v as string | Buffer];
  return list.map((x) => (typeof x === 'string' ? x : x.toString('utf8')));
}

/** Reads a Root DSE entry (searched with `*` and `+`). */
export function parseRootDse(entry: RawEntry): ServerInfo {
  const vendorName = values(entry, 'vendorName')[0];
  const objectClasses = values(entry, 'objectClass').map((v) => v.toLowerCase());
  const lowerVendor = (vendorName ?? '').toLowerCase();
  const vendor: ServerInfo['vendor'] = objectClasses.includes('openldaprootdse') || lowerVendor.includes('openldap')
    ? 'openldap'
    : /389|fedora|red hat|port389/.test(lowerVendor)
      ? '389ds'
      : values(entry, 'dsServiceName').length > 0 || values(entry, 'supportedCapabilities').includes('1.2.840.113556.1.4.1851')
        ? 'adlds'
        : 'other';
  return {
    vendor,
    vendorName,
    vendorVersion: values(entry, 'vendorVersion')[0],
    namingContexts: values(entry, 'namingContexts'),
    subschemaSubentry: values(entry, 'subschemaSubentry')[0],
    supportedControls: new Set(values(entry, 'supportedControl')),
    supportedExtensions: new Set(values(entry, 'supportedExtension')),
    supportedFeatures: new Set(values(entry, 'supportedFeatures')),
    saslMechanisms: values(entry, 'supportedSASLMechanisms'),
    changelogDn: values(entry, 'changelog')[0],
  };
}

/**
 * The "Mandatory Features Not Found" warnings Microsoft's connector shows on its Global page: paged
 * results (without it a full import reads everything in one search) and True/False filters.
 */
export function featureWarnings(info: ServerInfo): string[] {
  const warnings: string[] = [];
  if (!info.supportedControls.has(OID.pagedResults)) {
    warnings.push(`The server does not advertise the paged results control (${OID.pagedResults}): a full import reads every entry in one search, which may fail on a large directory.`);
  }
  if (!info.supportedFeatures.has(OID.trueFalseFilters)) {
    warnings.push(`The server does not advertise absolute True/False filters (${OID.trueFalseFilters}); imports of several object types use OR filters instead.`);
  }
  return warnings;
}

/** The anchor Microsoft's connector uses by default for a vendor. */
export function defaultAnchor(vendor: ServerInfo['vendor']): string {
  switch (vendor) {
    case 'openldap':
      return 'entryUUID';
    case '389ds':
      return 'nsUniqueId';
    case 'adlds':
      return 'objectGUID';
    case 'other':
      return '-dn-';
  }
}
