import type { LdapConnection } from './client.js';
import type { ServerInfo } from './root-dse.js';
import { parseRootDse } from './root-dse.js';
import type { DirectorySchema } from './schema-builder.js';
import { indexSchema } from './schema-builder.js';

/** What discovery learnt about a server: its Root DSE and its schema. */
export interface Discovery {
  server: ServerInfo;
  schema: DirectorySchema;
  /** Schema descriptions that did not parse (skipped). */
  problems: string[];
}

/** Reads the Root DSE (RFC 4512 §5.1) with every user and operational attribute. */
export async function readRootDse(connection: LdapConnection): Promise<ServerInfo> {
  const [root] = await connection.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['*', '+'] });
  if (root === undefined) throw new Error('the server returned no Root DSE');
  return parseRootDse({ ...root.attributes });
}

/** Reads the Root DSE and the subschema entry it names (RFC 4512 §4.2). */
export async function discover(connection: LdapConnection): Promise<Discovery> {
  const server = await readRootDse(connection);
  const subschema = server.subschemaSubentry ?? 'cn=Subschema';
  const [entry] = await connection.search(subschema, { scope: 'base', filter: '(objectClass=subschema)', attributes: ['objectClasses', 'attributeTypes'] });
  const read = (name: string) => {
    const key = Object.keys(entry?.attributes ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
    return (key === undefined ? [] : (entry?.attributes[key] ?? [])).map((v) => v.toString());
  };
  const { schema, problems } = indexSchema(read('objectClasses'), read('attributeTypes'));
  return { server, schema, problems };
}
