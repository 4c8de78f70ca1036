import type { Capabilities, ConnectorInstance } from '@ecmahost/sdk';

/**
 * The features a connector declares that this host never uses: it serves one partition-less
 * object space, sends updates as updates, and compares anchors as the connector returns them
 * (Microsoft's provisioning agent does not use them either; ecma-host reference §1.7). `dnAsAnchor`
 * is not among them: the anchor `-dn-` is served.
 */
export function ignoredFeatures(capabilities: Capabilities, instance: ConnectorInstance): string[] {
  const ignored: string[] = [];
  if (capabilities.partitions || typeof instance.getPartitions === 'function') ignored.push('partitions (getPartitions)');
  if (capabilities.hierarchy || typeof instance.getHierarchy === 'function') ignored.push('hierarchy (getHierarchy)');
  if (capabilities.normalizations.length > 0) ignored.push('normalizations');
  if (capabilities.deleteAddAsReplace) ignored.push('deleteAddAsReplace');
  return ignored;
}
