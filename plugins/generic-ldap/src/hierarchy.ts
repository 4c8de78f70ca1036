import type { HierarchyNode } from '@ecmahost/sdk';
import type { LdapEntry } from './client.js';
import { dnKey, parentDn, parseDn } from './escape.js';

/** Object classes of containers (RFC 4519 and AD LDS). */
export const CONTAINER_FILTER = '(|(objectClass=organizationalUnit)(objectClass=organization)(objectClass=container)(objectClass=domain)(objectClass=dcObject)(objectClass=locality))';

/** Builds the container tree below `root` from the containers found under it (in any order). */
export function buildHierarchy(root: string, containers: readonly LdapEntry[]): HierarchyNode[] {
  const nodes = new Map<string, { dn: string; displayName: string; children: HierarchyNode[] }>();
  for (const entry of containers) {
    if (dnKey(entry.dn) === dnKey(root)) continue;
    const first = parseDn(entry.dn)[0];
    nodes.set(dnKey(entry.dn), { dn: entry.dn, displayName: first?.map((a) => a.value).join('+') ?? entry.dn, children: [] });
  }
  const top: HierarchyNode[] = [];
  for (const [, node] of nodes) {
    const parent = nodes.get(dnKey(parentDn(node.dn)));
    if (parent !== undefined) parent.children.push(node);
    else top.push(node);
  }
  const finish = (list: HierarchyNode[]): HierarchyNode[] =>
    list
      .map((n) => (n.children === undefined || n.children.length === 0 ? { dn: n.dn, displayName: n.displayName } : { ...n, children: finish([...n.children]) }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  return finish(top);
}
